import { sql } from 'kysely';
import { mintLocalToken } from '@maatlat/access';
import { organisationsProjection } from '@maatlat/organisations/data-access';
import { PostgresEventStore, rebuildProjection, resetProjection, type RebuildProgress } from '@maatlat/shared/event-store';
import { eventually } from '@maatlat/shared/testing';
import { startPlatform, TEST_ISSUER_SECRET as SECRET, type TestPlatform } from './support/platform';

/**
 * A projection rebuilt while the platform runs: the API stays ready and keeps serving the old read
 * model (kept current by the worker) until the rebuilt one is swapped in at the end, in one go.
 */
describe('a projection rebuilt under a running platform', () => {
  let platform: TestPlatform;
  let store: PostgresEventStore;
  const admin: Record<string, string> = {};
  const names = ['Gemeente Utrecht', 'Provincie Gelderland', 'Waterschap Rivierenland', 'Rijkswaterstaat', 'Inspectie Leefomgeving en Transport'];

  const listed = async () =>
    ((await platform.http().get('/v1/organisations').set(admin).expect(200)).body as { name: string }[]).map((o) => o.name).sort();
  const register = (name: string) => platform.http().post('/v1/organisations').set(admin).send({ name, organisationType: 'municipality', sizeBand: 'small' }).expect(201);
  /** What a faulty projection leaves behind: every name wrong, so old rows and rebuilt rows tell apart. */
  const damage = () => sql`UPDATE organisations SET name = 'Verouderd: ' || name`.execute(platform.database.db);
  const holdAt = (share: number) => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let reached!: (progress: RebuildProgress) => void;
    const halfway = new Promise<RebuildProgress>((resolve) => (reached = resolve));
    let held = false;
    const afterBatch = async (progress: RebuildProgress) => {
      if (held || progress.eventsProcessed < share) return;
      held = true;
      reached(progress);
      await released;
    };
    return { afterBatch, halfway, release };
  };

  beforeAll(async () => {
    platform = await startPlatform({ worker: true });
    store = new PostgresEventStore(platform.database.db, platform.database.pool);
    admin.Authorization = `Bearer ${await mintLocalToken(SECRET, { subject: 'beheerder-bram', roles: ['platform-admin'], organisations: [] })}`;
    for (const name of names) await register(name);
    await eventually(async () => expect(await listed()).toEqual([...names].sort()));
  });
  afterAll(() => platform?.stop());

  it('stays ready and serves the old rows while held half-way, then swaps in a read model equal to the incremental one', async () => {
    await damage();
    const old = await listed();
    expect(old).toEqual(names.map((n) => `Verouderd: ${n}`).sort());
    const total = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM events`.execute(platform.database.db)).rows[0].n;
    const hold = holdAt(Math.floor(total / 2));
    const rebuilding = rebuildProjection(platform.database.db, platform.database.pool, store, organisationsProjection, { batchSize: 1, afterBatch: hold.afterBatch });
    const progress = await hold.halfway;
    expect(progress.eventsProcessed).toBeLessThan(total);

    const ready = await platform.http().get('/ready').expect(200);
    expect(ready.body.details.projections).toMatchObject({ status: 'up', lag: { organisations: 0 } });
    expect(await listed()).toEqual(old);
    // The worker keeps the old read model current meanwhile.
    await register('Gemeente Zwolle');
    await eventually(async () => expect(await listed()).toEqual([...old, 'Gemeente Zwolle'].sort()));
    await platform.http().get('/ready').expect(200);

    hold.release();
    const result = await rebuilding;
    expect(result.tables.find((t) => t.table === 'organisations')).toEqual({ table: 'organisations', written: 5, removed: 0 });
    const rebuilt = await listed();
    expect(rebuilt).toEqual([...names, 'Gemeente Zwolle'].sort());
    await platform.http().get('/ready').expect(200);

    // Equal to the incremental read model: the worker rebuilt from zero the old way, row for row.
    const rowsNow = await platform.database.db.selectFrom('organisations').selectAll().orderBy('organisation_id').execute();
    const unitsNow = await platform.database.db.selectFrom('organisation_units').selectAll().orderBy('unit_id').execute();
    await resetProjection(platform.database.db, organisationsProjection);
    await eventually(async () => expect(await platform.database.db.selectFrom('organisations').selectAll().orderBy('organisation_id').execute()).toEqual(rowsNow));
    expect(await platform.database.db.selectFrom('organisation_units').selectAll().orderBy('unit_id').execute()).toEqual(unitsNow);
  });

  it('leaves the old read model serving when a rebuild fails half-way', async () => {
    await damage();
    const old = await listed();
    expect(old.every((n) => n.startsWith('Verouderd: '))).toBe(true);
    const total = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM events`.execute(platform.database.db)).rows[0].n;
    await expect(
      rebuildProjection(platform.database.db, platform.database.pool, store, organisationsProjection, {
        batchSize: 1,
        afterBatch: async ({ eventsProcessed }) => {
          if (eventsProcessed >= total / 2) {
            await platform.http().get('/ready').expect(200);
            throw new Error('the rebuild was stopped');
          }
        },
      }),
    ).rejects.toThrow('the rebuild was stopped');
    expect(await listed()).toEqual(old);
    await platform.http().get('/ready').expect(200);
  });
});
