import { sql, type Kysely } from 'kysely';
import type { DB } from '@maatlat/shared/database';
import type { FailedJob, JobCounts, JobRunner, JobRunnerOptions } from './job-runner';
import { indexJobHandlers, type JobRegistration } from './jobs';

const STOPPED_HOLDING_LAST_TRY = 'its tries are used up: the runner holding its last try stopped before it finished';

interface ClaimedJob {
  id: number;
  job_id: string;
  job_name: string;
  payload: unknown;
  job_attempts: number;
}

/**
 * The runner without Redis: the worker takes the jobs straight from the outbox table, where the
 * events' transaction recorded them. A row is claimed with SKIP LOCKED and a lock that the runner
 * renews while the job runs, so several workers share the work and a killed worker's job is taken
 * up again once its lock runs out. Every finish is written only if the claim is still this
 * runner's (its try number), so a job that lost its lock cannot overwrite the next try's outcome.
 * A finished row gets `dispatched_at`, like a relayed one: the outbox's pending count means the same
 * in both modes.
 */
export class OutboxJobRunner implements JobRunner {
  readonly kind = 'in-process' as const;
  private readonly handlers: Map<string, JobRegistration>;
  private readonly active = new Map<number, ClaimedJob>();
  private readonly running = new Set<Promise<void>>();
  private loop?: Promise<void>;
  private stopped = true;
  private wake?: () => void;
  private heartbeat?: NodeJS.Timeout;

  constructor(
    private readonly db: Kysely<DB>,
    registrations: readonly JobRegistration[],
    private readonly options: JobRunnerOptions & { pollMs?: number },
  ) {
    this.handlers = indexJobHandlers(registrations);
  }

  start(): void {
    this.stopped = false;
    this.heartbeat = setInterval(() => void this.renewLocks(), Math.max(100, Math.floor(this.options.lockMs / 3)));
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
    // Jobs under way finish (or fail and are retried); none is left claimed by a runner that is gone.
    await Promise.allSettled([...this.running]);
    clearInterval(this.heartbeat);
  }

  private async run(): Promise<void> {
    const pollMs = this.options.pollMs ?? 200;
    while (!this.stopped) {
      let claimed: ClaimedJob[] = [];
      try {
        const free = this.options.concurrency - this.active.size;
        if (free > 0) claimed = await this.claim(free);
      } catch (error) {
        this.options.onError?.(error as Error, 'claiming jobs from the outbox');
      }
      for (const job of claimed) {
        this.active.set(job.id, job);
        const done = this.execute(job).finally(() => {
          this.active.delete(job.id);
          this.running.delete(done);
          this.wake?.();
        });
        this.running.add(done);
      }
      if (claimed.length === 0 || this.active.size >= this.options.concurrency) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pollMs);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  }

  private async claim(limit: number): Promise<ClaimedJob[]> {
    const { rows } = await sql<ClaimedJob>`
      UPDATE outbox SET locked_until = now() + ${this.options.lockMs} * interval '1 millisecond', job_attempts = job_attempts + 1
       WHERE id IN (SELECT id FROM outbox
                     WHERE dispatched_at IS NULL
                       AND (run_after IS NULL OR run_after <= now())
                       AND (locked_until IS NULL OR locked_until <= now())
                     ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED)
      RETURNING id, job_id, job_name, payload, job_attempts`.execute(this.db);
    return rows;
  }

  private async execute(job: ClaimedJob): Promise<void> {
    const registration = this.handlers.get(job.job_name);
    if (job.job_attempts > this.options.attempts) {
      // Every try was taken and the last runner stopped holding it: a job that kills its worker is not run forever.
      await this.failTry(job, registration, STOPPED_HOLDING_LAST_TRY).catch((e: Error) => this.options.onError?.(e, `recording the failure of job ${job.job_id}`));
      return;
    }
    try {
      if (!registration) throw new Error(`no handler for job ${job.job_name}`);
      await registration.handle(job.payload as never, { jobId: job.job_id, attempt: job.job_attempts });
    } catch (error) {
      await this.failTry(job, registration, error instanceof Error ? error.message : String(error)).catch((e: Error) => this.options.onError?.(e, `recording the failure of job ${job.job_id}`));
      return;
    }
    await this.mine(job)
      .set({ dispatched_at: sql`now()`, completed_at: sql`now()`, locked_until: null, job_error: null })
      .execute()
      .catch((error: Error) => this.options.onError?.(error, `recording the completion of job ${job.job_id}`));
  }

  private async failTry(job: ClaimedJob, registration: JobRegistration | undefined, reason: string): Promise<void> {
    this.options.onError?.(new Error(reason), `job ${job.job_name} ${job.job_id} (try ${job.job_attempts})`);
    if (job.job_attempts < this.options.attempts) {
      const pauseMs = this.options.backoffMs * 2 ** (job.job_attempts - 1);
      await this.mine(job)
        .set({ run_after: sql`now() + ${pauseMs} * interval '1 millisecond'`, locked_until: null, job_error: reason })
        .execute();
      return;
    }
    // Told before the row is closed: a crash in between tells it again (at least once), never not at all.
    // The row is taken (updated, so locked) from the check to the close: a runner that finds the job's
    // lock run out meanwhile (a slow handler, a busy machine) passes it by (SKIP LOCKED) instead of
    // telling again, and a try that has lost the job tells nothing: the try that holds it does.
    await this.db.transaction().execute(async (trx) => {
      const taken = await this.mine(job, trx).set({ job_error: reason }).executeTakeFirst();
      if (taken.numUpdatedRows === 0n) return;
      await registration?.onFinalFailure(job.payload as never, reason).catch((error: Error) => this.options.onError?.(error, `recording the final failure of job ${job.job_id}`));
      await this.mine(job, trx).set({ dispatched_at: sql`now()`, failed_at: sql`now()`, locked_until: null }).execute();
    });
  }

  /** An update of the job's row that applies only while this try still holds it. */
  private mine(job: ClaimedJob, db: Kysely<DB> = this.db) {
    return db.updateTable('outbox').where('id', '=', job.id).where('job_attempts', '=', job.job_attempts).where('dispatched_at', 'is', null);
  }

  private async renewLocks(): Promise<void> {
    if (this.active.size === 0) return;
    try {
      for (const job of this.active.values()) {
        await this.mine(job).set({ locked_until: sql`now() + ${this.options.lockMs} * interval '1 millisecond'` }).execute();
      }
    } catch (error) {
      this.options.onError?.(error as Error, 'renewing the locks of running jobs');
    }
  }

  async counts(): Promise<JobCounts> {
    const row = await sql<{ waiting: number; active: number; completed: number; failed: number }>`
      SELECT count(*) FILTER (WHERE dispatched_at IS NULL AND (locked_until IS NULL OR locked_until <= now()))::int AS waiting,
             count(*) FILTER (WHERE dispatched_at IS NULL AND locked_until > now())::int AS active,
             count(*) FILTER (WHERE completed_at IS NOT NULL)::int AS completed,
             count(*) FILTER (WHERE failed_at IS NOT NULL)::int AS failed
        FROM outbox`.execute(this.db);
    return row.rows[0];
  }

  async failed(): Promise<FailedJob[]> {
    const rows = await this.db
      .selectFrom('outbox')
      .select(['job_id', 'job_name', 'job_error', 'job_attempts'])
      .where('failed_at', 'is not', null)
      .orderBy('failed_at')
      .execute();
    return rows.map((row) => ({ jobId: row.job_id, name: row.job_name, reason: row.job_error ?? '', attempts: row.job_attempts }));
  }
}
