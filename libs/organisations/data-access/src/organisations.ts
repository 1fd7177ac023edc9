import type { Kysely, Selectable } from 'kysely';
import type { DB, OrganisationsTable, OrganisationUnitsTable } from '@maatlat/shared/database';
import { NotFound, type CommandMetadata } from '@maatlat/shared/domain';
import { foldEvents, handleCommand, newEntityId, type PostgresEventStore } from '@maatlat/shared/event-store';
import {
  organisationDecider,
  organisationStreamId,
  type OrganisationCommand,
  type OrganisationState,
  type OrganisationType,
  type SizeBand,
  type UnitKind,
} from '@maatlat/organisations/domain';

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

/** An organisation as lists show it (the `organisations` read model). */
export interface OrganisationSummary {
  organisationId: string;
  name: string;
  organisationType: OrganisationType;
  sizeBand: SizeBand;
  registeredAt: string;
  updatedAt: string;
}

/** A unit in the tree (the `organisation_units` read model): `path` runs from the top unit down. */
export interface UnitNode {
  unitId: string;
  parentUnitId: string | null;
  name: string;
  kind: UnitKind;
  closed: boolean;
  path: string;
  depth: number;
}

function toOrganisationSummary(row: Selectable<OrganisationsTable>): OrganisationSummary {
  return {
    organisationId: row.organisation_id,
    name: row.name,
    organisationType: row.organisation_type as OrganisationType,
    sizeBand: row.size_band as SizeBand,
    registeredAt: row.registered_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

function toUnitNode(row: Pick<Selectable<OrganisationUnitsTable>, 'unit_id' | 'parent_unit_id' | 'name' | 'kind' | 'closed' | 'path' | 'depth'>): UnitNode {
  return { unitId: row.unit_id, parentUnitId: row.parent_unit_id, name: row.name, kind: row.kind as UnitKind, closed: row.closed, path: row.path, depth: row.depth };
}

function toView(state: Registered, revision: number): OrganisationView {
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
 * The organisations' use cases, shared by the API and the CLI. New ids are time-ordered uuids, or
 * derived from the caller's idempotency key, so a retried creation names what the first one made.
 */
export class Organisations {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly store: PostgresEventStore,
  ) {}

  register(input: { name: string; organisationType: OrganisationType; sizeBand: SizeBand }, metadata: CommandMetadata): Promise<OrganisationView> {
    const organisationId = newEntityId('organisation', metadata);
    return this.run(organisationId, { type: 'RegisterOrganisation', data: { organisationId, ...input }, metadata: { ...metadata, tenantId: organisationId } });
  }

  changeProfile(organisationId: string, input: { name?: string; organisationType?: OrganisationType; sizeBand?: SizeBand }, metadata: CommandMetadata, expectedRevision?: number) {
    return this.run(organisationId, { type: 'ChangeOrganisationProfile', data: input, metadata }, expectedRevision);
  }

  async addUnit(organisationId: string, input: { parentUnitId: string | null; name: string; kind: UnitKind }, metadata: CommandMetadata, expectedRevision?: number) {
    const unitId = newEntityId('unit', metadata);
    const view = await this.run(organisationId, { type: 'AddUnit', data: { unitId, ...input }, metadata }, expectedRevision);
    return { unitId, organisation: view };
  }

  renameUnit(organisationId: string, unitId: string, name: string, metadata: CommandMetadata, expectedRevision?: number) {
    return this.run(organisationId, { type: 'RenameUnit', data: { unitId, name }, metadata }, expectedRevision);
  }

  moveUnit(organisationId: string, unitId: string, toParentUnitId: string | null, metadata: CommandMetadata, expectedRevision?: number) {
    return this.run(organisationId, { type: 'MoveUnit', data: { unitId, toParentUnitId }, metadata }, expectedRevision);
  }

  closeUnit(organisationId: string, unitId: string, metadata: CommandMetadata, expectedRevision?: number) {
    return this.run(organisationId, { type: 'CloseUnit', data: { unitId }, metadata }, expectedRevision);
  }

  /** One organisation with its units, as its stream says now. */
  async get(organisationId: string): Promise<OrganisationView> {
    const events = await this.store.readStream(organisationStreamId(organisationId));
    const state = foldEvents(organisationDecider, events);
    if (state.status !== 'registered') throw new NotFound('organisation', organisationId);
    return toView(state, events[events.length - 1].version);
  }

  /** Organisations from the read model, optionally one peer group (and only those of `ids`). */
  async list(filter: { organisationType?: string; sizeBand?: string; ids?: readonly string[] } = {}): Promise<OrganisationSummary[]> {
    if (filter.ids && filter.ids.length === 0) return [];
    const rows = await this.db
      .selectFrom('organisations')
      .selectAll()
      .$if(filter.organisationType !== undefined, (q) => q.where('organisation_type', '=', filter.organisationType!))
      .$if(filter.sizeBand !== undefined, (q) => q.where('size_band', '=', filter.sizeBand!))
      .$if(filter.ids !== undefined, (q) => q.where('organisation_id', 'in', filter.ids!))
      .orderBy('name')
      .execute();
    return rows.map(toOrganisationSummary);
  }

  /** The unit tree from the read model, depth first (parents before children). */
  async tree(organisationId: string): Promise<UnitNode[]> {
    const rows = await this.db
      .selectFrom('organisation_units')
      .select(['unit_id', 'parent_unit_id', 'name', 'kind', 'closed', 'path', 'depth'])
      .where('organisation_id', '=', organisationId)
      .orderBy('path')
      .execute();
    return rows.map(toUnitNode);
  }

  private async run(organisationId: string, command: OrganisationCommand, expectedRevision?: number): Promise<OrganisationView> {
    const withTenant = { ...command, metadata: { ...command.metadata, tenantId: organisationId } } as OrganisationCommand;
    const outcome = await handleCommand(this.store, organisationDecider, organisationStreamId(organisationId), withTenant, { expectedVersion: expectedRevision });
    const revision = outcome.result?.nextExpectedVersion ?? (await this.store.streamVersion(organisationStreamId(organisationId)));
    if (outcome.state.status !== 'registered') throw new NotFound('organisation', organisationId);
    return toView(outcome.state, revision);
  }
}
