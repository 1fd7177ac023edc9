export { ReportFiles, readReports, type StoredReportFile } from './report-files';
