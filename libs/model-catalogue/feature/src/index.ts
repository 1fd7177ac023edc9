export { modelCatalogueFeature, type ModelCatalogueServices } from './model-catalogue.feature';
