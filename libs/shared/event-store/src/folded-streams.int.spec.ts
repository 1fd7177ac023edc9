import { randomUUID } from 'node:crypto';
import type { Decider } from '@maatlat/shared/domain';
import { createTestDatabase, type TestDatabase } from '@maatlat/shared/testing';
import { foldEvents } from './command-handling';
import { PostgresEventStore } from './event-store';
import { FoldedStreams } from './folded-streams';

type Counted = { type: 'Counted'; data: { by: number } };
/** A running total, and how many events made it: enough to see a missed or doubled event. */
const counter: Decider<never, { total: number; events: number }, Counted> = {
  initialState: () => ({ total: 0, events: 0 }),
  evolve: (state, event) => ({ total: state.total + event.data.by, events: state.events + 1 }),
  decide: () => [],
};

describe('FoldedStreams', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  const meta = { actor: 'test', correlationId: 'c' };
  const append = (streamId: string, ...by: number[]) => store.append(streamId, 'any', by.map((n) => ({ eventId: randomUUID(), type: 'Counted', data: { by: n } })), meta);

  beforeAll(async () => {
    database = await createTestDatabase({ maxConnections: 4 });
    store = new PostgresEventStore(database.db, database.pool);
  });
  afterAll(() => database.drop());

  it('brings a remembered state up to date with only the events since, equal to a fold from the start', async () => {
    const folded = new FoldedStreams(store, counter);
    await append('count-a', 1, 2, 3);
    expect(await folded.load('count-a')).toEqual({ state: { total: 6, events: 3 }, version: 3 });
    await append('count-a', 10, 20);
    const loaded = await folded.load('count-a');
    expect(loaded).toEqual({ state: { total: 36, events: 5 }, version: 5 });
    expect(loaded.state).toEqual(foldEvents(counter, await store.readStream('count-a')));
  });

  it('keeps a newer remembered state over an older one, and forgets the least recently used stream past its capacity', async () => {
    const folded = new FoldedStreams(store, counter, 2);
    await append('count-b', 5);
    await folded.load('count-b');
    folded.remember('count-b', 0, { total: -1, events: 0 });
    expect(await folded.load('count-b')).toEqual({ state: { total: 5, events: 1 }, version: 1 });

    // A stream forgotten is read whole again, and still comes out right.
    await append('count-c', 1);
    await append('count-d', 1);
    await folded.load('count-c');
    await folded.load('count-d');
    folded.remember('count-b', 1, { total: 999, events: 1 }); // would be wrong if it were still used
    await folded.load('count-c');
    await folded.load('count-d'); // count-b is now the least recently used of three: forgotten
    expect(await folded.load('count-b')).toEqual({ state: { total: 5, events: 1 }, version: 1 });
  });
});
