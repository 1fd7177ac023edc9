export { ModelCatalogue } from './model-catalogue';
export type { ModelVersionView } from './model-catalogue.context';
export type { ModelVersionSummary } from './list-model-versions';
export { modelVersionsProjection } from './model-versions.projection';
