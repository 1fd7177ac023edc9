import { DynamicModule, Global, Inject, Logger, Module, OnApplicationShutdown, type Provider } from '@nestjs/common';
import { Queue } from 'bullmq';
import type IORedis from 'ioredis';
import type { AppConfig } from '@maatlat/shared/config';
import { openDatabase, type Database } from '@maatlat/shared/database';
import { PostgresEventStore } from '@maatlat/shared/event-store';
import { composeServices, projectionsOf, type FeatureManifest } from '@maatlat/shared/features';
import { openRedis, QUEUE_NAME } from '@maatlat/shared/jobs';
import { APP_CONFIG, DATABASE, FEATURE_SERVICES, JOB_QUEUE, PROJECTIONS, REDIS } from '@maatlat/shared/tokens';

/**
 * What every module of a process shares: the connections, the event store, and the services of the
 * composed features, each injectable by its class (`constructor(private readonly assessments:
 * Assessments)`). The services are made once, by the features' own `createServices`: the same
 * wiring the CLI, benchmarks and tests use. Connections close when the process shuts down.
 */
@Global()
@Module({})
export class CoreModule implements OnApplicationShutdown {
  constructor(
    @Inject(DATABASE) private readonly database: Database,
    @Inject(REDIS) private readonly redis: IORedis | null,
    @Inject(JOB_QUEUE) private readonly queue: Queue | null,
  ) {}

  static forRoot(config: AppConfig, options: { applicationName: string; features: readonly FeatureManifest[] }): DynamicModule {
    // A pool connects on first use, so opening it here costs nothing until a query runs.
    const logger = new Logger('Database');
    const database = openDatabase({
      databaseUrl: config.databaseUrl,
      maxConnections: 20,
      applicationName: options.applicationName,
      timeouts: config.databaseTimeouts,
      onConnectionError: (error) => logger.warn({ error: error.message }, 'a PostgreSQL connection failed; it is replaced on next use'),
    });
    const store = new PostgresEventStore(database.db, database.pool);
    const services = composeServices(options.features, database.db, store, config);
    const serviceProviders: Provider[] = Object.values(services)
      .filter((service): service is object => typeof service === 'object' && service !== null && service.constructor !== Object)
      .map((service) => ({ provide: service.constructor, useValue: service }));
    const providers: Provider[] = [
      { provide: APP_CONFIG, useValue: config },
      { provide: DATABASE, useValue: database },
      { provide: PostgresEventStore, useValue: store },
      // Without Redis both are null: the worker runs the jobs from the outbox, rate limits count in memory.
      { provide: REDIS, useFactory: () => (config.redisUrl ? openRedis(config.redisUrl, 'producer') : null) },
      {
        provide: JOB_QUEUE,
        inject: [REDIS],
        useFactory: (redis: IORedis | null) => {
          if (!redis) return null;
          const queue = new Queue(QUEUE_NAME, { connection: redis, prefix: config.queuePrefix });
          // Without a listener every Redis hiccup is a raw console error; the outbox keeps the jobs meanwhile.
          queue.on('error', (error) => new Logger('Queue').warn({ error: error.message }, 'job queue cannot reach Redis'));
          return queue;
        },
      },
      { provide: PROJECTIONS, useValue: projectionsOf(options.features) },
      { provide: FEATURE_SERVICES, useValue: services },
      ...serviceProviders,
    ];
    return { module: CoreModule, providers, exports: providers.map((p) => ('provide' in p ? p.provide : p)) };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue?.close().catch(() => undefined);
    this.redis?.disconnect();
    await this.database.close();
  }
}
