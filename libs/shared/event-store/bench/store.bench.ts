/**
 * Event store benchmark, one process, one run, each part on a fresh database:
 *   (a) our append: 8 concurrent writers, 20,000 streams x 10 events, 10 events per append,
 *       hash chain and command id on (the production path);
 *   (b) a bare baseline: the same rows with hand-written multi-row INSERTs, an advisory lock and a
 *       version check per stream, no hash chain, no idempotency;
 *   (c) Emmett's PostgreSQL appendToStream on the same workload;
 *   (d) a projection (stream_index) catching up over all 200,000 events from zero;
 *   (e) readStream of every stream, ours and Emmett's, 8 concurrent readers.
 * Appends and reads take turns over slices of the streams (so a slower spell of a shared machine
 * falls on every contender alike), in several rounds with medians; an untimed warm-up comes first.
 * Prints events/s and ratios; the last line is one JSON object.
 * Scale down for a quick look: BENCH_STREAMS=2000 npm run bench:store
 */
import { randomUUID } from 'node:crypto';
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import { STREAM_DOES_NOT_EXIST } from '@event-driven-io/emmett';
import { Pool } from 'pg';
import { createTestDatabase, dropDatabase, prepareTemplateDatabase, type TestDatabase } from '@maatlat/shared/testing';
import { PostgresEventStore, ProjectionRunner, streamIndexProjection, uuidv7 } from '../src';

const STREAMS = Number(process.env.BENCH_STREAMS ?? 20_000);
const EVENTS_PER_STREAM = 10;
const WRITERS = 8;
const TOTAL_EVENTS = STREAMS * EVENTS_PER_STREAM;
const WARM_UP_STREAMS = 1000;
/** Each round's streams go in this many slices, taken in turns by the contenders. */
const SLICES = 10;

function slices(): Slice[] {
  const size = Math.ceil(STREAMS / SLICES);
  return Array.from({ length: SLICES }, (_, k) => ({ from: k * size, to: Math.min(STREAMS, (k + 1) * size) })).filter((s) => s.from < s.to);
}
const READ_ROUNDS = 3;

interface Workload {
  streamIds: string[];
  /** Per stream, the 10 events of its one append. */
  events: { type: string; data: Record<string, unknown> }[][];
}

function makeWorkload(streams = STREAMS): Workload {
  // The platform's ids: time-ordered (UUIDv7) for new streams and events.
  const streamIds = Array.from({ length: streams }, () => `assessment-${uuidv7()}`);
  const layers = ['strategic', 'tactical', 'operational'];
  const events = streamIds.map(() =>
    Array.from({ length: EVENTS_PER_STREAM }, (_, i) => ({
      type: 'AnswerRecorded',
      data: { questionId: `F${String((i % 12) + 1).padStart(2, '0')}-Q${(i % 3) + 1}`, level: i % 6, layer: layers[i % 3], respondent: `r-${i % 7}` },
    })),
  );
  return { streamIds, events };
}

const metadataFor = (streamId: string) => ({
  actor: 'respondent-7f3a',
  tenantId: 'org-bench',
  correlationId: randomUUID(),
  commandId: `bench-${streamId}`,
});

/** A slice of the workload's streams: [from, to). */
interface Slice {
  from: number;
  to: number;
}

/** Runs `work(i)` for every i of the slice with `concurrency` workers; returns elapsed seconds. */
async function timed(slice: Slice, concurrency: number, work: (i: number) => Promise<unknown>): Promise<number> {
  const count = slice.to;
  let next = slice.from;
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < count; i = next++) await work(i);
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  if (process.env.BENCH_VERBOSE) console.log(`    node cpu ${((used.user + used.system) / 1e6).toFixed(2)} s of ${seconds.toFixed(2)} s`);
  return seconds;
}

async function benchOurAppend(w: Workload, store: PostgresEventStore, slice: Slice): Promise<number> {
  return timed(slice, WRITERS, (i) =>
    store.append(
      w.streamIds[i],
      0,
      w.events[i].map((e) => ({ eventId: uuidv7(), type: e.type, data: e.data })),
      metadataFor(w.streamIds[i]),
    ),
  );
}

async function benchBaseline(w: Workload, pool: Pool, slice: Slice): Promise<number> {
  return timed(slice, WRITERS, async (i) => {
    const streamId = w.streamIds[i];
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query(
        `SELECT pg_advisory_xact_lock(hashtextextended($1, 0)), (SELECT version FROM streams WHERE stream_id = $1) AS version`,
        [streamId],
      );
      if (rows[0].version !== null) throw new Error(`stream ${streamId} exists`);
      const values: unknown[] = [streamId, JSON.stringify(metadataFor(streamId))];
      const tuples = w.events[i].map((e, index) => {
        values.push(uuidv7(), e.type, JSON.stringify(e.data));
        const base = values.length - 3;
        return `($1, ${index + 1}, $${base + 1}, $${base + 2}, 1, $${base + 3}, $2, now(), '\\x', '\\x', '\\x')`;
      });
      await client.query(
        `WITH head AS (
           INSERT INTO streams (stream_id, category, version, head_hash, created_at, last_recorded_at)
           VALUES ($1, 'assessment', ${EVENTS_PER_STREAM}, '\\x', now(), now()))
         INSERT INTO events (stream_id, version, event_id, type, schema_version, data, metadata, recorded_at, content_hash, previous_hash, hash)
         VALUES ${tuples.join(', ')}`,
        values,
      );
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  });
}

