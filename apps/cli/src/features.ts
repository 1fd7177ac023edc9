import type { Kysely } from 'kysely';
import type { AppConfig } from '@maatlat/shared/config';
import type { DB } from '@maatlat/shared/database';
import type { PostgresEventStore } from '@maatlat/shared/event-store';
import { composeServices, eventStoreFeature, type FeatureManifest } from '@maatlat/shared/features';
import { modelCatalogueFeature, type ModelCatalogueServices } from '@maatlat/model-catalogue/feature';
import { organisationsFeature, type OrganisationsServices } from '@maatlat/organisations/feature';
import { respondentsFeature, type RespondentsServices } from '@maatlat/respondents/feature';
import { assessmentsFeature, type AssessmentsServices } from '@maatlat/assessments/feature';
import { insightsFeature, type InsightsServices } from '@maatlat/insights/feature';
import { reportsFeature, type ReportsServices } from '@maatlat/reports/feature';

/** The features the operator and auditor commands work with, in the order their services are made. */
export const CLI_FEATURES: readonly FeatureManifest[] = [eventStoreFeature, modelCatalogueFeature, organisationsFeature, respondentsFeature, assessmentsFeature, insightsFeature, reportsFeature];

export type PlatformServices = ModelCatalogueServices & OrganisationsServices & RespondentsServices & AssessmentsServices & InsightsServices & ReportsServices;

/** The features' services on one database, wired by the features themselves, as the API and worker have them. */
export function platformServices(db: Kysely<DB>, store: PostgresEventStore, config: AppConfig): PlatformServices {
  return composeServices(CLI_FEATURES, db, store, config) as unknown as PlatformServices;
}
