import { Kysely, sql, Transaction } from 'kysely';
import type { Pool, PoolClient } from 'pg';
import type { DB } from '@maatlat/shared/database';
import { LOG_FENCE, type PostgresEventStore } from '../event-store';
import { LOG_START, type LogCheckpoint } from '../types';
import { logFilterOf, type Projection } from './projection';

export interface ProjectionStatus {
  name: string;
  checkpoint: LogCheckpoint;
  eventsProcessed: number;
  /** Events in the log after the checkpoint (capped at one million). */
  lag: number;
  updatedAt: Date | null;
}

export interface ProjectionRunnerOptions {
  batchSize?: number;
  /** Pause between polls once caught up. */
  idleMs?: number;
  /** Pause between attempts to become the active runner while another process is. */
  standbyMs?: number;
  onError?: (error: unknown, projection: string) => void;
}

/**
 * Runs projections over the global log. Each batch is one transaction: lock the checkpoint row,
 * read the events after it, apply them, move the checkpoint. Across processes at most one runner
 * per projection is active, through a session-level advisory lock held on a dedicated connection;
 * the row lock makes even an overlap harmless.
 */
export class ProjectionRunner {
  private stopped = false;
  private readonly loops: Promise<void>[] = [];
  private readonly leases = new Map<string, PoolClient>();
  /** The last "which projections have work" question, shared by the loops that ask at about the same time. */
  private pending?: { askedAt: number; names: Promise<Set<string>> };
  /** Per projection, the next batch being read while the last one is applied (see `runBatch`). */
  private readonly readAhead = new Map<string, { from: LogCheckpoint; batch: Promise<Awaited<ReturnType<PostgresEventStore['readAll']>> | undefined> }>();

  constructor(
    private readonly db: Kysely<DB>,
    private readonly pool: Pool,
    private readonly store: PostgresEventStore,
    private readonly projections: readonly Projection[],
    private readonly options: ProjectionRunnerOptions = {},
  ) {
    const names = new Set<string>();
    for (const p of projections) {
      if (names.has(p.name)) throw new Error(`two projections are named ${p.name}`);
      names.add(p.name);
    }
  }

  /** Starts one background loop per projection; `stop()` ends them. */
  start(): void {
    this.stopped = false;
    for (const projection of this.projections) this.loops.push(this.loop(projection));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.allSettled(this.loops.splice(0));
    await Promise.allSettled([...this.readAhead.values()].map((ahead) => ahead.batch));
    this.readAhead.clear();
    for (const [name, client] of this.leases) {
      await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [leaseKey(name)]).catch(() => undefined);
      client.release();
    }
    this.leases.clear();
  }

  private async loop(projection: Projection): Promise<void> {
    const idleMs = this.options.idleMs ?? 250;
    const standbyMs = this.options.standbyMs ?? 2000;
    while (!this.stopped) {
      try {
        if (!(await this.acquireLease(projection.name))) {
          await sleep(standbyMs);
          continue;
        }
        const processed = await this.runBatch(projection);
        if (processed === 0) await this.untilWorkFor(projection.name, idleMs);
      } catch (error) {
        this.options.onError?.(error, projection.name);
        await this.dropLease(projection.name);
        await sleep(idleMs * 4);
      }
    }
  }

  /**
   * Waits until the log holds events past the projection's checkpoint. Caught-up loops share one
   * query per pause (which of them have work) instead of each opening a batch transaction every
   * pause: an idle worker with a dozen projections otherwise keeps PostgreSQL busy polling.
   */
  private async untilWorkFor(name: string, idleMs: number): Promise<void> {
    while (!this.stopped) {
      await sleep(idleMs);
      if ((await this.namesWithWork(idleMs)).has(name)) return;
    }
  }

  /** The projections of this runner with events past their checkpoint; one query serves every loop asking within half a pause. */
  private namesWithWork(idleMs: number): Promise<Set<string>> {
    const now = Date.now();
    if (this.pending && now - this.pending.askedAt < idleMs / 2) return this.pending.names;
    const names = this.projections.map((p) => p.name);
    const asked = sql<{ name: string }>`
      WITH ${sql.raw(LOG_FENCE)}
      SELECT n.name FROM unnest(${names}::text[]) AS n(name)
        LEFT JOIN projection_checkpoints c ON c.name = n.name
       WHERE c.name IS NULL
          OR EXISTS (SELECT 1 FROM events e
                      WHERE (e.transaction_id, e.position) > (c.transaction_id, c.position)
                        AND e.transaction_id < (SELECT below FROM fence))`
      .execute(this.db)
      .then(({ rows }) => new Set(rows.map((row) => row.name)))
      // A failed question wakes every loop: its own batch then meets the fault and reports it.
      .catch(() => new Set(names));
    this.pending = { askedAt: now, names: asked };
    return asked;
  }

  private async acquireLease(name: string): Promise<boolean> {
    if (this.leases.has(name)) return true;
    const client = await this.pool.connect();
    try {
      const { rows } = await client.query('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS held', [leaseKey(name)]);
      if (rows[0].held) {
        this.leases.set(name, client);
        // The lease lives as long as its connection: when PostgreSQL restarts, the lock is gone with
        // it, so this runner stands down until it holds the lock again (another runner may take it).
        client.once('error', (error) => {
          // Dropped already (a failed batch let it go first): released then, and releasing twice throws.
          if (this.leases.get(name) !== client) return;
          this.leases.delete(name);
          this.options.onError?.(error, name);
          client.release(error);
        });
        return true;
      }
    } catch (error) {
      client.release(true);
      throw error;
    }
    client.release();
    return false;
  }

  private async dropLease(name: string): Promise<void> {
    const client = this.leases.get(name);
    if (!client) return;
    this.leases.delete(name);
    client.release(true);
  }

  /** Processes every event available now; returns how many it processed. */
  async catchUp(name?: string): Promise<number> {
    let total = 0;
    for (const projection of this.projections) {
      if (name && projection.name !== name) continue;
      const settleBy = Date.now() + CATCH_UP_SETTLE_MS;
      for (;;) {
        const n = await this.runBatch(projection);
        total += n;
        if (n > 0) continue;
        // The log's fence can stand still for a moment on a transaction that was running when the
        // batch took its snapshot and ended just after (in this database or, briefly, another):
        // committed events past the checkpoint are then still "now", so wait for the fence to move.
        if (Date.now() > settleBy || !(await this.hasCommittedEventsPast(projection.name))) break;
        await sleep(10);
      }
    }
    return total;
  }

  private async hasCommittedEventsPast(name: string): Promise<boolean> {
    const { rows } = await sql<{ found: boolean }>`
      SELECT EXISTS (SELECT 1 FROM events e, projection_checkpoints c
                      WHERE c.name = ${name} AND (e.transaction_id, e.position) > (c.transaction_id, c.position)) AS found`.execute(this.db);
    return rows[0]?.found ?? false;
  }

  /**
   * One batch in one transaction; returns the number of log events it moved past. When a batch is
   * full, the next one is read on another connection while this one is applied (its start is known
   * once this one is read): reading and applying then overlap instead of taking turns. A batch read
   * ahead is used only if the checkpoint is still where it was read from, and it is awaited before
   * the next transaction opens, so no transaction ever waits on a connection it cannot get.
   */
  async runBatch(projection: Projection): Promise<number> {
    const batchSize = this.options.batchSize ?? 2000;
    const filter = logFilterOf(projection);
    const readAhead = this.readAhead.get(projection.name);
    this.readAhead.delete(projection.name);
    const ahead = readAhead && { from: readAhead.from, batch: await readAhead.batch };
    return this.db.transaction().execute(async (trx) => {
      const checkpoint = await lockCheckpoint(trx, projection.name);
      const { events, checkpoint: next, scanned } =
        ahead?.batch && sameCheckpoint(ahead.from, checkpoint) ? ahead.batch : await this.store.readAll(checkpoint, batchSize, trx, filter);
      if (scanned === 0) return 0;
      if (scanned === batchSize && !this.stopped) {
        // A failed read ahead is read again in its turn: the failure is that read's to report.
        this.readAhead.set(projection.name, { from: next, batch: this.store.readAll(next, batchSize, this.db, filter).catch(() => undefined) });
      }
      if (events.length > 0) await projection.apply(trx, events);
      await trx
        .updateTable('projection_checkpoints')
        .set({
          transaction_id: next.transactionId,
          position: next.position,
          events_processed: sql`events_processed + ${scanned}`,
          updated_at: new Date(),
        })
        .where('name', '=', projection.name)
        .execute();
      return scanned;
    });
  }

  async status(): Promise<ProjectionStatus[]> {
    return Promise.all(this.projections.map((p) => projectionStatus(this.db, this.store, p.name)));
  }
}

