export { archiveFeature, type ArchiveServices } from './archive.feature';
export { Checkpoints } from './checkpoints.service';
