import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import type IORedis from 'ioredis';
import type { AppConfig } from '@maatlat/shared/config';
import { openDatabase, type Database } from '@maatlat/shared/database';
import { PostgresEventStore } from '@maatlat/shared/event-store';
import { openRedis, QUEUE_NAME } from '@maatlat/shared/jobs';
import { APP_CONFIG, DATABASE, JOB_QUEUE, REDIS } from './tokens';

/** Connections shared by every module of a process, closed when the process shuts down. */
@Global()
@Module({})
export class PlatformModule implements OnApplicationShutdown {
  constructor(
    @Inject(DATABASE) private readonly database: Database,
    @Inject(REDIS) private readonly redis: IORedis,
    @Inject(JOB_QUEUE) private readonly queue: Queue,
  ) {}

  static forRoot(config: AppConfig, options: { applicationName: string }): DynamicModule {
    return {
      module: PlatformModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        {
          provide: DATABASE,
          useFactory: () => openDatabase({ databaseUrl: config.databaseUrl, maxConnections: 20, applicationName: options.applicationName }),
        },
        { provide: REDIS, useFactory: () => openRedis(config.redisUrl, 'producer') },
        { provide: JOB_QUEUE, inject: [REDIS], useFactory: (redis: IORedis) => new Queue(QUEUE_NAME, { connection: redis, prefix: config.queuePrefix }) },
        {
          provide: PostgresEventStore,
          inject: [DATABASE],
          useFactory: (database: Database) => new PostgresEventStore(database.db, database.pool),
        },
      ],
      exports: [APP_CONFIG, DATABASE, REDIS, JOB_QUEUE, PostgresEventStore],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close().catch(() => undefined);
    this.redis.disconnect();
    await this.database.close();
  }
}
