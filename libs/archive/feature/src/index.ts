export { archiveFeature, type ArchiveServices } from './archive.feature';
export { Checkpoints } from './checkpoints.service';
export { ArchiveExports, archiveFolderOf, type ArchiveExportView } from './archive-exports.service';
