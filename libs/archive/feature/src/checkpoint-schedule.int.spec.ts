import { randomUUID } from 'node:crypto';
import type { CommandMetadata } from '@maatlat/shared/domain';
import { PostgresEventStore, UNSETTLED_EVENTS_SQL } from '@maatlat/shared/event-store';
import { schedulesOf, type FeatureManifest } from '@maatlat/shared/features';
import { createTestDatabase, eventually, testConfig, type TestDatabase } from '@maatlat/shared/testing';
import { Organisations } from '@maatlat/organisations/data-access';
import { archiveFeature } from './archive.feature';

const meta = (): CommandMetadata => ({ now: new Date(), actor: 'admin', correlationId: randomUUID() });
const SIGNING_KEY = `c1:${'ab'.repeat(32)}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('checkpoints at an interval (CHECKPOINT_INTERVAL_MINUTES), recorded by the worker', () => {
  let database: TestDatabase;
  let organisations: Organisations;

  beforeAll(async () => {
    database = await createTestDatabase({ maxConnections: 8 });
    organisations = new Organisations(database.db, new PostgresEventStore(database.db, database.pool));
    await organisations.register({ name: 'Gemeente Klokland', organisationType: 'municipality', sizeBand: 'small' }, meta());
  });
  afterAll(() => database.drop());

  const scheduleFor = (env: Record<string, string>) => {
    const config = testConfig({ DATABASE_URL: database.url, ...env });
    const store = new PostgresEventStore(database.db, database.pool);
    return schedulesOf([archiveFeature as FeatureManifest], { ...archiveFeature.createServices(database.db, store, config) }, config);
  };
  const checkpoints = async () =>
    (await database.pool.query<{ sequence: number; recorded_at: Date; position: string }>('SELECT sequence, recorded_at, position::text FROM log_checkpoints ORDER BY sequence')).rows;

  it('is off without a signing key or with an interval of 0, and hourly by default', () => {
    expect(scheduleFor({})).toEqual([]);
    expect(scheduleFor({ SIGNING_KEY, CHECKPOINT_INTERVAL_MINUTES: '0' })).toEqual([]);
    expect(scheduleFor({ SIGNING_KEY }).map((s) => [s.name, s.everyMs])).toEqual([['archive.log-checkpoint', 3_600_000]]);
  });

  it('records one checkpoint per interval however many workers look, and none while the log has not moved', async () => {
    // Three workers, each with its own services, on an interval of 0.6 s; the first looks at moments given.
    const workers = [1, 2, 3].map(() => scheduleFor({ SIGNING_KEY, CHECKPOINT_INTERVAL_MINUTES: '0.01' })[0]);
    expect(workers[0].everyMs).toBe(600);
    const base = Date.now() - 60_000;
    const lookAll = (at: number) => Promise.all(workers.map((w) => w.run({ pool: database.pool, now: new Date(base + at) })));
    const recordedBy = (outcomes: unknown[]) => outcomes.filter((o) => 'recorded' in (o as object)).length;

    // The first look covers the registration made before: the log's settled place can trail a commit
    // for a moment while other databases of the server are busy, and a first checkpoint short of it
    // would make the log look moved at the next.
    await eventually(async () => expect((await database.pool.query<{ unsettled: boolean }>(UNSETTLED_EVENTS_SQL)).rows[0].unsettled).toBe(false));
    expect(recordedBy(await lookAll(0))).toBe(1);
    expect(await checkpoints()).toHaveLength(1);
    // Within the interval: nothing more, whoever looks.
    expect(recordedBy(await lookAll(300))).toBe(0);
    expect(await checkpoints()).toHaveLength(1);

    // The interval passed, but the log stands still: no new checkpoint.
    expect(await lookAll(700)).toContainEqual({ skipped: 'unchanged' });
    expect(await checkpoints()).toHaveLength(1);

    // The log moved: the next look records one, covering the new event.
    await organisations.register({ name: 'Gemeente Wijzerdam', organisationType: 'municipality', sizeBand: 'small' }, meta());
    // (The log's settled position can trail a commit for a moment while other databases of the
    // server are busy, so the workers look again until it has passed the new event.)
    let recordedAfterMove = 0;
    for (let look = 0; look < 50 && recordedAfterMove === 0; look++) {
      if (look > 0) await sleep(100);
      recordedAfterMove = recordedBy(await lookAll(800 + look));
    }
    expect(recordedAfterMove).toBe(1);
    const [before, after] = await checkpoints();
    expect(Number(after.position)).toBeGreaterThan(Number(before.position));

    // Workers looking four times per interval on the clock (as the worker does) while the log moves: one per interval.
    const started = (await checkpoints()).length;
    const looking = workers.map((w) => setInterval(() => void w.run({ pool: database.pool, now: new Date() }), 150));
    for (let i = 0; i < 25; i++) {
      await organisations.register({ name: `Gemeente ${i}`, organisationType: 'municipality', sizeBand: 'small' }, meta());
      await sleep(100);
    }
    looking.forEach(clearInterval);
    await sleep(500);
    const recorded = (await checkpoints()).slice(started);
    expect(recorded.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < recorded.length; i++) expect(recorded[i].recorded_at.getTime() - recorded[i - 1].recorded_at.getTime()).toBeGreaterThanOrEqual(600);
  });
});
