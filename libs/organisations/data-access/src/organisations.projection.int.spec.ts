import { NoResultError, type Transaction } from 'kysely';
import type { DB } from '@maatlat/shared/database';
import { createTestDatabase, GIVEN_RECORDED_AT, projectionSpec, type GivenEvent, type TestDatabase } from '@maatlat/shared/testing';
import type { ChainEvent, OrganisationEvent, UnitKind } from '@maatlat/organisations/domain';
import { chainsProjection } from './chains.projection';
import { organisationsProjection } from './organisations.projection';

const at = (minute: number) => new Date(Date.UTC(2026, 0, 5, 9, minute));

type Given = GivenEvent<OrganisationEvent>;
const registered: Given = {
  type: 'OrganisationRegistered',
  data: { organisationId: 'utrecht', name: 'Gemeente Utrecht', organisationType: 'municipality', sizeBand: 'large' },
};
const unit = (unitId: string, parentUnitId: string | null, name: string, kind: UnitKind = 'department', recordedAt = GIVEN_RECORDED_AT): Given => ({
  type: 'UnitAdded',
  data: { unitId, parentUnitId, name, kind },
  recordedAt,
});
const moved = (unitId: string, fromParentUnitId: string | null, toParentUnitId: string | null, recordedAt: Date): Given => ({
  type: 'UnitMoved',
  data: { unitId, fromParentUnitId, toParentUnitId },
  recordedAt,
});
// Sociaal Domein > Werk en Inkomen > Team Bijstand; Dienstverlening.
const tree: Given[] = [
  registered,
  unit('sd', null, 'Sociaal Domein', 'division'),
  unit('wi', 'sd', 'Werk en Inkomen'),
  unit('bijstand', 'wi', 'Team Bijstand', 'team'),
  unit('dv', null, 'Dienstverlening', 'division'),
];

const unitRows = (trx: Transaction<DB>) =>
  trx
    .selectFrom('organisation_units')
    .select(['unit_id', 'parent_unit_id', 'name', 'kind', 'closed', 'path', 'depth', 'updated_at'])
    .where('organisation_id', '=', 'utrecht')
    .orderBy('path');

