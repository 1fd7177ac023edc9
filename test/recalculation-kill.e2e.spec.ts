import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { createTestDatabase, dropTestQueue, eventually, TEST_DATA_KEY_ENCRYPTION_KEYS, TEST_REDIS_URL, testConfig, type TestDatabase } from '@maatlat/shared/testing';
import { PostgresEventStore } from '@maatlat/shared/event-store';
import type { CommandMetadata } from '@maatlat/shared/domain';
import { BullMqJobRunner, JOB_NAMES, OutboxJobRunner, QUEUE_NAME, openRedis, type JobRunner } from '@maatlat/shared/jobs';
import { SHIPPED_MODELS } from '@maatlat/model-catalogue/domain';
import { platformServices } from '../apps/cli/src/features';

const ASSESSMENTS = 50;

/** The test run's Redis decides the worker's runner, not the developer's shell. */
const withoutRedis = ({ REDIS_URL: _ignored, ...env }: NodeJS.ProcessEnv): NodeJS.ProcessEnv => env;
const meta = (actor = 'test'): CommandMetadata => ({ now: new Date(), actor, correlationId: randomUUID() });

/**
 * The worker is killed (SIGKILL: no shutdown, no acknowledgements) in the middle of a recalculation
 * and another one is started. The half-done and never-started jobs are picked up again, and every
 * assessment ends with exactly one rescoring: no event twice, none missing. It runs with the job
 * runner of the test run: BullMQ when the tests have Redis, the outbox runner without.
 */