type EmmettStore = ReturnType<typeof getPostgreSQLEventStore>;

/** Emmett creates its schema on first use: done before any timing. */
async function prepareEmmett(emmett: EmmettStore): Promise<void> {
  await emmett.appendToStream(`warmup-${randomUUID()}`, [{ type: 'Warmup', data: {} }], { expectedStreamVersion: STREAM_DOES_NOT_EXIST });
}

async function benchEmmettAppend(w: Workload, emmett: EmmettStore, slice: Slice): Promise<number> {
  return timed(slice, WRITERS, (i) =>
    emmett.appendToStream(
      w.streamIds[i],
      w.events[i].map((e) => ({ type: e.type, data: e.data, metadata: metadataFor(w.streamIds[i]) })),
      { expectedStreamVersion: STREAM_DOES_NOT_EXIST },
    ),
  );
}

async function benchProjection(database: TestDatabase): Promise<{ seconds: number; processed: number }> {
  const store = new PostgresEventStore(database.db, database.pool);
  const runner = new ProjectionRunner(database.db, database.pool, store, [streamIndexProjection], { batchSize: 5000 });
  const started = process.hrtime.bigint();
  const processed = await runner.catchUp();
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, processed };
}

async function benchReads(w: Workload, read: (streamId: string) => Promise<number>, slice: Slice): Promise<number> {
  let events = 0;
  const count = slice.to - slice.from;
  const seconds = await timed(slice, WRITERS, async (i) => {
    const read_ = await read(w.streamIds[i]); // not `events += await …`: that would add to a stale total
    events += read_;
  });
  if (events !== count * EVENTS_PER_STREAM) throw new Error(`read ${events} events, expected ${count * EVENTS_PER_STREAM}`);
  return seconds;
}

const rate = (events: number, seconds: number) => Math.round(events / seconds);
const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : Math.round((sorted[middle - 1] + sorted[middle]) / 2);
}

/**
 * A short untimed run of all three appends and both reads first: whichever part ran first in a
 * fresh process would otherwise pay for loading and optimising the code (the pg driver's too).
 */
async function warmUp(): Promise<void> {
  const warm = makeWorkload(WARM_UP_STREAMS);
  const all = { from: 0, to: WARM_UP_STREAMS };
  const [ours, baseline, emmettDb] = await Promise.all([1, 2, 3].map(() => createTestDatabase({ maxConnections: WRITERS + 2 })));
  const emmettPool = new Pool({ connectionString: emmettDb.url, max: WRITERS + 2 });
  emmettPool.on('error', () => undefined);
  const emmett = getPostgreSQLEventStore(emmettDb.url, { connectionOptions: { pooled: true, pool: emmettPool } });
  try {
    const store = new PostgresEventStore(ours.db, ours.pool);
    await prepareEmmett(emmett);
    await benchOurAppend(warm, store, all);
    await benchBaseline(warm, baseline.pool, all);
    await benchEmmettAppend(warm, emmett, all);
    await benchReads(warm, async (id) => (await store.readStream(id)).length, all);
    await benchReads(warm, async (id) => (await emmett.readStream(id)).events.length, all);
  } finally {
    await emmett.close().catch(() => undefined);
    await emmettPool.end().catch(() => undefined);
    await Promise.all([ours.drop(), baseline.drop(), emmettDb.drop()]);
  }
}

