import type { FeatureManifest } from '@maatlat/shared/features';
import { ModelCatalogue, modelVersionsProjection } from '@maatlat/model-catalogue/data-access';
import { parseModelRef, SHIPPED_CROSSWALKS, SHIPPED_MODELS, validateModelDocument } from '@maatlat/model-catalogue/domain';
import { ModelCatalogueModule } from './model-catalogue.module';
import { MODEL_CATALOGUE_SCHEMAS } from './model-version.views';

export interface ModelCatalogueServices {
  catalogue: ModelCatalogue;
}

/**
 * What the catalogue offers with no database: checking a model document, reading a `key@version`
 * reference, and the model versions (and crosswalk) it ships with.
 */
const offline = { validateModelDocument, parseModelRef, shippedModels: SHIPPED_MODELS, shippedCrosswalks: SHIPPED_CROSSWALKS };

/** The maturity model as versioned data: drafts, publication, retirement, crosswalks and diffs. */
export const modelCatalogueFeature: FeatureManifest<ModelCatalogueServices> & { offline: typeof offline } = {
  name: 'model-catalogue',
  offline,
  nestModule: ModelCatalogueModule,
  projections: [modelVersionsProjection],
  apiSchemas: MODEL_CATALOGUE_SCHEMAS,
  createServices: (db, store) => ({ catalogue: new ModelCatalogue(db, store) }),
};
