import { eventStoreFeature, type FeatureManifest } from '@maatlat/shared/features';
import { modelCatalogueFeature } from '@maatlat/model-catalogue/feature';
import { organisationsFeature } from '@maatlat/organisations/feature';
import { respondentsFeature } from '@maatlat/respondents/feature';
import { assessmentsFeature } from '@maatlat/assessments/feature';
import { insightsFeature } from '@maatlat/insights/feature';
import { reportsFeature } from '@maatlat/reports/feature';
import { archiveFeature } from '@maatlat/archive/feature';
import { openDataFeature } from '@maatlat/open-data/feature';

/** The features this API serves, in the order their services are made (a feature after those it uses). */
export const API_FEATURES: readonly FeatureManifest[] = [eventStoreFeature, modelCatalogueFeature, organisationsFeature, respondentsFeature, assessmentsFeature, insightsFeature, archiveFeature, openDataFeature, reportsFeature];

/** Named schemas the features' views refer to that no view class describes (JSON Schemas of documents). */
export const API_SCHEMAS = Object.assign({}, ...API_FEATURES.map((feature) => feature.apiSchemas ?? {}));
