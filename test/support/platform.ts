import { randomUUID } from 'node:crypto';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { DestinationStream } from 'pino';
import request from 'supertest';
import { loadConfig, type AppConfig } from '@maatlat/shared/config';
import { createTestDatabase, dropTestQueue, TEST_DATA_KEY_ENCRYPTION_KEYS, TEST_REDIS_URL, type TestDatabase } from '@maatlat/shared/testing';
import { QUEUE_NAME } from '@maatlat/shared/jobs';
import { AppModule } from '../../apps/api/src/app.module';
import { configureApi } from '../../apps/api/src/app.setup';
import { WorkerModule } from '../../apps/worker/src/worker.module';

/** The local issuer's secret in end-to-end tests. */
export const TEST_ISSUER_SECRET = 'local-issuer-secret-for-tests-0123456789';
/** The secret that signs invitation tokens in end-to-end tests. */
export const TEST_INVITATION_SECRET = 'invitation-secret-for-tests-0123456789';

export interface TestPlatform {
  database: TestDatabase;
  config: AppConfig;
  api: INestApplication;
  worker?: INestApplicationContext;
  http(): ReturnType<typeof request>;
  stop(): Promise<void>;
}

/**
 * The API (and, when asked, a worker) on a database of their own, with a queue prefix of their
 * own on the shared Redis, the local issuer and invitations switched on.
 */
export async function startPlatform(
  options: {
    worker?: boolean;
    env?: Record<string, string>;
    maxConnections?: number;
    logDestination?: DestinationStream;
    /** The URL the platform reaches its database by (through a proxy that a test can cut, say). */
    databaseUrlFor?: (url: string) => string;
  } = {},
): Promise<TestPlatform> {
  const database = await createTestDatabase({ maxConnections: options.maxConnections ?? 20 });
  const config = loadConfig({
    DATABASE_URL: options.databaseUrlFor?.(database.url) ?? database.url,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: `e2e-${randomUUID()}`,
    LOCAL_ISSUER: 'on',
    LOCAL_ISSUER_SECRET: TEST_ISSUER_SECRET,
    INVITATION_SECRET: TEST_INVITATION_SECRET,
    DATA_KEY_ENCRYPTION_KEYS: TEST_DATA_KEY_ENCRYPTION_KEYS,
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  const api = configureApi(await NestFactory.create(AppModule.forRoot(config, { logDestination: options.logDestination }), { logger: false }));
  await api.init();
  let worker: INestApplicationContext | undefined;
  if (options.worker) {
    worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: false });
    await worker.init();
  }
  return {
    database,
    config,
    api,
    worker,
    http: () => request(api.getHttpServer()),
    async stop() {
      await worker?.close();
      await api.close();
      await Promise.all([database.drop(), dropTestQueue(config.queuePrefix, QUEUE_NAME)]);
    },
  };
}
