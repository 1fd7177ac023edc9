export { exportArchive, type ExportOptions, type ExportSummary } from './export-archive';
export { verifyArchive, type ArchiveVerifyReport, type Discrepancy } from './verify-archive';
export {
  checkpointFile,
  checkpointSigner,
  checkScoreInclusionProof,
  findCheckpoint,
  headsAt,
  listCheckpoints,
  recordCheckpoint,
  recordCheckpointIfDue,
  scoreInclusionProof,
  verifyCheckpoint,
  type CheckpointVerification,
  type ScoreInclusionProof,
  type ScoreProofOptions,
  type ScheduledCheckpoint,
} from './checkpoints';
export { packDirectory } from './pack-archive';
export { ArchiveExportFiles, readArchiveExports, type StoredArchive } from './archive-exports';
