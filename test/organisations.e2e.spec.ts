import { randomUUID } from 'node:crypto';
import { mintLocalToken } from '@maatlat/access';
import { eventually, type TestDatabase } from '@maatlat/shared/testing';
import { startPlatform, TEST_ISSUER_SECRET as SECRET, type TestPlatform } from './support/platform';

describe('organisations and their unit trees, over HTTP', () => {
  let platform: TestPlatform;
  let database: TestDatabase;
  const admin: Record<string, string> = {};
  const http = () => platform.http();

  beforeAll(async () => {
    platform = await startPlatform({ worker: true });
    database = platform.database;
    admin.Authorization = `Bearer ${await mintLocalToken(SECRET, { subject: 'beheerder-bram', roles: ['platform-admin'], organisations: [] })}`;
  });
  afterAll(() => platform?.stop());

  it('registers an organisation, builds, moves and closes units, and keeps the tree read model in step', async () => {
    const org = await http().post('/v1/organisations').set(admin).send({ name: 'Waterschap Rivierenland', organisationType: 'water-board', sizeBand: 'medium' }).expect(201);
    const id = org.body.organisationId as string;
    expect(org.body).toMatchObject({ name: 'Waterschap Rivierenland', organisationType: 'water-board', sizeBand: 'medium', revision: 1, units: [] });

    const add = async (name: string, parentUnitId: string | null) =>
      (await http().post(`/v1/organisations/${id}/units`).set(admin).send({ name, kind: 'department', parentUnitId }).expect(201)).body.unitId as string;
    const beheer = await add('Watersysteembeheer', null);
    const keringen = await add('Waterkeringen', beheer);
    const team = await add('Team Dijkinspectie', keringen);
    const data = await add('Informatievoorziening', null);

    const cycle = await http().post(`/v1/organisations/${id}/units/${beheer}/move`).set(admin).send({ toParentUnitId: team }).expect(422);
    expect(cycle.body).toMatchObject({ code: 'unit.cycle', detail: `unit ${beheer} cannot move under ${team}: that is the unit itself or one of its descendants` });

    await http().post(`/v1/organisations/${id}/units/${keringen}/move`).set(admin).send({ toParentUnitId: data }).expect(200);
    const closing = await http().post(`/v1/organisations/${id}/units/${keringen}/close`).set(admin).expect(422);
    expect(closing.body.code).toBe('unit.has-open-children');

    await eventually(async () => {
      const tree = await http().get(`/v1/organisations/${id}/tree`).set(admin).expect(200);
      expect(tree.body.map((u: { name: string; depth: number; path: string }) => [u.name, u.depth, u.path])).toEqual(
        [
          ['Watersysteembeheer', 0, beheer],
          ['Informatievoorziening', 0, data],
          ['Waterkeringen', 1, `${data}/${keringen}`],
          ['Team Dijkinspectie', 2, `${data}/${keringen}/${team}`],
        ].sort((a, b) => String(a[2]).localeCompare(String(b[2]))),
      );
    });

    const peers = await eventually(async () => {
      const list = await http().get('/v1/organisations?organisationType=water-board&sizeBand=medium').set(admin).expect(200);
      expect(list.body).toHaveLength(1);
      return list.body;
    });
    expect(peers[0]).toMatchObject({ organisationId: id, name: 'Waterschap Rivierenland' });

    const events = await database.pool.query(`SELECT type, metadata->>'actor' AS actor, metadata->>'tenantId' AS tenant FROM events WHERE stream_id = $1 ORDER BY version`, [`organisation-${id}`]);
    expect(events.rows.map((r) => r.type)).toEqual(['OrganisationRegistered', 'UnitAdded', 'UnitAdded', 'UnitAdded', 'UnitAdded', 'UnitMoved']);
    expect(events.rows.every((r) => r.actor === 'beheerder-bram' && r.tenant === id)).toBe(true);
  });

  it('answers 404 for unknown organisations and units, 400 for bad input, and writes nothing', async () => {
    const before = (await database.pool.query('SELECT count(*)::int AS n FROM events')).rows[0].n;
    await http().get(`/v1/organisations/${randomUUID()}`).set(admin).expect(404);
    const org = await http().post('/v1/organisations').set(admin).send({ name: 'Provincie Gelderland', organisationType: 'province', sizeBand: 'large' }).expect(201);
    const id = org.body.organisationId;
    const missing = await http().post(`/v1/organisations/${id}/units`).set(admin).send({ name: 'X', kind: 'team', parentUnitId: 'no-such-unit' }).expect(404);
    expect(missing.body.detail).toBe('unit no-such-unit was not found');
    const bad = await http().post('/v1/organisations').set(admin).send({ name: '', organisationType: 'bank', sizeBand: 'huge' }).expect(400);
    expect(bad.body.details.problems.map((p: { field: string }) => p.field).sort()).toEqual(['name', 'organisationType', 'sizeBand']);
    expect((await database.pool.query('SELECT count(*)::int AS n FROM events')).rows[0].n).toBe(before + 1);
  });

  it('forms a chain across organisations that only its members can see', async () => {
    const register = async (name: string, organisationType: string) =>
      (await http().post('/v1/organisations').set(admin).send({ name, organisationType, sizeBand: 'large' }).expect(201)).body.organisationId as string;
    const uwv = await register('UWV', 'executive-agency');
    const gemeente = await register('Gemeente Zwolle', 'municipality');
    const outsider = await register('Provincie Drenthe', 'province');
    const unitOf = async (organisationId: string, name: string) =>
      (await http().post(`/v1/organisations/${organisationId}/units`).set(admin).send({ name, kind: 'department' }).expect(201)).body.unitId as string;
    const werkbedrijf = await unitOf(uwv, 'WERKbedrijf');
    const werkInkomen = await unitOf(gemeente, 'Werk en Inkomen');

    const chain = (await http().post('/v1/chains').set(admin).send({ name: 'Keten Werk en Inkomen', description: 'UWV en gemeente samen' }).expect(201)).body;
    await http().post(`/v1/chains/${chain.chainId}/members`).set(admin).send({ organisationId: uwv, unitId: werkbedrijf }).expect(201);
    const coordinatorOf = async (organisationId: string) =>
      `Bearer ${await mintLocalToken(SECRET, { subject: `coordinator-${organisationId}`, roles: ['coordinator'], organisations: [organisationId] })}`;
    const zwolle = await coordinatorOf(gemeente);
    // A coordinator adds a unit of their own organisation, not someone else's.
    await http().post(`/v1/chains/${chain.chainId}/members`).set('Authorization', zwolle).send({ organisationId: uwv, unitId: werkbedrijf }).expect(403);
    const joined = await http().post(`/v1/chains/${chain.chainId}/members`).set('Authorization', zwolle).send({ organisationId: gemeente, unitId: werkInkomen }).expect(201);
    expect(joined.body.members).toEqual([
      { organisationId: uwv, unitId: werkbedrijf },
      { organisationId: gemeente, unitId: werkInkomen },
    ]);
    await http().post(`/v1/chains/${chain.chainId}/members`).set(admin).send({ organisationId: gemeente, unitId: 'no-such-unit' }).expect(404);

    await http().get(`/v1/chains/${chain.chainId}`).set('Authorization', zwolle).expect(200);
    await http().get(`/v1/chains/${chain.chainId}`).set('Authorization', await coordinatorOf(outsider)).expect(403);
    await eventually(async () => {
      const mine = await http().get('/v1/chains').set('Authorization', zwolle).expect(200);
      expect(mine.body.map((c: { name: string }) => c.name)).toEqual(['Keten Werk en Inkomen']);
    });
    expect((await http().get('/v1/chains').set('Authorization', await coordinatorOf(outsider)).expect(200)).body).toEqual([]);
  });
});
