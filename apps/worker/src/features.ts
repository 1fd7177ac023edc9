import { eventStoreFeature, type FeatureManifest } from '@maatlat/shared/features';
import { modelCatalogueFeature } from '@maatlat/model-catalogue/feature';
import { organisationsFeature } from '@maatlat/organisations/feature';
import { respondentsFeature } from '@maatlat/respondents/feature';
import { assessmentsFeature } from '@maatlat/assessments/feature';
import { insightsFeature } from '@maatlat/insights/feature';
import { reportsFeature } from '@maatlat/reports/feature';
import { archiveFeature } from '@maatlat/archive/feature';
import { openDataFeature } from '@maatlat/open-data/feature';

/** The features whose read models, reactions, jobs and schedules this worker runs, in the order their services are made. */
export const WORKER_FEATURES: readonly FeatureManifest[] = [eventStoreFeature, modelCatalogueFeature, organisationsFeature, respondentsFeature, assessmentsFeature, insightsFeature, reportsFeature, archiveFeature, openDataFeature];