describe('organisations projection', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase({ maxConnections: 4 });
  });
  afterAll(() => database.drop());
  const spec = () => projectionSpec(organisationsProjection, database);

  it('lists a registered organisation with its peer-group columns', async () => {
    await spec()
      .given([registered], { streamId: 'organisation-utrecht' })
      .thenRows('organisations', [
        { organisation_id: 'utrecht', name: 'Gemeente Utrecht', organisation_type: 'municipality', size_band: 'large', registered_at: GIVEN_RECORDED_AT, updated_at: GIVEN_RECORDED_AT },
      ]);
  });

  it('takes a profile change into the row and moves updated_at, keeping registered_at', async () => {
    await spec()
      .given(
        [registered, { type: 'OrganisationProfileChanged', data: { name: 'Gemeente Utrecht (G4)', organisationType: 'municipality', sizeBand: 'very-large' }, recordedAt: at(30) }],
        { streamId: 'organisation-utrecht' },
      )
      .thenRows('organisations', [
        { organisation_id: 'utrecht', name: 'Gemeente Utrecht (G4)', organisation_type: 'municipality', size_band: 'very-large', registered_at: GIVEN_RECORDED_AT, updated_at: at(30) },
      ]);
  });

  it('gives added units a materialised path and depth below their parent', async () => {
    await spec()
      .given(tree, { streamId: 'organisation-utrecht' })
      .thenRows(unitRows, [
        { unit_id: 'dv', parent_unit_id: null, name: 'Dienstverlening', kind: 'division', closed: false, path: 'dv', depth: 0, updated_at: GIVEN_RECORDED_AT },
        { unit_id: 'sd', parent_unit_id: null, name: 'Sociaal Domein', kind: 'division', closed: false, path: 'sd', depth: 0, updated_at: GIVEN_RECORDED_AT },
        { unit_id: 'wi', parent_unit_id: 'sd', name: 'Werk en Inkomen', kind: 'department', closed: false, path: 'sd/wi', depth: 1, updated_at: GIVEN_RECORDED_AT },
        { unit_id: 'bijstand', parent_unit_id: 'wi', name: 'Team Bijstand', kind: 'team', closed: false, path: 'sd/wi/bijstand', depth: 2, updated_at: GIVEN_RECORDED_AT },
      ]);
  });

  it('renames a unit without touching its place in the tree', async () => {
    await spec()
      .given([...tree, { type: 'UnitRenamed', data: { unitId: 'wi', name: 'Werk, Participatie en Inkomen' }, recordedAt: at(10) }], { streamId: 'organisation-utrecht' })
      .thenRows((trx) => trx.selectFrom('organisation_units').select(['unit_id', 'name', 'path', 'depth', 'updated_at']).where('unit_id', 'in', ['wi', 'sd']).orderBy('unit_id'), [
        { unit_id: 'sd', name: 'Sociaal Domein', path: 'sd', depth: 0, updated_at: GIVEN_RECORDED_AT },
        { unit_id: 'wi', name: 'Werk, Participatie en Inkomen', path: 'sd/wi', depth: 1, updated_at: at(10) },
      ]);
  });

  it('rewrites the paths and depths of the whole subtree when a unit moves under another unit', async () => {
    await spec()
      .given([...tree, moved('wi', 'sd', 'dv', at(20))], { streamId: 'organisation-utrecht' })
      .thenRows(unitRows, [
        { unit_id: 'dv', parent_unit_id: null, name: 'Dienstverlening', kind: 'division', closed: false, path: 'dv', depth: 0, updated_at: GIVEN_RECORDED_AT },
        { unit_id: 'wi', parent_unit_id: 'dv', name: 'Werk en Inkomen', kind: 'department', closed: false, path: 'dv/wi', depth: 1, updated_at: at(20) },
        { unit_id: 'bijstand', parent_unit_id: 'wi', name: 'Team Bijstand', kind: 'team', closed: false, path: 'dv/wi/bijstand', depth: 2, updated_at: at(20) },
        { unit_id: 'sd', parent_unit_id: null, name: 'Sociaal Domein', kind: 'division', closed: false, path: 'sd', depth: 0, updated_at: GIVEN_RECORDED_AT },
      ]);
  });

  it('lifts a subtree to the top of the tree, and a deeper one down again, with depths shifted both ways', async () => {
    const history = [...tree, unit('zorg', 'dv', 'Zorg'), moved('wi', 'sd', null, at(20)), moved('wi', null, 'zorg', at(40))];
    await spec()
      .given(history.slice(0, -1), { streamId: 'organisation-utrecht' })
      .thenRows((trx) => trx.selectFrom('organisation_units').select(['unit_id', 'path', 'depth']).where('unit_id', 'in', ['wi', 'bijstand']).orderBy('path'), [
        { unit_id: 'wi', path: 'wi', depth: 0 },
        { unit_id: 'bijstand', path: 'wi/bijstand', depth: 1 },
      ]);
    await spec()
      .given(history, { streamId: 'organisation-utrecht' })
      .thenRows((trx) => trx.selectFrom('organisation_units').select(['unit_id', 'parent_unit_id', 'path', 'depth']).where('unit_id', 'in', ['wi', 'bijstand']).orderBy('path'), [
        { unit_id: 'wi', parent_unit_id: 'zorg', path: 'dv/zorg/wi', depth: 2 },
        { unit_id: 'bijstand', parent_unit_id: 'wi', path: 'dv/zorg/wi/bijstand', depth: 3 },
      ]);
  });

  it('moves only within the organisation whose stream says so, whatever units elsewhere are called', async () => {
    const elsewhere: Given[] = [
      { type: 'OrganisationRegistered', data: { organisationId: 'zwolle', name: 'Gemeente Zwolle', organisationType: 'municipality', sizeBand: 'medium' }, streamId: 'organisation-zwolle' },
      { ...unit('sd', null, 'Sociaal Domein'), streamId: 'organisation-zwolle' },
      { ...unit('wi', 'sd', 'Werk en Inkomen'), streamId: 'organisation-zwolle' },
      { ...unit('dv', null, 'Dienstverlening'), streamId: 'organisation-zwolle' },
    ];
    await spec()
      .given([...tree, ...elsewhere, moved('wi', 'sd', 'dv', at(20))], { streamId: 'organisation-utrecht' })
      .thenRows((trx) => trx.selectFrom('organisation_units').select(['organisation_id', 'unit_id', 'path', 'depth']).where('unit_id', '=', 'wi').orderBy('organisation_id'), [
        { organisation_id: 'utrecht', unit_id: 'wi', path: 'dv/wi', depth: 1 },
        { organisation_id: 'zwolle', unit_id: 'wi', path: 'sd/wi', depth: 1 },
      ]);
  });

  it('does not take a unit whose id merely starts with the moved unit id into the move', async () => {
    await spec()
      .given([...tree, unit('wi-2', 'sd', 'Werk en Inkomen 2'), moved('wi', 'sd', 'dv', at(20))], { streamId: 'organisation-utrecht' })
      .thenRows((trx) => trx.selectFrom('organisation_units').select(['unit_id', 'path']).where('unit_id', 'like', 'wi%').orderBy('unit_id'), [
        { unit_id: 'wi', path: 'dv/wi' },
        { unit_id: 'wi-2', path: 'sd/wi-2' },
      ]);
  });

  it('marks a closed unit closed and keeps it in the tree', async () => {
    await spec()
      .given([...tree, { type: 'UnitClosed', data: { unitId: 'bijstand' }, recordedAt: at(50) }], { streamId: 'organisation-utrecht' })
      .thenRows((trx) => trx.selectFrom('organisation_units').select(['unit_id', 'closed', 'path', 'updated_at']).orderBy('path'), [
        { unit_id: 'dv', closed: false, path: 'dv', updated_at: GIVEN_RECORDED_AT },
        { unit_id: 'sd', closed: false, path: 'sd', updated_at: GIVEN_RECORDED_AT },
        { unit_id: 'wi', closed: false, path: 'sd/wi', updated_at: GIVEN_RECORDED_AT },
        { unit_id: 'bijstand', closed: true, path: 'sd/wi/bijstand', updated_at: at(50) },
      ]);
  });

  it('fails on a unit added under a parent it has never seen, rather than guessing a path', async () => {
    await spec()
      .given([registered, unit('wi', 'sd', 'Werk en Inkomen')], { streamId: 'organisation-utrecht' })
      .thenThrows(NoResultError);
  });

  it('rebuilds to the rows it reached live', async () => {
    const history = [
      ...tree,
      { type: 'OrganisationProfileChanged', data: { name: 'Gemeente Utrecht', organisationType: 'municipality', sizeBand: 'very-large' }, recordedAt: at(5) } as Given,
      unit('zorg', 'dv', 'Zorg', 'department', at(6)),
      moved('wi', 'sd', 'zorg', at(7)),
      { type: 'UnitRenamed', data: { unitId: 'bijstand', name: 'Team Bijstand en Schuldhulp' }, recordedAt: at(8) } as Given,
      moved('wi', 'zorg', null, at(9)),
      { type: 'UnitClosed', data: { unitId: 'bijstand' }, recordedAt: at(10) } as Given,
    ];
    const given = spec().given(history, { streamId: 'organisation-utrecht' });
    // Split where the second batch moves a subtree the first batch built.
    const units = await given.thenRebuildEqualsIncremental('organisation_units', 7);
    expect(units).toHaveLength(5);
    await given.thenRebuildEqualsIncremental('organisations', 7);
  });
});

