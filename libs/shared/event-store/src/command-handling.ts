import type { CommandMetadata, Decider, DomainEvent } from '@maatlat/shared/domain';
import { WrongExpectedVersion } from './errors';
import type { PostgresEventStore } from './event-store';
import type { FoldedStreams } from './folded-streams';
import { deterministicUuid, uuidv7 } from './hashing';
import type { AppendResult, NewEvent, OutboxJob, StoredEvent } from './types';

export interface CommandOutcome<State, Event> {
  result: AppendResult | undefined;
  /** The events this call appended (empty when the decider had nothing to say, or on a duplicate). */
  events: (Event & { eventId: string })[];
  state: State;
}

export interface HandleCommandOptions<Event extends DomainEvent, State = unknown> {
  /** Conflicts retried before giving up with `WrongExpectedVersion` (default 3 attempts in all). */
  maxAttempts?: number;
  /** The version the client last saw: when given, a stream that moved on is a conflict, not a retry. */
  expectedVersion?: number;
  /** Outbox jobs caused by the new events, appended in the same transaction. */
  jobs?: (events: (Event & { eventId: string })[]) => OutboxJob[];
  /**
   * The whole stream as the caller has just read it, to decide on without reading it again. Only
   * the first attempt uses it: if the stream moved on meanwhile, the append conflicts and the
   * retry reads afresh.
   */
  history?: readonly StoredEvent[];
  /**
   * The stream's folded state kept in this process: each attempt reads only the events since, so a
   * busy stream costs a few events per decision, and a conflict's retry is cheap.
   */
  folded?: FoldedStreams<State, Event>;
}

/**
 * The one way command handlers write: load the stream, fold it with `evolve`, `decide`, append
 * with the expected version, and on a conflict start over (a bounded number of times). With a
 * `commandId` in the metadata the event ids are derived from it, and a command already applied
 * returns its first outcome without deciding again.
 * @example
 *   const { state } = await handleCommand(store, assessmentDecider, `assessment-${id}`, command);
 */
export async function handleCommand<Command extends { metadata: CommandMetadata }, State, Event extends DomainEvent>(
  store: PostgresEventStore,
  decider: Decider<Command, State, Event>,
  streamId: string,
  command: Command,
  options: HandleCommandOptions<Event, State> = {},
): Promise<CommandOutcome<State, Event>> {
  const { metadata } = command;
  const maxAttempts = options.maxAttempts ?? 3;
  for (let attempt = 1; ; attempt++) {
    const { state, version } = await current(store, decider, streamId, attempt === 1 ? options.history : undefined, options.folded);

    if (metadata.commandId) {
      const applied = await store.findCommandResult(streamId, metadata.commandId);
      if (applied) return { result: applied, events: [], state };
    }
    if (options.expectedVersion !== undefined && options.expectedVersion !== version) {
      throw new WrongExpectedVersion(streamId, options.expectedVersion, version);
    }

    const decided = decider.decide(command, state);
    if (decided.length === 0) return { result: undefined, events: [], state };
    const events = decided.map((event, index) => ({
      ...event,
      eventId: metadata.commandId
        ? deterministicUuid(metadata.now.getTime(), streamId, metadata.commandId, String(index))
        : uuidv7(metadata.now.getTime()),
    }));
    const toAppend: NewEvent[] = events.map((e) => ({ eventId: e.eventId, type: e.type, data: e.data }));
    try {
      const result = await store.append(streamId, version, toAppend, metadata, { jobs: options.jobs?.(events) });
      const after = events.reduce(decider.evolve, state);
      if (!result.duplicate) options.folded?.remember(streamId, result.nextExpectedVersion, after);
      return { result, events: result.duplicate ? [] : events, state: after };
    } catch (error) {
      const retry = error instanceof WrongExpectedVersion && options.expectedVersion === undefined && attempt < maxAttempts;
      if (!retry) throw error;
    }
  }
}

/** The stream's state and version: from the caller's read, the process's folded state, or a full read. */
async function current<State, Event extends DomainEvent>(
  store: PostgresEventStore,
  decider: Pick<Decider<unknown, State, Event>, 'initialState' | 'evolve'>,
  streamId: string,
  history: readonly StoredEvent[] | undefined,
  folded: FoldedStreams<State, Event> | undefined,
): Promise<{ state: State; version: number }> {
  if (!history && folded) return folded.load(streamId);
  const events = history ?? (await store.readStream(streamId));
  return { state: foldEvents(decider, events), version: events.length ? events[events.length - 1].version : 0 };
}

/** Folds stored events into state; the decider sees plain `{ type, data }` events. */
export function foldEvents<State, Event extends DomainEvent>(
  decider: Pick<Decider<unknown, State, Event>, 'initialState' | 'evolve'>,
  history: readonly StoredEvent[],
): State {
  let state = decider.initialState();
  for (const stored of history) state = decider.evolve(state, { type: stored.type, data: stored.data } as Event);
  return state;
}

/**
 * Several commands to one stream, decided one after the other on the evolving state and appended
 * together: all or nothing, in one round trip (bulk answering, seeding).
 */
export async function handleCommands<Command extends { metadata: CommandMetadata }, State, Event extends DomainEvent>(
  store: PostgresEventStore,
  decider: Decider<Command, State, Event>,
  streamId: string,
  commands: readonly Command[],
  options: { expectedVersion?: number } = {},
): Promise<CommandOutcome<State, Event>> {
  const history = await store.readStream(streamId);
  let state = foldEvents(decider, history);
  const version = history.length ? history[history.length - 1].version : 0;
  if (options.expectedVersion !== undefined && options.expectedVersion !== version) {
    throw new WrongExpectedVersion(streamId, options.expectedVersion, version);
  }
  const events: (Event & { eventId: string })[] = [];
  for (const command of commands) {
    for (const event of decider.decide(command, state)) {
      state = decider.evolve(state, event);
      events.push({ ...event, eventId: uuidv7(command.metadata.now.getTime()) });
    }
  }
  if (events.length === 0) return { result: undefined, events: [], state };
  const first = commands[0].metadata;
  const result = await store.append(streamId, version, events.map((e) => ({ eventId: e.eventId, type: e.type, data: e.data })), { ...first, commandId: undefined });
  return { result, events, state };
}
