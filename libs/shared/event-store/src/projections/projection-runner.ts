import { Kysely, sql, Transaction } from 'kysely';
import type { Pool, PoolClient } from 'pg';
import type { DB } from '@maatlat/shared/database';
import type { PostgresEventStore } from '../event-store';
import { LOG_START, type LogCheckpoint } from '../types';
import type { Projection } from './projection';

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
        if (processed === 0) await sleep(idleMs);
      } catch (error) {
        this.options.onError?.(error, projection.name);
        await this.dropLease(projection.name);
        await sleep(idleMs * 4);
      }
    }
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
      for (let n = await this.runBatch(projection); n > 0; n = await this.runBatch(projection)) total += n;
    }
    return total;
  }

  /** One batch in one transaction; returns the number of log events it moved past. */
  async runBatch(projection: Projection): Promise<number> {
    const batchSize = this.options.batchSize ?? 2000;
    return this.db.transaction().execute(async (trx) => {
      const checkpoint = await lockCheckpoint(trx, projection.name);
      const { events, checkpoint: next, scanned } = await this.store.readAll(checkpoint, batchSize, trx, {
        types: projection.eventTypes,
        withData: projection.readsData,
        withHashes: projection.readsHashes,
      });
      if (scanned === 0) return 0;
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

function leaseKey(name: string): string {
  return `maatlat:projection:${name}`;
}

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
