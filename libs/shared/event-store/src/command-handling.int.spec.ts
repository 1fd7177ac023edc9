import { randomUUID } from 'node:crypto';
import { RuleBroken, type CommandMetadata, type Decider } from '@maatlat/shared/domain';
import { createTestDatabase, type TestDatabase } from '@maatlat/shared/testing';
import { handleCommand } from './command-handling';
import { WrongExpectedVersion } from './errors';
import { PostgresEventStore } from './event-store';

// A deliberately small aggregate: a tally that can be incremented until it is closed.
type TallyCommand =
  | { type: 'Increment'; data: { by: number }; metadata: CommandMetadata }
  | { type: 'Close'; data: Record<string, never>; metadata: CommandMetadata };
type TallyEvent = { type: 'Incremented'; data: { by: number } } | { type: 'Closed'; data: Record<string, never> };
type TallyState = { status: 'open'; total: number } | { status: 'closed'; total: number };

const tally: Decider<TallyCommand, TallyState, TallyEvent> = {
  initialState: () => ({ status: 'open', total: 0 }),
  evolve: (state, event) =>
    event.type === 'Incremented' ? { ...state, total: state.total + event.data.by } : { status: 'closed', total: state.total },
  decide: (command, state) => {
    if (state.status === 'closed') throw new RuleBroken('tally.closed', 'the tally is closed');
    return command.type === 'Increment' ? [{ type: 'Incremented', data: { by: command.data.by } }] : [{ type: 'Closed', data: {} }];
  },
};

const metadata = (commandId?: string): CommandMetadata => ({
  now: new Date('2026-11-28T10:00:00Z'),
  actor: 'user-1',
  tenantId: 'org-1',
  correlationId: randomUUID(),
  commandId,
});

describe('handleCommand', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    database = await createTestDatabase({ maxConnections: 30 });
    store = new PostgresEventStore(database.db, database.pool);
  });
  afterAll(() => database.drop());

  it('loads, decides and appends, recording when the command was decided', async () => {
    const stream = `tally-${randomUUID()}`;
    const outcome = await handleCommand(store, tally, stream, { type: 'Increment', data: { by: 2 }, metadata: metadata() });
    expect(outcome.state).toEqual({ status: 'open', total: 2 });
    const [stored] = await store.readStream(stream);
    expect(stored).toMatchObject({ type: 'Incremented', data: { by: 2 }, eventId: outcome.events[0].eventId });
    expect(stored.metadata.occurredAt).toBe('2026-11-28T10:00:00.000Z');
  });

  it('retries on conflict, so 25 concurrent increments all count', async () => {
    const stream = `tally-${randomUUID()}`;
    await Promise.all(
      Array.from({ length: 25 }, () => handleCommand(store, tally, stream, { type: 'Increment', data: { by: 1 }, metadata: metadata() }, { maxAttempts: 50 })),
    );
    const events = await store.readStream(stream);
    expect(events).toHaveLength(25);
    expect(events.map((e) => e.version)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
  });

  it('gives up after the bounded number of attempts with the conflict', async () => {
    const stream = `tally-${randomUUID()}`;
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, () => handleCommand(store, tally, stream, { type: 'Increment', data: { by: 1 }, metadata: metadata() }, { maxAttempts: 1 })),
    );
    const failures = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(failures.length).toBeGreaterThan(0);
    failures.forEach((f) => expect(f.reason).toBeInstanceOf(WrongExpectedVersion));
    expect(await store.readStream(stream)).toHaveLength(10 - failures.length);
  });

  it('refuses at once when the client saw an older version', async () => {
    const stream = `tally-${randomUUID()}`;
    await handleCommand(store, tally, stream, { type: 'Increment', data: { by: 1 }, metadata: metadata() });
    await expect(
      handleCommand(store, tally, stream, { type: 'Increment', data: { by: 1 }, metadata: metadata() }, { expectedVersion: 0 }),
    ).rejects.toMatchObject({ expectedVersion: 0, actualVersion: 1 });
    expect(await store.readStream(stream)).toHaveLength(1);
  });

  it('treats a retried command as a no-op, even when deciding again would now be refused', async () => {
    const stream = `tally-${randomUUID()}`;
    const first = await handleCommand(store, tally, stream, { type: 'Close', data: {}, metadata: metadata('close-1') });
    const retry = await handleCommand(store, tally, stream, { type: 'Close', data: {}, metadata: metadata('close-1') });
    expect(retry.result).toEqual({ ...first.result, duplicate: true });
    expect(retry.events).toEqual([]);
    expect(await store.readStream(stream)).toHaveLength(1);
    await expect(handleCommand(store, tally, stream, { type: 'Close', data: {}, metadata: metadata('close-2') })).rejects.toThrow('the tally is closed');
  });

  it('derives event ids from the command id, so concurrent retries cannot double an event', async () => {
    const stream = `tally-${randomUUID()}`;
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, () => handleCommand(store, tally, stream, { type: 'Increment', data: { by: 5 }, metadata: metadata('inc-1') }, { maxAttempts: 10 })),
    );
    const events = await store.readStream(stream);
    expect(events).toHaveLength(1);
    expect(outcomes.filter((o) => o.events.length === 1)).toHaveLength(1);
    expect(outcomes.find((o) => o.events.length === 1)!.events[0].eventId).toBe(events[0].eventId);
  });

  it('records outbox jobs in the same transaction as the events that cause them', async () => {
    const stream = `tally-${randomUUID()}`;
    const { events } = await handleCommand(
      store,
      tally,
      stream,
      { type: 'Close', data: {}, metadata: metadata('close-x') },
      { jobs: (appended) => appended.map((e) => ({ jobId: `${e.eventId}_report`, jobName: 'report', payload: { stream }, causedByEventId: e.eventId })) },
    );
    const jobs = await database.db.selectFrom('outbox').selectAll().where('caused_by_event_id', '=', events[0].eventId).execute();
    expect(jobs).toMatchObject([{ job_id: `${events[0].eventId}_report`, job_name: 'report', payload: { stream }, dispatched_at: null }]);
  });
});