async function main(): Promise<void> {
  await prepareTemplateDatabase();
  await warmUp();
  const workload = makeWorkload();
  console.log(`workload: ${STREAMS} streams x ${EVENTS_PER_STREAM} events, ${EVENTS_PER_STREAM} per append, ${WRITERS} concurrent writers`);
  console.log(`appends: ${ROUNDS} rounds, each with fresh databases for (a) ours, (b) baseline, (c) Emmett, taking turns over ${SLICES} slices of the streams; medians reported`);

  const rates = { ours: [] as number[], baseline: [] as number[], emmett: [] as number[] };
  let ours: TestDatabase | undefined;
  let emmettDb: TestDatabase | undefined;
  let emmett: EmmettStore | undefined;
  let emmettPool: Pool | undefined;
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      // Only the last round's databases are kept, for the projection and read benchmarks.
      await ours?.drop();
      await emmett?.close().catch(() => undefined);
      await emmettPool?.end().catch(() => undefined);
      await emmettDb?.drop();
      ours = await createTestDatabase({ maxConnections: WRITERS + 2 });
      const baseline = await createTestDatabase({ maxConnections: WRITERS + 2 });
      emmettDb = await createTestDatabase({ maxConnections: WRITERS + 2 });
      // Emmett gets a plain pool of the same size as ours (it sets its own type parsers).
      emmettPool = new Pool({ connectionString: emmettDb.url, max: WRITERS + 2 });
      emmettPool.on('error', () => undefined);
      emmett = getPostgreSQLEventStore(emmettDb.url, { connectionOptions: { pooled: true, pool: emmettPool } });

      await prepareEmmett(emmett);
      await checkpoint(ours);
      // The three take turns slice by slice (in rotating order), so a spell of a slower machine
      // falls on all of them alike rather than on whichever part happened to be running.
      const store = new PostgresEventStore(ours.db, ours.pool);
      const parts = [
        { name: 'ours', run: (slice: Slice) => benchOurAppend(workload, store, slice) },
        { name: 'baseline', run: (slice: Slice) => benchBaseline(workload, baseline.pool, slice) },
        { name: 'emmett', run: (slice: Slice) => benchEmmettAppend(workload, emmett!, slice) },
      ] as const;
      const seconds = { ours: 0, baseline: 0, emmett: 0 };
      for (const [index, slice] of slices().entries()) {
        for (let turn = 0; turn < parts.length; turn++) {
          const part = parts[(index + turn) % parts.length];
          seconds[part.name] += await part.run(slice);
        }
      }
      rates.ours.push(rate(TOTAL_EVENTS, seconds.ours));
      rates.baseline.push(rate(TOTAL_EVENTS, seconds.baseline));
      rates.emmett.push(rate(TOTAL_EVENTS, seconds.emmett));
      await baseline.drop();
      console.log(`  round ${round}: ours ${rates.ours[round - 1]}, baseline ${rates.baseline[round - 1]}, Emmett ${rates.emmett[round - 1]} events/s`);
    }
    const append = median(rates.ours);
    const bare = median(rates.baseline);
    const emmettRate = median(rates.emmett);
    console.log(`(a) append (hash chain, command id):    ${append} events/s`);
    console.log(`(b) bare multi-row INSERT baseline:     ${bare} events/s`);
    console.log(`(c) Emmett appendToStream:              ${emmettRate} events/s`);

    const projection = await benchProjection(ours!);
    if (projection.processed !== TOTAL_EVENTS) throw new Error(`projection processed ${projection.processed} events`);
    const projectionRate = rate(projection.processed, projection.seconds);
    console.log(`(d) projection catch-up (stream_index): ${projectionRate} events/s  (${projection.seconds.toFixed(2)} s)`);

    // Both stores as a store in use would be: vacuumed and analysed, no checkpoint due.
    for (const database of [ours!, emmettDb!]) {
      await database.pool.query('VACUUM (ANALYZE)');
      await checkpoint(database);
    }
    const store = new PostgresEventStore(ours!.db, ours!.pool);
    const readRates = { ours: [] as number[], emmett: [] as number[] };
    for (let round = 1; round <= READ_ROUNDS; round++) {
      const readSeconds = { ours: 0, emmett: 0 };
      for (const [index, slice] of slices().entries()) {
        const oursFirst = index % 2 === 0;
        const readOurs = async () => (readSeconds.ours += await benchReads(workload, async (id) => (await store.readStream(id)).length, slice));
        const readEmmett = async () => (readSeconds.emmett += await benchReads(workload, async (id) => (await emmett!.readStream(id)).events.length, slice));
        if (oursFirst) await readOurs().then(readEmmett);
        else await readEmmett().then(readOurs);
      }
      readRates.ours.push(rate(TOTAL_EVENTS, readSeconds.ours));
      readRates.emmett.push(rate(TOTAL_EVENTS, readSeconds.emmett));
      console.log(`  read round ${round}: ours ${readRates.ours[round - 1]}, Emmett ${readRates.emmett[round - 1]} events/s`);
    }
    const reads = median(readRates.ours);
    const emmettReads = median(readRates.emmett);
    console.log(`(e) readStream of every stream:         ours ${reads} events/s, Emmett ${emmettReads} events/s (medians of ${READ_ROUNDS} alternating rounds)`);

    const summary = {
      streams: STREAMS,
      events: TOTAL_EVENTS,
      rounds: ROUNDS,
      read_rounds: READ_ROUNDS,
      append_events_per_s: append,
      baseline_events_per_s: bare,
      emmett_events_per_s: emmettRate,
      append_vs_baseline: ratio(append, bare),
      append_vs_emmett: ratio(append, emmettRate),
      projection_events_per_s: projectionRate,
      read_events_per_s: reads,
      emmett_read_events_per_s: emmettReads,
      read_vs_emmett: ratio(reads, emmettReads),
    };
    console.log(`ratios: append/baseline ${summary.append_vs_baseline}, append/Emmett ${summary.append_vs_emmett}, reads/Emmett ${summary.read_vs_emmett}`);
    console.log(JSON.stringify(summary));
  } finally {
    await emmett?.close().catch(() => undefined);
    await emmettPool?.end().catch(() => undefined);
    await Promise.all([ours?.drop(), emmettDb?.drop().catch(() => undefined)]);
    await dropDatabase(process.env.MAATLAT_TEST_TEMPLATE!);
  }
}

/** Starts every timed part from the same place: no checkpoint debt left by the part before. */
async function checkpoint(database: TestDatabase): Promise<void> {
  await database.pool.query('CHECKPOINT');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
