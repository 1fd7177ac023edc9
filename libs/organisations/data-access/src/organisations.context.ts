import type { Kysely } from 'kysely';
import type { DB } from '@maatlat/shared/database';
import { NotFound } from '@maatlat/shared/domain';
import { handleCommand, type PostgresEventStore } from '@maatlat/shared/event-store';
import { organisationDecider, organisationStreamId, type OrganisationCommand, type OrganisationState, type OrganisationType, type SizeBand, type UnitKind } from '@maatlat/organisations/domain';

/** What the organisation use cases stand on: the store for commands, the read models for lists and trees. */
export interface OrganisationsContext {
  db: Kysely<DB>;
  store: PostgresEventStore;
}

export interface UnitView {
  unitId: string;
  parentUnitId: string | null;
  name: string;
  kind: UnitKind;
  closed: boolean;
}

export interface OrganisationView {
  organisationId: string;
  name: string;
  organisationType: OrganisationType;
  sizeBand: SizeBand;
  /** The stream version: what a client sends back to change it without losing an update. */
  revision: number;
  units: UnitView[];
}

type Registered = Extract<OrganisationState, { status: 'registered' }>;

export function organisationViewOf(state: Registered, revision: number): OrganisationView {
  return {
    organisationId: state.organisationId,
    name: state.name,
    organisationType: state.organisationType,
    sizeBand: state.sizeBand,
    revision,
    units: Object.values(state.units),
  };
}

/**
 * Decides and appends one command on an organisation's stream, within that organisation (every
 * event records the tenant), and returns the organisation as it stands after.
 */
export async function runOrganisationCommand(context: OrganisationsContext, organisationId: string, command: OrganisationCommand, expectedRevision?: number): Promise<OrganisationView> {
  const withTenant = { ...command, metadata: { ...command.metadata, tenantId: organisationId } } as OrganisationCommand;
  const outcome = await handleCommand(context.store, organisationDecider, organisationStreamId(organisationId), withTenant, { expectedVersion: expectedRevision });
  const revision = outcome.result?.nextExpectedVersion ?? (await context.store.streamVersion(organisationStreamId(organisationId)));
  if (outcome.state.status !== 'registered') throw new NotFound('organisation', organisationId);
  return organisationViewOf(outcome.state, revision);
}
