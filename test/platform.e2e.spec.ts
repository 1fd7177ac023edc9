import { randomUUID } from 'node:crypto';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { Queue } from 'bullmq';
import request from 'supertest';
import type { AppConfig } from '@maatlat/shared/config';
import { PostgresEventStore } from '@maatlat/shared/event-store';
import { jobIdFor, openRedis, QUEUE_NAME } from '@maatlat/shared/jobs';
import { eventually, TEST_REDIS_URL, type TestDatabase } from '@maatlat/shared/testing';
import { startPlatform, type TestPlatform } from './support/platform';

describe('the platform: api and worker over one database (and Redis, when the tests have one)', () => {
  let platform: TestPlatform;
  let database: TestDatabase;
  let config: AppConfig;
  let api: INestApplication;
  let worker: INestApplicationContext;

  beforeAll(async () => {
    platform = await startPlatform({ worker: true });
    ({ database, config, api } = platform);
    worker = platform.worker!;
  });

  afterAll(() => platform?.stop());

  it('answers liveness and readiness with PostgreSQL, Redis (when configured) and projection lag', async () => {
    await request(api.getHttpServer()).get('/health').expect(200, { status: 'ok' });
    const ready = await request(api.getHttpServer()).get('/ready').expect(200);
    expect(ready.body.details).toEqual({
      postgresql: { status: 'up' },
      ...(TEST_REDIS_URL ? { redis: { status: 'up' } } : {}),
      projections: { status: 'up', lag: { stream_index: 0, model_versions: 0, organisations: 0, chains: 0, respondents: 0, assessments: 0, insights_trends: 0 } },
    });
  });

  it('publishes its OpenAPI document', async () => {
    const docs = await request(api.getHttpServer()).get('/v1/openapi.json').expect(200);
    expect(docs.body.info.title).toBe('Maatlat API');
    expect(Object.keys(docs.body.paths)).toEqual(expect.arrayContaining(['/health', '/ready']));
  });

  it('echoes the caller correlation id and answers unknown routes with a problem+json 404', async () => {
    const response = await request(api.getHttpServer()).get('/no-such-thing').set('x-correlation-id', 'audit-trail-42').expect(404);
    expect(response.headers['x-correlation-id']).toBe('audit-trail-42');
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(response.body).toEqual({
      type: 'urn:maatlat:problem:http.404',
      title: 'Not Found',
      status: 404,
      detail: 'Cannot GET /no-such-thing',
      instance: '/no-such-thing',
      code: 'http.404',
      correlationId: 'audit-trail-42',
    });
  });

  it('projects new events and runs the jobs they cause, through the outbox', async () => {
    const store = worker.get(PostgresEventStore);
    const streamId = `assessment-${randomUUID()}`;
    const eventId = randomUUID();
    await store.append(streamId, 0, [{ eventId, type: 'AssessmentClosed', data: {} }], { actor: 'u-1', tenantId: 'org-9', correlationId: 'c' }, {
      jobs: [{ jobId: jobIdFor(eventId, 'event-store.verify-stream'), jobName: 'event-store.verify-stream', payload: { streamId }, causedByEventId: eventId }],
    });

    await eventually(async () => {
      const row = await database.db.selectFrom('stream_index').selectAll().where('stream_id', '=', streamId).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ category: 'assessment', tenant_id: 'org-9', version: 1, event_count: 1 });
    });

    if (TEST_REDIS_URL) {
      const redis = openRedis(TEST_REDIS_URL, 'producer');
      const queue = new Queue(QUEUE_NAME, { connection: redis, prefix: config.queuePrefix });
      try {
        await eventually(async () => {
          const job = await queue.getJob(jobIdFor(eventId, 'event-store.verify-stream'));
          expect(await job?.getState()).toBe('completed');
        });
      } finally {
        await queue.obliterate({ force: true });
        await queue.close();
        redis.disconnect();
      }
    } else {
      // Without Redis the worker ran the job itself, from the outbox row.
      await eventually(async () => {
        const row = await database.db.selectFrom('outbox').select(['completed_at', 'job_attempts']).where('caused_by_event_id', '=', eventId).executeTakeFirstOrThrow();
        expect(row).toEqual({ completed_at: expect.any(Date), job_attempts: 1 });
      });
    }
    const outbox = await database.db.selectFrom('outbox').select(['dispatched_at']).where('caused_by_event_id', '=', eventId).executeTakeFirstOrThrow();
    expect(outbox.dispatched_at).toBeInstanceOf(Date);
  });
});