describe('recalculation when the worker is killed mid-run', () => {
  let database: TestDatabase;
  const workers: ChildProcess[] = [];
  const prefix = `kill-${randomUUID()}`;

  beforeAll(async () => {
    database = await createTestDatabase({ maxConnections: 10 });
  });
  afterAll(async () => {
    for (const worker of workers) if (worker.exitCode === null) worker.kill('SIGKILL');
    await Promise.all([database?.drop(), dropTestQueue(prefix, QUEUE_NAME)]);
  });

  const startWorker = (): ChildProcess => {
    const root = join(__dirname, '..');
    const worker = spawn(process.execPath, ['-r', join(root, 'scripts/register.js'), join(root, 'apps/worker/src/main.ts')], {
      env: { ...withoutRedis(process.env), ...(TEST_REDIS_URL ? { REDIS_URL: TEST_REDIS_URL } : {}), DATABASE_URL: database.url, QUEUE_PREFIX: prefix, LOG_LEVEL: 'silent', DATA_KEY_ENCRYPTION_KEYS: TEST_DATA_KEY_ENCRYPTION_KEYS, JOB_CONCURRENCY: '1', JOB_LOCK_MS: '1000' },
      stdio: 'ignore',
    });
    workers.push(worker);
    return worker;
  };

  it('rescores every assessment exactly once after a restart', async () => {
    const { db, pool } = database;
    const { catalogue, organisations, respondents, assessments, recalculations } = platformServices(db, new PostgresEventStore(db, pool), testConfig({ DATABASE_URL: database.url }));
    await catalogue.draft({ document: SHIPPED_MODELS['2026.1'] }, meta());
    await catalogue.publish('datagedreven-overheid', '2026.1', { legalBasis: 'Woo', effectiveFrom: '2026-01-01' }, meta());
    const { organisationId } = await organisations.register({ name: 'Provincie Utrecht', organisationType: 'province', sizeBand: 'large' }, meta());
    const people: string[] = [];
    for (let i = 0; i < 3; i++) people.push((await respondents.register(organisationId, { name: `R${i}`, email: `r${i}@example.nl` }, meta())).respondentId);
    const questions = SHIPPED_MODELS['2026.1'].factors.flatMap((f) => f.questions.map((q) => q.id));
    const ids: string[] = [];
    for (let a = 0; a < ASSESSMENTS; a++) {
      const { assessmentId } = await assessments.open(
        { organisationId, scope: { kind: 'organisation', organisationId }, period: `2026-${a}`, model: { key: 'datagedreven-overheid', version: '2026.1' }, layers: ['strategic', 'tactical', 'operational'] },
        meta(),
      );
      for (const [i, respondentId] of people.entries()) {
        await assessments.invite(assessmentId, respondentId, (['strategic', 'tactical', 'operational'] as const)[i], meta());
        await assessments.recordAnswers(assessmentId, respondentId, questions.map((questionId, q) => ({ questionId, answer: { level: (a + i + q) % 6 } })), meta(respondentId), { submit: true });
      }
      await assessments.close(assessmentId, meta());
      ids.push(assessmentId);
    }

    const version = { key: 'datagedreven-overheid', version: '2026.1' };
    const recalculationId = await recalculations.start({ kind: 'algorithm-upgrade', algorithm: 'maatlat-scoring/v1' }, version, version, meta('admin'));

    const first = startWorker();
    const doneAtKill = await eventually(
      async () => {
        const { done } = await recalculations.progress(recalculationId);
        if (done < 2) throw new Error(`only ${done} done`);
        first.kill('SIGKILL');
        return done;
      },
      { timeoutMs: 60_000, intervalMs: 10 },
    );
    await new Promise((resolve) => (first.exitCode !== null || first.signalCode !== null ? resolve(null) : first.once('exit', resolve)));
    // Killed in the middle: some rescored; the rest waiting, or claimed by the dead worker (its
    // lock runs out, then the next worker takes the job up again).
    const redis = TEST_REDIS_URL ? openRedis(TEST_REDIS_URL, 'producer') : undefined;
    const queue = redis ? new Queue(QUEUE_NAME, { connection: redis, prefix }) : undefined;
    // Only its counts are read: the same contract either way.
    const jobs: JobRunner = queue && redis ? new BullMqJobRunner(db, queue, redis, [], { attempts: 1, backoffMs: 1, concurrency: 1, lockMs: 1000 }) : new OutboxJobRunner(db, JOB_NAMES.map((name) => ({ name, handle: async () => undefined, onFinalFailure: async () => undefined })), { attempts: 1, backoffMs: 1, concurrency: 1, lockMs: 1000 });
    const { done: doneAfterKill } = await recalculations.progress(recalculationId);
    expect(doneAtKill).toBeLessThan(ASSESSMENTS);
    expect(doneAfterKill).toBeLessThan(ASSESSMENTS);
    const atKill = await jobs.counts();
    // At most one job (the one running) may have been rescored without being acknowledged.
    expect(atKill.waiting + atKill.active).toBeGreaterThanOrEqual(ASSESSMENTS - doneAfterKill);
    expect(atKill.waiting + atKill.active).toBeLessThanOrEqual(ASSESSMENTS - doneAfterKill + 1);

    startWorker();
    const progress = await eventually(
      async () => {
        const current = await recalculations.progress(recalculationId);
        expect(current).toMatchObject({ total: ASSESSMENTS, done: ASSESSMENTS, failed: 0 });
        return current;
      },
      { timeoutMs: 60_000, intervalMs: 100 },
    );
    expect(progress.failures).toEqual([]);

    // The queue drains: the job the dead worker held is run again once its lock runs out, even when
    // it had already appended its event (it then appends nothing).
    try {
      await eventually(
        async () => expect(await jobs.counts()).toEqual({ waiting: 0, active: 0, failed: 0, completed: ASSESSMENTS }),
        { timeoutMs: 30_000, intervalMs: 100 },
      );
    } finally {
      await queue?.close();
      redis?.disconnect();
    }
    const { rows } = await pool.query<{ stream_id: string; n: number }>(
      `SELECT stream_id, count(*)::int AS n FROM events
        WHERE type = 'ScoreRecalculated' AND data->>'recalculationId' = $1 GROUP BY stream_id ORDER BY stream_id`,
      [recalculationId],
    );
    expect(rows).toEqual(ids.map((id) => ({ stream_id: `assessment-${id}`, n: 1 })).sort((a, b) => a.stream_id.localeCompare(b.stream_id)));
    expect((await assessments.verify(ids[0])).status).toBe('verified');
    // Two worker processes start from the TypeScript sources (each compiles the worker first), one
    // is killed mid-run: on a busy 2-core machine that alone takes most of a minute.
  }, 240_000);
});
