import { eventStoreFeature, type FeatureManifest } from '@maatlat/shared/features';
import { modelCatalogueFeature } from '@maatlat/model-catalogue/feature';
import { organisationsFeature } from '@maatlat/organisations/feature';
import { respondentsFeature } from '@maatlat/respondents/feature';
import { assessmentsFeature } from '@maatlat/assessments/feature';
import { insightsFeature } from '@maatlat/insights/feature';
import { reportsFeature } from '@maatlat/reports/feature';

/** The features whose read models, reactions and jobs this worker runs, in the order their services are made. */
export const WORKER_FEATURES: readonly FeatureManifest[] = [eventStoreFeature, modelCatalogueFeature, organisationsFeature, respondentsFeature, assessmentsFeature, insightsFeature, reportsFeature];