/** How long `catchUp` waits for the log's fence to pass committed events before it calls the log caught up. */
const CATCH_UP_SETTLE_MS = 2000;

function leaseKey(name: string): string {
  return `maatlat:projection:${name}`;
}

const sameCheckpoint = (a: LogCheckpoint, b: LogCheckpoint) => a.transactionId === b.transactionId && a.position === b.position;

/** Takes the projection's checkpoint row (made when missing): batches, resets and a rebuild's swap wait for each other on it. */
export async function lockCheckpoint(trx: Transaction<DB>, name: string): Promise<LogCheckpoint> {
  await trx.insertInto('projection_checkpoints').values({ name }).onConflict((oc) => oc.column('name').doNothing()).execute();
  const row = await sql<{ transaction_id: string; position: number }>`
    SELECT transaction_id::text AS transaction_id, position FROM projection_checkpoints
     WHERE name = ${name} FOR UPDATE`.execute(trx);
  const found = row.rows[0];
  return { transactionId: found.transaction_id, position: Number(found.position) };
}

export async function projectionStatus(db: Kysely<DB>, store: PostgresEventStore, name: string): Promise<ProjectionStatus> {
  const row = await sql<{ transaction_id: string; position: number; events_processed: number; updated_at: Date }>`
    SELECT transaction_id::text AS transaction_id, position, events_processed, updated_at
      FROM projection_checkpoints WHERE name = ${name}`.execute(db);
  const found = row.rows[0];
  const checkpoint = found ? { transactionId: found.transaction_id, position: Number(found.position) } : LOG_START;
  return {
    name,
    checkpoint,
    eventsProcessed: found ? Number(found.events_processed) : 0,
    lag: await store.countAfter(checkpoint),
    updatedAt: found?.updated_at ?? null,
  };
}

/**
 * Empties a projection and moves its checkpoint back to the start of the log, in one transaction
 * that holds the checkpoint row lock, so a running batch either finished before or starts after.
 * The active runner (or `catchUp`) then rebuilds it from zero.
 */
export async function resetProjection(db: Kysely<DB>, projection: Projection): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await lockCheckpoint(trx, projection.name);
    await projection.reset(trx);
    await trx
      .updateTable('projection_checkpoints')
      .set({ transaction_id: LOG_START.transactionId, position: 0, events_processed: 0, updated_at: new Date(), rebuilt_at: new Date() })
      .where('name', '=', projection.name)
      .execute();
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
