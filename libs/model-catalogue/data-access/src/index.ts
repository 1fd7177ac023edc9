export { ModelCatalogue, type ModelVersionView, type ModelVersionSummary } from './model-catalogue';
export { modelVersionsProjection } from './model-versions.projection';
