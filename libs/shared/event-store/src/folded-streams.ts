import type { Decider, DomainEvent } from '@maatlat/shared/domain';
import type { PostgresEventStore } from './event-store';

/**
 * Streams' folded state, kept per process and brought up to date by reading only the events after
 * the version it was folded to. Events never change, and `evolve` is pure, so a remembered state
 * plus the events since is the same state a fold from the start gives. For streams written often
 * by many (an assessment that a hundred respondents answer in the same hour): a decision reads a
 * few new events, not the whole stream. Bounded: the least recently used streams are forgotten.
 * @example
 *   const folded = new FoldedStreams(store, assessmentDecider);
 *   const { state, version } = await folded.load(assessmentStreamId(id));
 */
export class FoldedStreams<State, Event extends DomainEvent> {
  private readonly entries = new Map<string, { state: State; version: number }>();

  constructor(
    private readonly store: PostgresEventStore,
    private readonly decider: Pick<Decider<unknown, State, Event>, 'initialState' | 'evolve'>,
    private readonly capacity = 1000,
  ) {}

  /** The stream's state now: the remembered one, brought up to date. */
  async load(streamId: string): Promise<{ state: State; version: number }> {
    const known = this.entries.get(streamId);
    const events = await this.store.readStream(streamId, known ? { fromVersion: known.version + 1 } : {});
    let state = known?.state ?? this.decider.initialState();
    let version = known?.version ?? 0;
    for (const event of events) {
      state = this.decider.evolve(state, { type: event.type, data: event.data } as Event);
      version = event.version;
    }
    this.remember(streamId, version, state);
    return { state, version };
  }

  /**
   * The remembered state without reading: possibly behind the stream. Only for a caller that
   * appends with this version, which then fails on a stream that moved on, and reads again.
   */
  peek(streamId: string): { state: State; version: number } | undefined {
    return this.entries.get(streamId);
  }

  /** Remembers the state a command produced at the version its append reached. */
  remember(streamId: string, version: number, state: State): void {
    const known = this.entries.get(streamId);
    if (known && known.version > version) return;
    // Re-inserting moves the stream to the end: the first entry is the least recently used.
    this.entries.delete(streamId);
    this.entries.set(streamId, { state, version });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }
}
