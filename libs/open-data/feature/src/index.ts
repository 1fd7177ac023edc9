export { openDataFeature, type OpenDataServices } from './open-data.feature';
export { Publications } from './publications.service';
