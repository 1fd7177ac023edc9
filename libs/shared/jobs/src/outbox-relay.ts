import { Kysely, sql } from 'kysely';
import type { Queue } from 'bullmq';
import type { DB } from '@maatlat/shared/database';

export interface RelayOutcome {
  dispatched: number;
  failed: number;
  error?: string;
}

export interface OutboxRelayOptions {
  batchSize?: number;
  /** How long one hand-over to Redis may take before it counts as failed. */
  timeoutMs?: number;
  idleMs?: number;
  /** Tries per job and the first pause between them (exponential backoff). */
  attempts?: number;
  backoffMs?: number;
  onError?: (error: string) => void;
}

/**
 * Hands jobs recorded in the outbox (in the same transaction as the events that caused them) to
 * BullMQ. Rows stay pending until Redis has accepted them, so nothing is lost while Redis is down;
 * re-sending after a crash is harmless because each job id is derived from its cause. Several
 * relays may run: rows are claimed with SKIP LOCKED.
 */
export class OutboxRelay {
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly queue: Queue,
    private readonly options: OutboxRelayOptions = {},
  ) {}

  async relayOnce(): Promise<RelayOutcome> {
    const batchSize = this.options.batchSize ?? 200;
    const timeoutMs = this.options.timeoutMs ?? 5000;
    return this.db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom('outbox')
        .select(['id', 'job_id', 'job_name', 'payload'])
        .where('dispatched_at', 'is', null)
        .orderBy('id')
        .limit(batchSize)
        .forUpdate()
        .skipLocked()
        .execute();
      if (rows.length === 0) return { dispatched: 0, failed: 0 };
      const ids = rows.map((r) => r.id);
      try {
        await withTimeout(
          this.queue.addBulk(
            rows.map((row) => ({
              name: row.job_name,
              data: row.payload,
              opts: {
                jobId: row.job_id,
                attempts: this.options.attempts ?? 5,
                backoff: { type: 'exponential', delay: this.options.backoffMs ?? 1000 },
                removeOnComplete: { age: 7 * 24 * 3600 },
                removeOnFail: false,
              },
            })),
          ),
          timeoutMs,
        );
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        await trx
          .updateTable('outbox')
          .set({ attempts: sql`attempts + 1`, last_error: reason })
          .where('id', 'in', ids)
          .execute();
        return { dispatched: 0, failed: rows.length, error: reason };
      }
      await trx.updateTable('outbox').set({ dispatched_at: new Date(), last_error: null }).where('id', 'in', ids).execute();
      return { dispatched: rows.length, failed: 0 };
    });
  }

  /** Relays until nothing is pending or a hand-over fails. */
  async drain(): Promise<RelayOutcome> {
    const total: RelayOutcome = { dispatched: 0, failed: 0 };
    for (;;) {
      const outcome = await this.relayOnce();
      total.dispatched += outcome.dispatched;
      total.failed += outcome.failed;
      if (outcome.error) total.error = outcome.error;
      if (outcome.dispatched === 0) return total;
    }
  }

  start(): void {
    this.stopped = false;
    const idleMs = this.options.idleMs ?? 250;
    this.running = (async () => {
      while (!this.stopped) {
        try {
          const outcome = await this.relayOnce();
          if (outcome.error) this.options.onError?.(outcome.error);
          if (outcome.dispatched === 0) await sleep(outcome.failed ? idleMs * 8 : idleMs);
        } catch (error) {
          this.options.onError?.(error instanceof Error ? error.message : String(error));
          await sleep(idleMs * 8);
        }
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  async pendingCount(): Promise<number> {
    const row = await this.db
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll<number>().as('pending'))
      .where('dispatched_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.pending);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not accept the jobs within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
