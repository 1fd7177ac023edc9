import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { Queue, Worker } from 'bullmq';
import { PostgresEventStore } from '@maatlat/shared/event-store';
import { createTestDatabase, describeWithRedis, type TestDatabase } from '@maatlat/shared/testing';
import { jobIdFor } from './jobs';
import { OutboxRelay } from './outbox-relay';
import { openRedis } from './redis';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describeWithRedis('OutboxRelay (BullMQ)', (redisUrl) => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  const queueName = `outbox-test-${randomUUID()}`;
  const producer = openRedis(redisUrl, 'producer');
  const queue = new Queue(queueName, { connection: producer });

  beforeAll(async () => {
    database = await createTestDatabase();
    store = new PostgresEventStore(database.db, database.pool);
  });
  afterAll(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
    producer.disconnect();
    await database.drop();
  });

  async function appendWithJob(i: number): Promise<string> {
    const eventId = randomUUID();
    await store.append(`assessment-${randomUUID()}`, 0, [{ eventId, type: 'AssessmentClosed', data: { i } }], { actor: 'u', correlationId: 'c' }, {
      jobs: [{ jobId: jobIdFor(eventId, 'event-store.verify-stream'), jobName: 'event-store.verify-stream', payload: { i }, causedByEventId: eventId }],
    });
    return eventId;
  }

  it('keeps the jobs while Redis is unreachable and hands every one over, once, when it is back', async () => {
    const eventIds = await Promise.all(Array.from({ length: 12 }, (_, i) => appendWithJob(i)));

    const deadRedis = openRedis(`redis://127.0.0.1:${await closedPort()}`, 'probe');
    const deadQueue = new Queue(queueName, { connection: deadRedis });
    deadQueue.on('error', () => undefined);
    const failingRelay = new OutboxRelay(database.db, deadQueue, { timeoutMs: 1000 });
    const failed = await failingRelay.relayOnce();
    expect(failed).toMatchObject({ dispatched: 0, failed: 12 });
    expect(failed.error).toBeDefined();
    expect(await failingRelay.pendingCount()).toBe(12);
    const attempts = await database.db.selectFrom('outbox').select(['attempts', 'last_error']).execute();
    expect(attempts.every((a) => a.attempts === 1 && a.last_error)).toBe(true);
    deadRedis.disconnect();
    await deadQueue.close().catch(() => undefined);

    const relay = new OutboxRelay(database.db, queue, { batchSize: 5 });
    expect(await relay.drain()).toEqual({ dispatched: 12, failed: 0 });
    expect(await relay.pendingCount()).toBe(0);

    const jobs = await queue.getJobs(['waiting', 'delayed', 'active', 'completed']);
    expect(jobs.map((j) => j.id).sort()).toEqual(eventIds.map((id) => jobIdFor(id, 'event-store.verify-stream')).sort());
    expect(jobs.every((j) => j.name === 'event-store.verify-stream')).toBe(true);
  });

  it('makes a re-delivered job a no-op: the same cause gives the same job id', async () => {
    const eventId = await appendWithJob(99);
    const relay = new OutboxRelay(database.db, queue);
    await relay.drain();
    // As if the relay crashed after Redis accepted the job but before it marked the row.
    await database.db.updateTable('outbox').set({ dispatched_at: null }).where('caused_by_event_id', '=', eventId).execute();
    await relay.drain();
    const jobId = jobIdFor(eventId, 'event-store.verify-stream');
    const all = await queue.getJobs(['waiting', 'delayed', 'active', 'completed']);
    expect(all.filter((j) => j.id === jobId)).toHaveLength(1);
  });

  it('delivers relayed jobs to a worker', async () => {
    const consumer = openRedis(redisUrl, 'worker');
    const received: unknown[] = [];
    const worker = new Worker(queueName, async (job) => void received.push(job.data), { connection: consumer });
    try {
      await appendWithJob(7);
      await new OutboxRelay(database.db, queue).drain();
      await new Promise<void>((resolve) => {
        const check = () => (received.some((d) => (d as { i: number }).i === 7) ? resolve() : setTimeout(check, 20));
        check();
      });
      expect(received).toContainEqual({ i: 7 });
    } finally {
      await worker.close();
      consumer.disconnect();
    }
  });
});
