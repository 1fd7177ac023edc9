import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Queue, Worker } from 'bullmq';
import type IORedis from 'ioredis';
import type { AppConfig } from '@maatlat/shared/config';
import type { Database } from '@maatlat/shared/database';
import { PostgresEventStore, ProjectionRunner } from '@maatlat/shared/event-store';
import { jobsOf, projectionsOf, reactionsOf, type ComposedServices, type FeatureManifest } from '@maatlat/shared/features';
import { OutboxRelay, openRedis, startJobWorker } from '@maatlat/shared/jobs';
import { APP_CONFIG, DATABASE, FEATURE_SERVICES, JOB_QUEUE } from '@maatlat/shared/tokens';

/** The feature manifests the worker runs. */
export const FEATURES = Symbol('FEATURES');

/**
 * What a worker process runs: the features' projections and reactions, the outbox relay and their
 * job handlers. Several worker processes may run side by side: projections elect one active runner
 * each, the relay claims outbox rows with SKIP LOCKED, and BullMQ spreads the jobs.
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
    @Inject(FEATURES) private readonly features: readonly FeatureManifest[],
    @Inject(FEATURE_SERVICES) private readonly services: ComposedServices,
    private readonly store: PostgresEventStore,
  ) {}

  onApplicationBootstrap(): void {
    const { db, pool } = this.database;
    // Checked first: a job without exactly one handler stops the worker before it takes any work.
    const jobs = jobsOf(this.features, this.services);
    const processors = [...projectionsOf(this.features), ...reactionsOf(this.features, this.services)];
    this.runner = new ProjectionRunner(db, pool, this.store, processors, {
      onError: (error, projection) => this.logger.error({ err: error, projection }, 'projection batch failed; retrying'),
    });
    this.relay = new OutboxRelay(db, this.queue, { attempts: this.config.jobs.attempts, backoffMs: this.config.jobs.backoffMs, onError: (error) => this.logger.warn({ error }, 'outbox relay could not hand jobs to Redis; retrying') });
    this.workerRedis = openRedis(this.config.redisUrl, 'worker');
    this.worker = startJobWorker(this.workerRedis, jobs, {
      prefix: this.config.queuePrefix,
      concurrency: this.config.jobs.concurrency,
      lockMs: this.config.jobs.lockMs,
      onError: (error, what) => this.logger.warn({ error: error.message }, `${what} failed`),
    });
    this.worker.on('failed', (job, error) => this.logger.warn({ jobId: job?.id, job: job?.name, attempt: job?.attemptsMade, error: error.message }, 'job failed'));
    this.runner.start();
    this.relay.start();
    this.lagTimer = setInterval(() => void this.logLag(), 30_000);
    this.lagTimer.unref();
    this.logger.log({ features: this.features.map((f) => f.name), processors: processors.map((p) => p.name), jobs: jobs.map((j) => j.name) }, 'worker started');
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
