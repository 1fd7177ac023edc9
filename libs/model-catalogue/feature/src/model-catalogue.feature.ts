import type { FeatureManifest } from '@maatlat/shared/features';
import { ModelCatalogue, modelVersionsProjection } from '@maatlat/model-catalogue/data-access';
import { ModelCatalogueModule } from './model-catalogue.module';

export interface ModelCatalogueServices {
  catalogue: ModelCatalogue;
}

/** The maturity model as versioned data: drafts, publication, retirement, crosswalks and diffs. */
export const modelCatalogueFeature: FeatureManifest<ModelCatalogueServices> = {
  name: 'model-catalogue',
  nestModule: ModelCatalogueModule,
  projections: [modelVersionsProjection],
  createServices: (db, store) => ({ catalogue: new ModelCatalogue(db, store) }),
};
