export { OpenData, type CheckpointCopy, type CheckpointSource, type DatasetRefresh, type DatasetVersionSummary, type OpenDataOptions, type PublicationView } from './open-data';
