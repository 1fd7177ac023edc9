import type { Queue, Worker } from 'bullmq';
import type IORedis from 'ioredis';
import type { Kysely } from 'kysely';
import type { DB } from '@maatlat/shared/database';
import { startJobWorker } from './job-worker';
import type { JobRegistration } from './jobs';
import { OutboxRelay } from './outbox-relay';

/** Where the jobs stand: what users and operators read as progress. */
export interface JobCounts {
  /** Recorded and not yet taken (including those waiting out a backoff). */
  waiting: number;
  active: number;
  completed: number;
  failed: number;
}

/** A job whose every try failed, with the reason of the last one. */
export interface FailedJob {
  jobId: string;
  name: string;
  reason: string;
  attempts: number;
}

export interface JobRunnerOptions {
  /** Tries per job, and the first pause between them (doubling after each). */
  attempts: number;
  backoffMs: number;
  /** Jobs run at the same time by this runner. */
  concurrency: number;
  /** How long a job stays claimed by a runner that stopped answering before another takes it up. */
  lockMs: number;
  onError?: (error: Error, what: string) => void;
}

/**
 * The one job contract, with two runners (BullMQ on Redis, or the worker itself from the outbox):
 * every job recorded in the outbox runs at least once (again after a crash, once its lock runs out),
 * a failing one is retried with a doubling pause and after its last try is listed as failed with its
 * reason and handed to its `onFinalFailure`; counts tell how far the jobs are. Handlers are
 * idempotent (a job's id derives from its cause and its effects are events with deterministic ids),
 * so a second delivery changes nothing.
 */
export interface JobRunner {
  readonly kind: 'bullmq' | 'in-process';
  start(): void;
  stop(): Promise<void>;
  counts(): Promise<JobCounts>;
  failed(): Promise<FailedJob[]>;
}

/** The runner with Redis: the outbox relay hands jobs to BullMQ, whose worker runs them. */
export class BullMqJobRunner implements JobRunner {
  readonly kind = 'bullmq' as const;
  private readonly relay: OutboxRelay;
  private worker?: Worker;

  constructor(
    db: Kysely<DB>,
    private readonly queue: Queue,
    private readonly workerRedis: IORedis,
    private readonly registrations: readonly JobRegistration[],
    private readonly options: JobRunnerOptions & { prefix?: string },
  ) {
    this.relay = new OutboxRelay(db, queue, {
      attempts: options.attempts,
      backoffMs: options.backoffMs,
      onError: (error) => options.onError?.(new Error(error), 'handing outbox jobs to Redis (they stay in the outbox; retrying)'),
    });
  }

  start(): void {
    this.worker = startJobWorker(this.workerRedis, this.registrations, {
      prefix: this.options.prefix,
      queueName: this.queue.name,
      concurrency: this.options.concurrency,
      lockMs: this.options.lockMs,
      attempts: this.options.attempts,
      onError: this.options.onError,
    });
    this.worker.on('failed', (job, error) => this.options.onError?.(error, `job ${job?.name} ${job?.id} (try ${job?.attemptsMade})`));
    this.relay.start();
  }

  async stop(): Promise<void> {
    await this.worker?.close();
    await this.relay.stop();
  }

  async counts(): Promise<JobCounts> {
    const [unrelayed, counts] = await Promise.all([this.relay.pendingCount(), this.queue.getJobCounts('waiting', 'delayed', 'prioritized', 'active', 'completed', 'failed')]);
    return {
      waiting: unrelayed + (counts.waiting ?? 0) + (counts.delayed ?? 0) + (counts.prioritized ?? 0),
      active: counts.active ?? 0,
      completed: counts.completed ?? 0,
      failed: counts.failed ?? 0,
    };
  }

  async failed(): Promise<FailedJob[]> {
    const jobs = await this.queue.getFailed();
    return jobs.map((job) => ({ jobId: job.id ?? '', name: job.name, reason: job.failedReason, attempts: job.attemptsMade }));
  }
}
