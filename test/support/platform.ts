import { randomUUID } from 'node:crypto';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { DestinationStream } from 'pino';
import request from 'supertest';
import { loadConfig, type AppConfig } from '@maatlat/shared/config';
import { createTestDatabase, dropTestQueue, TEST_DATA_KEY_ENCRYPTION_KEYS, TEST_REDIS_URL, type TestDatabase } from '@maatlat/shared/testing';
import { QUEUE_NAME } from '@maatlat/shared/jobs';
import { OPENAPI_DOCUMENT_PATHS } from '../../apps/api/src/api-document';
import { AppModule } from '../../apps/api/src/app.module';
import { configureApi } from '../../apps/api/src/app.setup';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { ContractChecker, recordExchanges, type ContractReport, type Exchange } from './contract';

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
  /** Every response so far, held to the OpenAPI document the API serves. */
  contract: ContractReport;
  /** Stops the platform; fails when a response broke the contract. */
  stop(): Promise<void>;
}

/**
 * The API (and, when asked, a worker) on a database of their own, with a queue prefix of their
 * own on the shared Redis (when the tests have one), the local issuer and invitations switched on. Every response the API
 * gives is checked against the OpenAPI document it publishes (status, media type, body schema,
 * API-Version), so every end-to-end suite is a contract test too: stop() fails on a violation.
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
    // Without a Redis for the tests the worker runs the jobs from the outbox (the embedded mode).
    ...(TEST_REDIS_URL ? { REDIS_URL: TEST_REDIS_URL } : {}),
    QUEUE_PREFIX: `e2e-${randomUUID()}`,
    LOCAL_ISSUER: 'on',
    LOCAL_ISSUER_SECRET: TEST_ISSUER_SECRET,
    INVITATION_SECRET: TEST_INVITATION_SECRET,
    DATA_KEY_ENCRYPTION_KEYS: TEST_DATA_KEY_ENCRYPTION_KEYS,
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  const app = await NestFactory.create(AppModule.forRoot(config, { logDestination: options.logDestination }), { logger: false });
  // Responses that leave before the document is read wait for it.
  const waiting: Exchange[] = [];
  const contract: { checker?: ContractChecker } = {};
  app.use(recordExchanges((exchange) => (contract.checker ? contract.checker.check(exchange) : waiting.push(exchange))));
  const api = configureApi(app);
  await api.init();
  const checker = new ContractChecker((await request(api.getHttpServer()).get(OPENAPI_DOCUMENT_PATHS.json).expect(200)).body);
  contract.checker = checker;
  for (const exchange of waiting.splice(0)) checker.check(exchange);
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
    contract: checker.report,
    async stop() {
      await worker?.close();
      await api.close();
      await Promise.all([database.drop(), dropTestQueue(config.queuePrefix, QUEUE_NAME)]);
      const { violations, validated } = checker.report;
      // CONTRACT_REPORT=1 prints each suite's count, for adding up what the whole run held to the contract.
      if (process.env.CONTRACT_REPORT) process.stderr.write(`contract: ${validated} responses validated, ${violations.length} broke it\n`);
      if (violations.length > 0) {
        throw new Error(`${violations.length} of ${violations.length + validated} responses broke the OpenAPI contract:\n${violations.slice(0, 30).join('\n')}`);
      }
    },
  };
}
