export { modelCatalogueFeature, type ModelCatalogueServices } from './model-catalogue.feature';
export type { Crosswalk, LayerId, ModelDocument } from '@maatlat/model-catalogue/domain';
