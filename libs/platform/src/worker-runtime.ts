import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Queue, Worker } from 'bullmq';
import type IORedis from 'ioredis';
import type { AppConfig } from '@maatlat/shared/config';
import type { Database } from '@maatlat/shared/database';
import { PostgresEventStore, ProjectionRunner } from '@maatlat/shared/event-store';
import { OutboxRelay, openRedis, startJobWorker } from '@maatlat/shared/jobs';
import { PLATFORM_PROJECTIONS } from './registry';
import { RecalculateAssessmentJob } from './recalculate-assessment.job';
import { recalculationTrigger } from '@maatlat/assessments/data-access';
import { APP_CONFIG, DATABASE, JOB_QUEUE } from './tokens';
import { VerifyStreamJob } from './verify-stream.job';

/**
 * What a worker process runs: the projection runners, the outbox relay and the job processors.
 * Several worker processes may run side by side: projections elect one active runner each, the
 * relay claims outbox rows with SKIP LOCKED, and BullMQ spreads the jobs.
 */
@Injectable()
export class WorkerRuntime implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Worker');
  private runner?: ProjectionRunner;
  private relay?: OutboxRelay;
  private worker?: Worker;
  private workerRedis?: IORedis;
  private lagTimer?: NodeJS.Timeout;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DATABASE) private readonly database: Database,
    @Inject(JOB_QUEUE) private readonly queue: Queue,
    private readonly store: PostgresEventStore,
    private readonly verifyStream: VerifyStreamJob,
    private readonly recalculate: RecalculateAssessmentJob,
  ) {}

  onApplicationBootstrap(): void {
    const { db, pool } = this.database;
    // Read models, plus the reactions that start work (checkpointed the same way).
    const projections = [...PLATFORM_PROJECTIONS, recalculationTrigger(this.recalculate.recalculations)];
    this.runner = new ProjectionRunner(db, pool, this.store, projections, {
      onError: (error, projection) => this.logger.error({ err: error, projection }, 'projection batch failed; retrying'),
    });
    this.logger.log({ projections: projections.map((p) => p.name) }, 'projection runners');
    this.relay = new OutboxRelay(db, this.queue, { attempts: this.config.jobs.attempts, backoffMs: this.config.jobs.backoffMs, onError: (error) => this.logger.warn({ error }, 'outbox relay could not hand jobs to Redis; retrying') });
    this.workerRedis = openRedis(this.config.redisUrl, 'worker');
    this.worker = startJobWorker(this.workerRedis, [this.verifyStream, this.recalculate], { prefix: this.config.queuePrefix, concurrency: this.config.jobs.concurrency, lockMs: this.config.jobs.lockMs });
    this.worker.on('failed', (job, error) => {
      this.logger.warn({ jobId: job?.id, job: job?.name, attempt: job?.attemptsMade, error: error.message }, 'job failed');
      // After the last retry, the failure is recorded where progress is read from.
      if (job && job.name === 'assessment.recalculate' && job.attemptsMade >= (job.opts.attempts ?? 1)) {
        void this.recalculate.recordFinalFailure(job.data, error.message).catch((e) => this.logger.error({ err: e }, 'could not record a recalculation failure'));
      }
    });
    this.worker.on('error', (error) => this.logger.warn({ error: error.message }, 'job worker error'));
    this.runner.start();
    this.relay.start();
    this.lagTimer = setInterval(() => void this.logLag(), 30_000);
    this.lagTimer.unref();
    this.logger.log({ projections: PLATFORM_PROJECTIONS.map((p) => p.name) }, 'worker started');
  }

  private async logLag(): Promise<void> {
    try {
      const statuses = await this.runner!.status();
      this.logger.log({ lag: Object.fromEntries(statuses.map((s) => [s.name, s.lag])) }, 'projection lag');
    } catch (error) {
      this.logger.warn({ error: (error as Error).message }, 'could not read projection lag');
    }
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.lagTimer);
    await this.worker?.close();
    this.workerRedis?.disconnect();
    await this.relay?.stop();
    await this.runner?.stop();
  }
}
