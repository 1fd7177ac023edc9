import type { StoredEvent } from './types';

/** The `{ type, data }` pair of each member of a union of stored events. */
export type DomainEventOf<R extends StoredEvent> = R extends StoredEvent<infer Type, infer Data> ? { type: Type; data: Data } : never;

/**
 * The plain `{ type, data }` event a decider or projection folds, from a recorded one: typed by the
 * union the stream was read as (`RecordedEvent<E>` gives back `E`), so a reader needs no cast.
 * @example
 *   const events = await store.readStream<AssessmentEvent>(assessmentStreamId(id));
 *   const state = events.reduce((s, e) => assessmentDecider.evolve(s, domainEvent(e)), assessmentDecider.initialState());
 */
export function domainEvent<R extends StoredEvent>(recorded: R): DomainEventOf<R> {
  // Each member of `R` pairs its type with its data; TypeScript cannot follow that pairing into a
  // new object literal, though the pair is exactly one member's.
  return { type: recorded.type, data: recorded.data } as DomainEventOf<R>;
}
