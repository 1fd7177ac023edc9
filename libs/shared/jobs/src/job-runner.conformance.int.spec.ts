import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import type IORedis from 'ioredis';
import { PostgresEventStore } from '@maatlat/shared/event-store';
import { createTestDatabase, describeWithRedis, dropTestQueue, eventually, type TestDatabase } from '@maatlat/shared/testing';
import { BullMqJobRunner, type JobRunner, type JobRunnerOptions } from './job-runner';
import { startJobWorker } from './job-worker';
import { JOB_NAMES, jobIdFor, type JobContext, type JobRegistration, type PlatformJobs } from './jobs';
import { OutboxJobRunner } from './outbox-job-runner';
import { OutboxRelay } from './outbox-relay';
import { openRedis } from './redis';

type Payload = PlatformJobs['event-store.verify-stream'];

/** One runner under test: how to make it, and how to leave a job held by a runner that died. */
interface RunnerKind {
  make(registrations: JobRegistration[], options: JobRunnerOptions): JobRunner;
  /** A runner takes the job and dies with it (no acknowledgement, no release). */
  dieHolding(registrations: JobRegistration[], options: JobRunnerOptions, jobId: string): Promise<void>;
  cleanUp(): Promise<void>;
}

const FAST: JobRunnerOptions = { attempts: 3, backoffMs: 100, concurrency: 4, lockMs: 1000 };

/**
 * The job contract both runners keep (BullMQ on Redis, and the worker running the outbox itself):
 * each job recorded with its events runs, at least once, and a second delivery of the same cause is
 * the same job; a failing job is retried with a pause that doubles, then listed as failed with its
 * last reason and handed to onFinalFailure once; a job whose runner died is taken up again once its
 * lock runs out, while it has tries left; counts show where the jobs stand.
 */
function jobContract(kindFor: (database: TestDatabase) => RunnerKind) {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let kind: RunnerKind;
  const runners: JobRunner[] = [];

  beforeEach(async () => {
    database = await createTestDatabase({ maxConnections: 10 });
    store = new PostgresEventStore(database.db, database.pool);
    kind = kindFor(database);
  });
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((runner) => runner.stop()));
    await kind.cleanUp();
    await database.drop();
  });

  /** Records an event with the job it causes, as the features do: one transaction. */
  async function record(payload: Payload): Promise<string> {
    const eventId = randomUUID();
    const jobId = jobIdFor(eventId, 'event-store.verify-stream');
    await store.append(`assessment-${randomUUID()}`, 0, [{ eventId, type: 'AssessmentClosed', data: {} }], { actor: 'u', correlationId: 'c' }, {
      jobs: [{ jobId, jobName: 'event-store.verify-stream', payload, causedByEventId: eventId }],
    });
    return jobId;
  }

  function registrations(handle: (payload: Payload, context: JobContext) => Promise<void>, finalFailures: { payload: Payload; reason: string }[] = []): JobRegistration[] {
    const verify: JobRegistration<'event-store.verify-stream'> = {
      name: 'event-store.verify-stream',
      handle,
      onFinalFailure: async (payload, reason) => void finalFailures.push({ payload, reason }),
    };
    const others = JOB_NAMES.filter((name) => name !== verify.name).map((name) => ({ name, handle: async () => undefined, onFinalFailure: async () => undefined }));
    return [verify as JobRegistration, ...others];
  }

  function started(runner: JobRunner): JobRunner {
    runners.push(runner);
    runner.start();
    return runner;
  }

  it('runs every recorded job, the job recorded before it started included, and counts them', async () => {
    const seen = new Map<string, number>();
    const early = await record({ streamId: 'early' });
    const runner = started(kind.make(registrations(async ({ streamId }) => void seen.set(streamId, (seen.get(streamId) ?? 0) + 1)), FAST));
    const ids = [early, ...(await Promise.all(Array.from({ length: 9 }, (_, i) => record({ streamId: `s${i}` }))))];
    await eventually(async () => expect(await runner.counts()).toEqual({ waiting: 0, active: 0, completed: ids.length, failed: 0 }), { timeoutMs: 20_000 });
    expect([...seen.keys()].sort()).toEqual(['early', ...Array.from({ length: 9 }, (_, i) => `s${i}`)].sort());
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    expect(await runner.failed()).toEqual([]);
  });

  it('retries a failing job with a doubling pause, then lists it as failed with its reason and tells onFinalFailure once', async () => {
    const tries: { attempt: number; at: number }[] = [];
    const finalFailures: { payload: Payload; reason: string }[] = [];
    const runner = started(
      kind.make(
        registrations(async (_payload, { attempt }) => {
          tries.push({ attempt, at: Date.now() });
          throw new Error(`the stream cannot be read (try ${attempt})`);
        }, finalFailures),
        FAST,
      ),
    );
    const jobId = await record({ streamId: 'broken' });
    await eventually(async () => expect(await runner.failed()).toEqual([{ jobId, name: 'event-store.verify-stream', reason: 'the stream cannot be read (try 3)', attempts: 3 }]), { timeoutMs: 20_000 });
    expect(tries.map((t) => t.attempt)).toEqual([1, 2, 3]);
    // The pauses are 100 ms, then 200 ms: each at least that long.
    expect(tries[1].at - tries[0].at).toBeGreaterThanOrEqual(100);
    expect(tries[2].at - tries[1].at).toBeGreaterThanOrEqual(200);
    await eventually(async () => expect(finalFailures).toEqual([{ payload: { streamId: 'broken' }, reason: 'the stream cannot be read (try 3)' }]));
    expect(await runner.counts()).toEqual({ waiting: 0, active: 0, completed: 0, failed: 1 });
  });

  it('completes a job that fails once on its next try, and does not list it as failed', async () => {
    const attempts: number[] = [];
    const runner = started(
      kind.make(
        registrations(async (_payload, { attempt }) => {
          attempts.push(attempt);
          if (attempt === 1) throw new Error('a moment of trouble');
        }),
        FAST,
      ),
    );
    await record({ streamId: 'flaky' });
    await eventually(async () => expect(await runner.counts()).toEqual({ waiting: 0, active: 0, completed: 1, failed: 0 }), { timeoutMs: 20_000 });
    expect(attempts).toEqual([1, 2]);
    expect(await runner.failed()).toEqual([]);
  });

  it('takes up again a job whose runner died holding it, once its lock runs out', async () => {
    const jobId = await record({ streamId: 'orphan' });
    await kind.dieHolding(registrations(() => new Promise<void>(() => undefined)), FAST, jobId);
    const done: string[] = [];
    const runner = started(kind.make(registrations(async ({ streamId }) => void done.push(streamId)), FAST));
    await eventually(async () => expect(await runner.counts()).toEqual({ waiting: 0, active: 0, completed: 1, failed: 0 }), { timeoutMs: 20_000 });
    expect(done).toEqual(['orphan']);
  });

  it('takes up again a job whose runners died holding it twice (a redeploy during a restart), and runs it once more', async () => {
    const jobId = await record({ streamId: 'twice-orphaned' });
    const hang = registrations(() => new Promise<void>(() => undefined));
    await kind.dieHolding(hang, FAST, jobId);
    await kind.dieHolding(hang, FAST, jobId);
    const done: string[] = [];
    const runner = started(kind.make(registrations(async ({ streamId }) => void done.push(streamId)), FAST));
    await eventually(async () => expect(await runner.counts()).toEqual({ waiting: 0, active: 0, completed: 1, failed: 0 }), { timeoutMs: 20_000 });
    expect(done).toEqual(['twice-orphaned']);
    expect(await runner.failed()).toEqual([]);
  });

  it('gives up on a job whose runners died holding it on every try (a job that kills its worker), and tells onFinalFailure', async () => {
    const jobId = await record({ streamId: 'poison' });
    const hang = registrations(() => new Promise<void>(() => undefined));
    for (let death = 0; death < FAST.attempts; death++) await kind.dieHolding(hang, FAST, jobId);
    const done: string[] = [];
    const finalFailures: { payload: Payload; reason: string }[] = [];
    const runner = started(kind.make(registrations(async ({ streamId }) => void done.push(streamId), finalFailures), FAST));
    await eventually(async () => expect(await runner.counts()).toEqual({ waiting: 0, active: 0, completed: 0, failed: 1 }), { timeoutMs: 20_000 });
    expect(done).toEqual([]);
    const [failed] = await runner.failed();
    expect(failed).toMatchObject({ jobId, name: 'event-store.verify-stream' });
    expect(failed.reason).not.toBe('');
    await eventually(async () => expect(finalFailures).toEqual([{ payload: { streamId: 'poison' }, reason: failed.reason }]));
  });
}

