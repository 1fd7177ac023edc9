import type { Kysely } from 'kysely';
import type { DB } from '@maatlat/shared/database';
import type { PostgresEventStore } from '@maatlat/shared/event-store';
import { ModelCatalogue } from '@maatlat/model-catalogue/data-access';
import { Chains, Organisations } from '@maatlat/organisations/data-access';
import { PersonalDataVault, Respondents } from '@maatlat/respondents/data-access';
import { Assessments } from './assessments';
import { Recalculations } from './recalculations';

/**
 * Assessments and what they stand on, wired by hand on one database: for the CLI, the demo data,
 * benchmarks and tests. The API and the worker wire the same classes through Nest.
 */
export function assessmentServices(db: Kysely<DB>, store: PostgresEventStore) {
  const catalogue = new ModelCatalogue(db, store);
  const organisations = new Organisations(db, store);
  const chains = new Chains(db, store, organisations);
  const respondents = new Respondents(db, store);
  const assessments = new Assessments(db, store, catalogue, organisations, chains, respondents, new PersonalDataVault(db));
  return { catalogue, organisations, chains, respondents, assessments, recalculations: new Recalculations(db, store, catalogue) };
}
