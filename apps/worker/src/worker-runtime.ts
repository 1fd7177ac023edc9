import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type IORedis from 'ioredis';
import type { AppConfig } from '@maatlat/shared/config';
import type { Database } from '@maatlat/shared/database';
import { PostgresEventStore, ProjectionRunner } from '@maatlat/shared/event-store';
import { jobsOf, projectionsOf, reactionsOf, schedulesOf, type ComposedServices, type FeatureManifest } from '@maatlat/shared/features';
import { BullMqJobRunner, OutboxJobRunner, openRedis, type JobRunner } from '@maatlat/shared/jobs';
import { APP_CONFIG, DATABASE, FEATURE_SERVICES, JOB_QUEUE } from '@maatlat/shared/tokens';

/** The feature manifests the worker runs. */
export const FEATURES = Symbol('FEATURES');

/**
 * What a worker process runs: the features' projections and reactions, and their jobs: with Redis
 * the outbox relay hands them to BullMQ, whose worker runs them; without, this process runs them
 * straight from the outbox (one job contract, two runners). Several worker processes may run side
 * by side: projections elect one active runner each, and jobs are claimed with SKIP LOCKED (the
 * outbox) or spread by BullMQ.
 */
@Injectable()
export class WorkerRuntime implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Worker');
  private runner?: ProjectionRunner;
  private jobs?: JobRunner;
  private workerRedis?: IORedis;
  private lagTimer?: NodeJS.Timeout;
  private readonly scheduleTimers: NodeJS.Timeout[] = [];
  private readonly scheduleRuns = new Set<Promise<void>>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DATABASE) private readonly database: Database,
    @Inject(JOB_QUEUE) private readonly queue: Queue | null,
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
    const options = { ...this.config.jobs, onError: (error: Error, what: string) => this.logger.warn({ error: error.message }, `${what} failed`) };
    if (this.config.redisUrl && this.queue) {
      this.workerRedis = openRedis(this.config.redisUrl, 'worker');
      this.jobs = new BullMqJobRunner(db, this.queue, this.workerRedis, jobs, { ...options, prefix: this.config.queuePrefix });
    } else {
      this.jobs = new OutboxJobRunner(db, jobs, options);
    }
    this.runner.start();
    this.jobs.start();
    this.lagTimer = setInterval(() => void this.logLag(), 30_000);
    this.lagTimer.unref();
    const schedules = schedulesOf(this.features, this.services, this.config);
    for (const schedule of schedules) {
      // A few looks per period, so a timer's drift never costs a whole period; the schedule decides what is due.
      let running = false;
      const look = () => {
        if (running) return;
        running = true;
        const run = schedule
          .run({ pool, now: new Date() })
          .then((outcome) => {
            if (outcome && typeof outcome === 'object' && 'recorded' in outcome) this.logger.log({ schedule: schedule.name }, 'scheduled work done');
          })
          .catch((error: Error) => this.logger.warn({ schedule: schedule.name, error: error.message }, 'scheduled work failed; trying again at the next look'))
          .finally(() => {
            running = false;
            this.scheduleRuns.delete(run);
          });
        this.scheduleRuns.add(run);
      };
      const timer = setInterval(look, Math.max(250, Math.floor(schedule.everyMs / 4)));
      timer.unref();
      this.scheduleTimers.push(timer);
      look();
    }
    this.logger.log({ features: this.features.map((f) => f.name), processors: processors.map((p) => p.name), jobs: jobs.map((j) => j.name), schedules: schedules.map((s) => `${s.name} every ${s.everyMs} ms`), jobRunner: this.jobs.kind }, 'worker started');
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
    for (const timer of this.scheduleTimers) clearInterval(timer);
    await Promise.all([...this.scheduleRuns]);
    await this.jobs?.stop();
    this.workerRedis?.disconnect();
    await this.runner?.stop();
  }
}