describe('chains projection', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase({ maxConnections: 4 });
  });
  afterAll(() => database.drop());
  const spec = () => projectionSpec(chainsProjection, database);

  const formed: GivenEvent<ChainEvent> = { type: 'ChainFormed', data: { chainId: 'schuldhulp', name: 'Schuldhulpverlening', description: 'Van signaal tot schuldregeling' } };
  const added = (organisationId: string, unitId: string, recordedAt: Date): GivenEvent<ChainEvent> => ({ type: 'ChainMemberAdded', data: { organisationId, unitId }, recordedAt });
  const removed = (organisationId: string, unitId: string): GivenEvent<ChainEvent> => ({ type: 'ChainMemberRemoved', data: { organisationId, unitId }, recordedAt: at(30) });

  it('lists a formed chain under the id in its stream', async () => {
    await spec()
      .given([formed], { streamId: 'chain-schuldhulp' })
      .thenRows('chains', [{ chain_id: 'schuldhulp', name: 'Schuldhulpverlening', description: 'Van signaal tot schuldregeling', formed_at: GIVEN_RECORDED_AT }]);
  });

  it('adds members of several organisations with the moment they joined', async () => {
    await spec()
      .given([formed, added('utrecht', 'bijstand', at(10)), added('uwv', 'handhaving', at(20))], { streamId: 'chain-schuldhulp' })
      .thenRows('chain_members', [
        { chain_id: 'schuldhulp', organisation_id: 'utrecht', unit_id: 'bijstand', joined_at: at(10) },
        { chain_id: 'schuldhulp', organisation_id: 'uwv', unit_id: 'handhaving', joined_at: at(20) },
      ]);
  });

  it('removes exactly the member named, not its organisation nor the same unit in another chain', async () => {
    const other: GivenEvent<ChainEvent>[] = [
      { type: 'ChainFormed', data: { chainId: 'inburgering', name: 'Inburgering', description: '' }, streamId: 'chain-inburgering' },
      { ...added('utrecht', 'bijstand', at(15)), streamId: 'chain-inburgering' },
    ];
    await spec()
      .given([formed, added('utrecht', 'bijstand', at(10)), added('utrecht', 'wi', at(11)), ...other, removed('utrecht', 'bijstand')], { streamId: 'chain-schuldhulp' })
      .thenRows('chain_members', [
        { chain_id: 'inburgering', organisation_id: 'utrecht', unit_id: 'bijstand', joined_at: at(15) },
        { chain_id: 'schuldhulp', organisation_id: 'utrecht', unit_id: 'wi', joined_at: at(11) },
      ]);
  });

  it('rebuilds to the rows it reached live', async () => {
    const given = spec().given([formed, added('utrecht', 'bijstand', at(10)), added('uwv', 'handhaving', at(20)), removed('utrecht', 'bijstand'), added('utrecht', 'bijstand', at(40))], {
      streamId: 'chain-schuldhulp',
    });
    expect(await given.thenRebuildEqualsIncremental('chain_members', 3)).toEqual([
      { chain_id: 'schuldhulp', organisation_id: 'utrecht', unit_id: 'bijstand', joined_at: at(40) },
      { chain_id: 'schuldhulp', organisation_id: 'uwv', unit_id: 'handhaving', joined_at: at(20) },
    ]);
    await given.thenRebuildEqualsIncremental('chains', 3);
  });
});
