import type { Selectable } from 'kysely';
import type { OrganisationUnitsTable } from '@maatlat/shared/database';
import { NotFound } from '@maatlat/shared/domain';
import { foldEvents } from '@maatlat/shared/event-store';
import { organisationDecider, organisationStreamId, type OrganisationEvent, type UnitKind } from '@maatlat/organisations/domain';
import { organisationViewOf, type OrganisationsContext, type OrganisationView } from './organisations.context';

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

function toUnitNode(row: Pick<Selectable<OrganisationUnitsTable>, 'unit_id' | 'parent_unit_id' | 'name' | 'kind' | 'closed' | 'path' | 'depth'>): UnitNode {
  return { unitId: row.unit_id, parentUnitId: row.parent_unit_id, name: row.name, kind: row.kind as UnitKind, closed: row.closed, path: row.path, depth: row.depth };
}

/** One organisation with its units, as its stream says now. */
export async function readOrganisation(context: OrganisationsContext, organisationId: string): Promise<OrganisationView> {
  const events = await context.store.readStream<OrganisationEvent>(organisationStreamId(organisationId));
  const state = foldEvents(organisationDecider, events);
  if (state.status !== 'registered') throw new NotFound('organisation', organisationId);
  return organisationViewOf(state, events[events.length - 1].version);
}

/** The unit tree from the read model, depth first (parents before children). */
export async function readUnitTree(context: OrganisationsContext, organisationId: string): Promise<UnitNode[]> {
  const rows = await context.db
    .selectFrom('organisation_units')
    .select(['unit_id', 'parent_unit_id', 'name', 'kind', 'closed', 'path', 'depth'])
    .where('organisation_id', '=', organisationId)
    .orderBy('path')
    .execute();
  return rows.map(toUnitNode);
}
