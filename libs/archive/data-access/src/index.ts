export { exportArchive, type ExportOptions, type ExportSummary } from './export-archive';
export { verifyArchive, type ArchiveVerifyReport, type Discrepancy } from './verify-archive';
