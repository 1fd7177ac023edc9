import type { Kysely } from 'kysely';
import type { Pool } from 'pg';
import type { AppConfig } from '@maatlat/shared/config';
import { openDatabase, type DB } from '@maatlat/shared/database';
import { PostgresEventStore } from '@maatlat/shared/event-store';
import { composeServices, eventStoreFeature, type FeatureManifest, type ServicesOf } from '@maatlat/shared/features';
import { modelCatalogueFeature } from '@maatlat/model-catalogue/feature';
import { organisationsFeature } from '@maatlat/organisations/feature';
import { respondentsFeature } from '@maatlat/respondents/feature';
import { assessmentsFeature } from '@maatlat/assessments/feature';
import { insightsFeature } from '@maatlat/insights/feature';
import { reportsFeature } from '@maatlat/reports/feature';

/** The features the operator and auditor commands work with, in the order their services are made. */
export const CLI_FEATURES = [eventStoreFeature, modelCatalogueFeature, organisationsFeature, respondentsFeature, assessmentsFeature, insightsFeature, reportsFeature] as const;

export type PlatformServices = ServicesOf<typeof CLI_FEATURES>;

/** The features' services on one database, wired by the features themselves, as the API and worker have them. */
export function platformServices(db: Kysely<DB>, store: PostgresEventStore, config: AppConfig): PlatformServices {
  return composeServices(CLI_FEATURES, db, store, config);
}

/**
 * A command that needs only some features (a checkpoint needs no model catalogue, nor the
 * respondents' key-encryption keys): their services on a database of its own, closed afterwards.
 */
export async function withFeatures<const Features extends readonly FeatureManifest[], T>(
  config: AppConfig,
  features: Features,
  work: (context: { pool: Pool; services: ServicesOf<Features> }) => Promise<T>,
): Promise<T> {
  const database = openDatabase({ databaseUrl: config.databaseUrl, maxConnections: 2, applicationName: 'maatlat-cli' });
  try {
    const services = composeServices([eventStoreFeature, ...features], database.db, new PostgresEventStore(database.db, database.pool), config);
    return await work({ pool: database.pool, services });
  } finally {
    await database.close();
  }
}
