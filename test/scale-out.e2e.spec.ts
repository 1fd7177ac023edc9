import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { createTestDatabase, describeWithRedis, dropTestQueue, eventually, TEST_DATA_KEY_ENCRYPTION_KEYS, type TestDatabase } from '@maatlat/shared/testing';
import { PostgresEventStore, ProjectionRunner, projectionStatus, resetProjection } from '@maatlat/shared/event-store';
import { projectionsOf } from '@maatlat/shared/features';
import { QUEUE_NAME, openRedis } from '@maatlat/shared/jobs';
import { SHIPPED_CROSSWALKS, SHIPPED_MODELS } from '@maatlat/model-catalogue/domain';
import { mintLocalToken } from '@maatlat/access';
import { WORKER_FEATURES } from '../apps/worker/src/features';
import { TEST_INVITATION_SECRET, TEST_ISSUER_SECRET as SECRET } from './support/platform';

const root = join(__dirname, '..');
const ASSESSMENTS = 4;
const LAYERS = ['strategic', 'tactical'] as const;
const QUESTIONS = ['F01-Q1', 'F05-Q1', 'F05-Q2', 'F07-Q1', 'F07-Q3'];
// The tables that are the event store and its plumbing, not read models: everything else must
// come out of a rebuild from the events exactly as the running workers left it.
const NOT_READ_MODELS = new Set(['events', 'streams', 'stream_commands', 'outbox', 'projection_checkpoints', 'idempotency_keys', 'person_keys', 'kysely_migration', 'kysely_migration_lock']);

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });

/**
 * The production shape: two API processes and two worker processes, compiled as the image runs
 * them (dist/apps/<app>/main.js), over one PostgreSQL database and one Redis. Respondents answer
 * through both APIs at once, coordinators close through both, a new model version is published,
 * and the two workers share the rescoring. Every assessment is rescored exactly once, and every
 * read model the workers built equals a rebuild from the events.
 */
