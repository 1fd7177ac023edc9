export { modelCatalogueFeature, type ModelCatalogueServices } from './model-catalogue.feature';
export { MODEL_CATALOGUE_SCHEMAS } from './model-version.views';
