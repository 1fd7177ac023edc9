export { archiveFeature, type ArchiveServices } from './archive.feature';
export { Checkpoints } from './checkpoints.service';
export { ArchiveExports, archiveFolderOf, type ArchiveExportView } from './archive-exports.service';
export { CHECKPOINT_SEQUENCE, type CheckpointCopy, type CheckpointFile, type PublicJwk } from '@maatlat/archive/domain';
export type { ArchiveVerifyReport, CheckpointVerification, ScoreInclusionProof } from '@maatlat/archive/data-access';
