import { randomUUID } from 'node:crypto';
import { NotFound, RuleBroken, type CommandMetadata } from '@maatlat/shared/domain';
import { PostgresEventStore, ProjectionRunner, WrongExpectedVersion } from '@maatlat/shared/event-store';
import { createTestDatabase, type TestDatabase } from '@maatlat/shared/testing';
import { chainStreamId, organisationStreamId, type ChainEvent, type OrganisationEvent } from '@maatlat/organisations/domain';
import { Chains } from './chains';
import { chainsProjection } from './chains.projection';
import { Organisations } from './organisations';
import { organisationsProjection } from './organisations.projection';

const metadata = (actor = 'beheerder-bram'): CommandMetadata => ({ now: new Date('2026-11-30T10:00:00Z'), actor, correlationId: randomUUID() });

describe('Organisations and Chains, on the event store', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let organisations: Organisations;
  let chains: Chains;
  let runner: ProjectionRunner;
  const eventsOf = (organisationId: string) => store.readStream<OrganisationEvent>(organisationStreamId(organisationId));
  // The read models follow the log through the real runner, as the worker would move them.
  const catchUp = () => runner.catchUp();

  beforeAll(async () => {
    database = await createTestDatabase({ maxConnections: 6 });
    store = new PostgresEventStore(database.db, database.pool);
    organisations = new Organisations(database.db, store);
    chains = new Chains(database.db, store, organisations);
    runner = new ProjectionRunner(database.db, database.pool, store, [organisationsProjection, chainsProjection]);
  });
  afterAll(() => database.drop());

  describe('an organisation', () => {
    let organisationId: string;
    const units: Record<string, string> = {};

    beforeAll(async () => {
      organisationId = (await organisations.register({ name: 'Waterschap Rivierenland', organisationType: 'water-board', sizeBand: 'medium' }, metadata())).organisationId;
    });

    it('is registered in its own stream, every event recording it as the tenant', async () => {
      expect(await organisations.get(organisationId)).toEqual({ organisationId, name: 'Waterschap Rivierenland', organisationType: 'water-board', sizeBand: 'medium', revision: 1, units: [] });
      const [registered] = await eventsOf(organisationId);
      expect(registered).toMatchObject({
        version: 1,
        type: 'OrganisationRegistered',
        data: { organisationId, name: 'Waterschap Rivierenland', organisationType: 'water-board', sizeBand: 'medium' },
        metadata: { actor: 'beheerder-bram', tenantId: organisationId },
      });
    });

    it('refuses a profile change made on a stale revision with a conflict naming both versions, and records nothing', async () => {
      await organisations.changeProfile(organisationId, { sizeBand: 'large' }, metadata(), 1);
      const stale = organisations.changeProfile(organisationId, { name: 'Waterschap Rivierenland en Lek' }, metadata(), 1);
      await expect(stale).rejects.toBeInstanceOf(WrongExpectedVersion);
      await expect(stale).rejects.toMatchObject({ kind: 'conflict', details: { streamId: organisationStreamId(organisationId), expectedVersion: 1, actualVersion: 2 } });
      expect((await eventsOf(organisationId)).map((e) => [e.type, e.data])).toEqual([
        ['OrganisationRegistered', { organisationId, name: 'Waterschap Rivierenland', organisationType: 'water-board', sizeBand: 'medium' }],
        ['OrganisationProfileChanged', { name: 'Waterschap Rivierenland', organisationType: 'water-board', sizeBand: 'large' }],
      ]);
      expect(await organisations.get(organisationId)).toMatchObject({ name: 'Waterschap Rivierenland', sizeBand: 'large', revision: 2 });
    });

    it('adds units under the root and under each other', async () => {
      const add = async (name: string, parent: string | null) => (await organisations.addUnit(organisationId, { parentUnitId: parent && units[parent], name, kind: 'department' }, metadata())).unitId;
      units.beheer = await add('Watersysteembeheer', null);
      units.keringen = await add('Waterkeringen', 'beheer');
      units.inspectie = await add('Team Dijkinspectie', 'keringen');
      units.iv = await add('Informatievoorziening', null);
      const view = await organisations.get(organisationId);
      expect(view.revision).toBe(6);
      expect(view.units.map((u) => [u.name, u.parentUnitId, u.closed])).toEqual([
        ['Watersysteembeheer', null, false],
        ['Waterkeringen', units.beheer, false],
        ['Team Dijkinspectie', units.keringen, false],
        ['Informatievoorziening', null, false],
      ]);
    });

    it('refuses to move a unit under its own descendant, or itself, and records nothing', async () => {
      for (const target of [units.inspectie, units.beheer]) {
        const move = organisations.moveUnit(organisationId, units.beheer, target, metadata());
        await expect(move).rejects.toBeInstanceOf(RuleBroken);
        await expect(move).rejects.toMatchObject({ code: 'unit.cycle' });
      }
      expect(await eventsOf(organisationId)).toHaveLength(6);
    });

    it('moves a unit with its subtree, renames it, and closes a unit only once nothing open is left below it', async () => {
      await organisations.moveUnit(organisationId, units.keringen, units.iv, metadata());
      await organisations.renameUnit(organisationId, units.keringen, 'Keringen en Dijken', metadata());
      await expect(organisations.closeUnit(organisationId, units.keringen, metadata())).rejects.toMatchObject({ code: 'unit.has-open-children' });
      await organisations.closeUnit(organisationId, units.inspectie, metadata());
      expect((await eventsOf(organisationId)).slice(6).map((e) => [e.version, e.type, e.data])).toEqual([
        [7, 'UnitMoved', { unitId: units.keringen, fromParentUnitId: units.beheer, toParentUnitId: units.iv }],
        [8, 'UnitRenamed', { unitId: units.keringen, name: 'Keringen en Dijken' }],
        [9, 'UnitClosed', { unitId: units.inspectie }],
      ]);
      expect(new Set((await eventsOf(organisationId)).map((e) => e.metadata.tenantId))).toEqual(new Set([organisationId]));

      await catchUp();
      expect(await organisations.tree(organisationId)).toEqual(
        [
          { unitId: units.beheer, parentUnitId: null, name: 'Watersysteembeheer', kind: 'department', closed: false, path: units.beheer, depth: 0 },
          { unitId: units.iv, parentUnitId: null, name: 'Informatievoorziening', kind: 'department', closed: false, path: units.iv, depth: 0 },
          { unitId: units.keringen, parentUnitId: units.iv, name: 'Keringen en Dijken', kind: 'department', closed: false, path: `${units.iv}/${units.keringen}`, depth: 1 },
          { unitId: units.inspectie, parentUnitId: units.keringen, name: 'Team Dijkinspectie', kind: 'department', closed: true, path: `${units.iv}/${units.keringen}/${units.inspectie}`, depth: 2 },
        ].sort((a, b) => (a.path < b.path ? -1 : 1)),
      );
      expect(await organisations.list({ organisationType: 'water-board', sizeBand: 'large' })).toMatchObject([{ organisationId, name: 'Waterschap Rivierenland' }]);
      expect(await organisations.list({ sizeBand: 'medium' })).toEqual([]);
    });
  });

  describe('a chain', () => {
    it('takes units of two organisations as members, refuses a closed unit, and drops a removed member', async () => {
      const uwv = (await organisations.register({ name: 'UWV', organisationType: 'executive-agency', sizeBand: 'very-large' }, metadata())).organisationId;
      const zwolle = (await organisations.register({ name: 'Gemeente Zwolle', organisationType: 'municipality', sizeBand: 'medium' }, metadata())).organisationId;
      const outsider = (await organisations.register({ name: 'Provincie Drenthe', organisationType: 'province', sizeBand: 'medium' }, metadata())).organisationId;
      const handhaving = (await organisations.addUnit(uwv, { parentUnitId: null, name: 'Handhaving', kind: 'division' }, metadata())).unitId;
      const schuldhulp = (await organisations.addUnit(zwolle, { parentUnitId: null, name: 'Schuldhulp', kind: 'team' }, metadata())).unitId;
      const gesloten = (await organisations.addUnit(zwolle, { parentUnitId: null, name: 'Oud team', kind: 'team' }, metadata())).unitId;
      await organisations.closeUnit(zwolle, gesloten, metadata());

      const formed = await chains.form({ name: ' Schuldhulpverlening ', description: 'Van signaal tot schuldregeling' }, metadata());
      const { chainId } = formed;
      expect(formed).toMatchObject({ status: 'formed', name: 'Schuldhulpverlening', members: [], revision: 1 });
      await chains.addMember(chainId, { organisationId: uwv, unitId: handhaving }, metadata());
      const both = await chains.addMember(chainId, { organisationId: zwolle, unitId: schuldhulp }, metadata());
      expect(both).toMatchObject({ revision: 3, members: [{ organisationId: uwv, unitId: handhaving }, { organisationId: zwolle, unitId: schuldhulp }] });

      await expect(chains.addMember(chainId, { organisationId: zwolle, unitId: gesloten }, metadata())).rejects.toBeInstanceOf(NotFound);
      await expect(chains.addMember(chainId, { organisationId: zwolle, unitId: schuldhulp }, metadata())).rejects.toMatchObject({ code: 'chain.member-exists' });
      await chains.removeMember(chainId, { organisationId: uwv, unitId: handhaving }, metadata());

      const events = await store.readStream<ChainEvent>(chainStreamId(chainId));
      expect(events.map((e) => [e.version, e.type, e.data])).toEqual([
        [1, 'ChainFormed', { chainId, name: 'Schuldhulpverlening', description: 'Van signaal tot schuldregeling' }],
        [2, 'ChainMemberAdded', { organisationId: uwv, unitId: handhaving }],
        [3, 'ChainMemberAdded', { organisationId: zwolle, unitId: schuldhulp }],
        [4, 'ChainMemberRemoved', { organisationId: uwv, unitId: handhaving }],
      ]);
      expect(await chains.get(chainId)).toMatchObject({ revision: 4, members: [{ organisationId: zwolle, unitId: schuldhulp }] });

      await catchUp();
      expect(await chains.list([zwolle])).toMatchObject([{ chainId, name: 'Schuldhulpverlening' }]);
      // Membership, not history, decides who sees a chain: UWV left it.
      expect(await chains.list([uwv])).toEqual([]);
      expect(await chains.list([outsider])).toEqual([]);
      expect(await chains.list([])).toEqual([]);
    });
  });
});