// The production shape is BullMQ on Redis: without Redis (embedded mode) this suite says it was skipped.
describeWithRedis('two APIs and two workers over one PostgreSQL and one Redis', (redisUrl) => {
  let database: TestDatabase;
  const processes: ChildProcess[] = [];
  const prefix = `scale-${randomUUID()}`;
  let apis: string[] = [];

  const start = (app: 'api' | 'worker', env: Record<string, string> = {}): ChildProcess => {
    const child = spawn(process.execPath, [join(root, 'dist/apps', app, 'main.js')], {
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        REDIS_URL: redisUrl,
        QUEUE_PREFIX: prefix,
        LOCAL_ISSUER: 'on',
        LOCAL_ISSUER_SECRET: SECRET,
        INVITATION_SECRET: TEST_INVITATION_SECRET,
        DATA_KEY_ENCRYPTION_KEYS: TEST_DATA_KEY_ENCRYPTION_KEYS,
        LOG_LEVEL: 'silent',
        JOB_CONCURRENCY: '1',
        ...env,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    processes.push(child);
    return child;
  };
  const stopAll = () =>
    Promise.all(
      processes.map((child) =>
        child.exitCode !== null || child.signalCode !== null ? null : new Promise((resolve) => (child.once('exit', resolve), child.kill('SIGTERM')))),
    );

  beforeAll(async () => {
    // What the image ships: each app compiled on its own.
    for (const app of ['api', 'worker']) {
      const build = spawnSync(process.execPath, [join(root, 'scripts/build-app.js'), app], { cwd: root, encoding: 'utf8' });
      if (build.status !== 0) throw new Error(`the ${app} build failed:\n${build.stdout}${build.stderr}`);
    }
    database = await createTestDatabase({ maxConnections: 10 });
    const ports = [await freePort(), await freePort()];
    apis = ports.map((port) => `http://127.0.0.1:${port}`);
    for (const port of ports) start('api', { PORT: String(port) });
    start('worker');
    start('worker');
    await eventually(
      async () => {
        for (const api of apis) expect((await fetch(`${api}/ready`)).status).toBe(200);
      },
      { timeoutMs: 90_000, intervalMs: 250 },
    );
  }, 180_000);
  afterAll(async () => {
    await stopAll();
    await Promise.all([database?.drop(), dropTestQueue(prefix, QUEUE_NAME)]);
  });

  /** One request to one of the APIs; fails the test on an unexpected status. */
  async function call(api: number, method: string, path: string, token: string, body: unknown, expected: number) {
    const response = await fetch(`${apis[api]}/v1${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status !== expected) throw new Error(`${method} ${path} on API ${api + 1}: ${response.status}, expected ${expected}: ${text}`);
    return text ? JSON.parse(text) : undefined;
  }

  it('rescores every assessment exactly once, and every read model equals a rebuild', async () => {
    const admin = await mintLocalToken(SECRET, { subject: 'admin', roles: ['platform-admin'], organisations: [] });
    await call(0, 'POST', '/model-versions', admin, { document: SHIPPED_MODELS['2026.1'] }, 201);
    await call(1, 'POST', '/model-versions/datagedreven-overheid/2026.1/publish', admin, { legalBasis: 'Woo; AVG', effectiveFrom: '2026-01-01' }, 200);
    const { organisationId } = await call(0, 'POST', '/organisations', admin, { name: 'Waterschap Rivierenland', organisationType: 'water-board', sizeBand: 'medium' }, 201);
    const coordinator = await mintLocalToken(SECRET, { subject: 'coordinator', roles: ['coordinator'], organisations: [organisationId] });

    const ids: string[] = [];
    let requests = 0;
    for (let a = 0; a < ASSESSMENTS; a++) {
      const { assessmentId } = await call(a % 2, 'POST', '/assessments', coordinator, { organisationId, scope: { kind: 'organisation' }, period: `${2020 + a}`, model: { key: 'datagedreven-overheid', version: '2026.1' }, layers: [...LAYERS] }, 201);
      ids.push(assessmentId);
      const respondents = [];
      for (const layer of LAYERS) {
        const { respondentId } = await call(0, 'POST', `/organisations/${organisationId}/respondents`, coordinator, { name: `${layer} ${a}`, email: `${layer}-${a}@example.nl` }, 201);
        await call(1, 'POST', `/assessments/${assessmentId}/invitations`, coordinator, { respondentId, layer }, 201);
        respondents.push((await call(0, 'POST', `/organisations/${organisationId}/respondents/${respondentId}/invitations`, coordinator, { assessmentId, layer }, 201)).token as string);
      }
      // Both respondents answer at the same time, each answer through the other API than the
      // last: two processes append to one assessment's stream concurrently.
      await Promise.all(
        respondents.map(async (token, r) => {
          for (const [q, questionId] of QUESTIONS.entries()) {
            await call((q + r) % 2, 'PUT', `/assessments/${assessmentId}/answers/${questionId}`, token, { level: (a + r + q) % 6 }, 200);
            requests++;
          }
          await call(r % 2, 'POST', `/assessments/${assessmentId}/submit`, token, undefined, 200);
        }),
      );
      await call(a % 2, 'POST', `/assessments/${assessmentId}/close`, coordinator, undefined, 200);
    }
    expect(requests).toBe(ASSESSMENTS * LAYERS.length * QUESTIONS.length);

    await call(1, 'POST', '/model-versions', admin, { document: SHIPPED_MODELS['2027.1'] }, 201);
    await call(0, 'PUT', '/model-versions/datagedreven-overheid/2027.1/crosswalk', admin, { crosswalk: SHIPPED_CROSSWALKS['2026.1->2027.1'] }, 200);
    await call(1, 'POST', '/model-versions/datagedreven-overheid/2027.1/publish', admin, { legalBasis: 'AI-verordening', effectiveFrom: '2027-01-01' }, 200);

    const recalculation = await eventually(
      async () => {
        const list = await call(0, 'GET', '/recalculations', admin, undefined, 200);
        expect(list).toHaveLength(1);
        expect(list[0]).toMatchObject({ total: ASSESSMENTS, done: ASSESSMENTS, failed: 0 });
        return list[0];
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );

    // Every job ran to completion once, and the workers caught up with the whole log.
    const { db, pool } = database;
    const store = new PostgresEventStore(db, pool);
    const redis = openRedis(redisUrl, 'producer');
    const queue = new Queue(QUEUE_NAME, { connection: redis, prefix });
    const processors = [...projectionsOf(WORKER_FEATURES).map((p) => p.name), ...WORKER_FEATURES.flatMap((f) => f.reactions ?? []).map((r) => r.name)];
    try {
      await eventually(
        async () => {
          expect(await queue.getJobCounts('waiting', 'active', 'delayed', 'failed')).toEqual({ waiting: 0, active: 0, delayed: 0, failed: 0 });
          for (const name of processors) expect({ name, lag: (await projectionStatus(db, store, name)).lag }).toEqual({ name, lag: 0 });
        },
        { timeoutMs: 30_000, intervalMs: 200 },
      );
    } finally {
      await queue.close();
      redis.disconnect();
    }
    await stopAll();

    const counts = await pool.query<{ stream_id: string; calculated: number; recalculated: number }>(
      `SELECT stream_id, count(*) FILTER (WHERE type = 'ScoreCalculated')::int AS calculated,
              count(*) FILTER (WHERE type = 'ScoreRecalculated' AND data->>'recalculationId' = $1)::int AS recalculated
         FROM events WHERE type IN ('ScoreCalculated', 'ScoreRecalculated') GROUP BY stream_id ORDER BY stream_id`,
      [recalculation.recalculationId],
    );
    expect(counts.rows).toEqual(ids.map((id) => ({ stream_id: `assessment-${id}`, calculated: 1, recalculated: 1 })).sort((a, b) => a.stream_id.localeCompare(b.stream_id)));

    // The read models as the two workers built them, live, against a rebuild of every projection from zero.
    const snapshot = async () => {
      const { rows: tables } = await pool.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`);
      const result: Record<string, unknown[]> = {};
      for (const { table_name } of tables.filter((t) => !NOT_READ_MODELS.has(t.table_name))) {
        const { rows } = await pool.query(`SELECT to_jsonb(t)::text AS row FROM "${table_name}" t ORDER BY 1`);
        result[table_name] = rows.map((r) => JSON.parse(r.row));
      }
      return result;
    };
    const live = await snapshot();
    expect(Object.keys(live)).toEqual(expect.arrayContaining(['assessments', 'insights_trend_points', 'model_versions', 'organisations', 'respondents', 'stream_index']));
    expect(live.assessments).toHaveLength(ASSESSMENTS);
    const projections = projectionsOf(WORKER_FEATURES);
    for (const projection of projections) await resetProjection(db, projection);
    // From zero: the comparison below is with what the events alone give.
    expect((await snapshot()).assessments).toEqual([]);
    await new ProjectionRunner(db, pool, store, projections, { batchSize: 5000 }).catchUp();
    expect(await snapshot()).toEqual(live);
  }, 240_000);
});