describe('the job contract: the outbox runner (no Redis)', () => {
  jobContract((database) => ({
    make: (registrations, options) => new OutboxJobRunner(database.db, registrations, { ...options, pollMs: 50 }),
    async dieHolding(_registrations, options, jobId) {
      // What a runner leaves when killed mid-job: its claim, with no one renewing the lock.
      await database.db
        .updateTable('outbox')
        .set((eb) => ({ job_attempts: eb('job_attempts', '+', 1), locked_until: new Date(Date.now() + options.lockMs) }))
        .where('job_id', '=', jobId)
        .execute();
    },
    cleanUp: async () => undefined,
  }));
});

describeWithRedis('the job contract: BullMQ', (redisUrl) => {
  jobContract((database) => {
    const prefix = `contract-${randomUUID()}`;
    const queueName = 'maatlat-jobs';
    const connections: IORedis[] = [];
    const open = (purpose: 'producer' | 'worker') => {
      const connection = openRedis(redisUrl, purpose);
      connections.push(connection);
      return connection;
    };
    const queue = new Queue(queueName, { connection: open('producer'), prefix });
    return {
      make: (registrations, options) => new BullMqJobRunner(database.db, queue, open('worker'), registrations, { ...options, prefix }),
      async dieHolding(registrations, options, jobId) {
        // The job goes to Redis, a worker takes it and hangs, and is closed without waiting: its
        // lock is never renewed nor released.
        await new OutboxRelay(database.db, queue, { attempts: options.attempts, backoffMs: options.backoffMs }).drain();
        const startedBefore = (await queue.getJob(jobId))?.attemptsStarted ?? 0;
        const worker = startJobWorker(open('worker'), registrations, { prefix, queueName, concurrency: 1, lockMs: options.lockMs, attempts: options.attempts });
        // Taken by this worker: a job left by an earlier dead one is active already, and counts one more start once taken up again.
        await eventually(async () => expect((await queue.getJob(jobId))?.attemptsStarted).toBeGreaterThan(startedBefore), { timeoutMs: 10_000 });
        expect(await queue.getJobState(jobId)).toBe('active');
        await worker.close(true);
      },
      async cleanUp() {
        await queue.close();
        for (const connection of connections) connection.disconnect();
        await dropTestQueue(prefix, queueName);
      },
    };
  });
});
