export { OpenData, type OpenDataOptions, type PublicationView, type DatasetVersionSummary } from './open-data';
