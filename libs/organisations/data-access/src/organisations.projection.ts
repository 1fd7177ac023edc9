import { sql, type Transaction } from 'kysely';
import type { DB } from '@maatlat/shared/database';
import type { Projection, RecordedEvent } from '@maatlat/shared/event-store';
import { parseOrganisationStreamId, type OrganisationEvent } from '@maatlat/organisations/domain';

async function unitPath(trx: Transaction<DB>, organisationId: string, unitId: string | null): Promise<{ path: string; depth: number }> {
  if (unitId === null) return { path: '', depth: -1 };
  const row = await trx
    .selectFrom('organisation_units')
    .select(['path', 'depth'])
    .where('organisation_id', '=', organisationId)
    .where('unit_id', '=', unitId)
    .executeTakeFirstOrThrow();
  return row;
}

const join = (parentPath: string, unitId: string) => (parentPath ? `${parentPath}/${unitId}` : unitId);

async function apply(trx: Transaction<DB>, event: RecordedEvent<OrganisationEvent>): Promise<void> {
  const organisationId = parseOrganisationStreamId(event.streamId);
  const at = event.recordedAt;
  const units = () => trx.updateTable('organisation_units').where('organisation_id', '=', organisationId);
  switch (event.type) {
    case 'OrganisationRegistered':
      await trx
        .insertInto('organisations')
        .values({ organisation_id: organisationId, name: event.data.name, organisation_type: event.data.organisationType, size_band: event.data.sizeBand, registered_at: at, updated_at: at })
        .execute();
      return;
    case 'OrganisationProfileChanged':
      await trx
        .updateTable('organisations')
        .set({ name: event.data.name, organisation_type: event.data.organisationType, size_band: event.data.sizeBand, updated_at: at })
        .where('organisation_id', '=', organisationId)
        .execute();
      return;
    case 'UnitAdded': {
      const parent = await unitPath(trx, organisationId, event.data.parentUnitId);
      await trx
        .insertInto('organisation_units')
        .values({
          organisation_id: organisationId,
          unit_id: event.data.unitId,
          parent_unit_id: event.data.parentUnitId,
          name: event.data.name,
          kind: event.data.kind,
          path: join(parent.path, event.data.unitId),
          depth: parent.depth + 1,
          updated_at: at,
        })
        .execute();
      return;
    }
    case 'UnitRenamed':
      await units().set({ name: event.data.name, updated_at: at }).where('unit_id', '=', event.data.unitId).execute();
      return;
    case 'UnitMoved': {
      const old = await unitPath(trx, organisationId, event.data.unitId);
      const parent = await unitPath(trx, organisationId, event.data.toParentUnitId);
      const path = join(parent.path, event.data.unitId);
      const depthShift = parent.depth + 1 - old.depth;
      // The unit and its whole subtree take the new prefix.
      await units()
        .set({
          path: sql`${path} || substr(path, ${old.path.length + 1})`,
          depth: sql`depth + ${depthShift}`,
          updated_at: at,
        })
        .where((eb) => eb.or([eb('path', '=', old.path), eb('path', 'like', `${old.path}/%`)]))
        .execute();
      await units().set({ parent_unit_id: event.data.toParentUnitId }).where('unit_id', '=', event.data.unitId).execute();
      return;
    }
    case 'UnitClosed':
      await units().set({ closed: true, updated_at: at }).where('unit_id', '=', event.data.unitId).execute();
      return;
  }
}

/** Organisations and their unit trees (with materialised paths), for lists, trees and peer groups. */
export const organisationsProjection: Projection<OrganisationEvent> = {
  name: 'organisations',
  tables: ['organisations', 'organisation_units'],
  eventTypes: ['OrganisationRegistered', 'OrganisationProfileChanged', 'UnitAdded', 'UnitRenamed', 'UnitMoved', 'UnitClosed'],
  async apply(trx, events) {
    for (const event of events) await apply(trx, event);
  },
  async reset(trx) {
    await trx.deleteFrom('organisation_units').execute();
    await trx.deleteFrom('organisations').execute();
  },
};
