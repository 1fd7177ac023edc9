import type { CommandMetadata, DomainEvent } from '@maatlat/shared/domain';

/** An event about to be appended. `eventId` is assigned by the caller (deterministic on retries). */
export interface NewEvent<Type extends string = string, Data = unknown> {
  eventId: string;
  type: Type;
  data: Data;
  /** Defaults to the type's current schema version in the upcaster registry (1 without one). */
  schemaVersion?: number;
  /** Extra metadata for this event only, merged over the append's metadata. */
  metadata?: Record<string, unknown>;
}

/** What every event of an append records about its cause. Personal data never goes here. */
export type AppendMetadata = Omit<CommandMetadata, 'now'> & { now?: Date };

export interface EventMetadata {
  actor: string;
  tenantId?: string;
  correlationId: string;
  causationId?: string;
  commandId?: string;
  reason?: string;
  /** The moment the command was decided at (the `now` it was given). */
  occurredAt?: string;
  [extra: string]: unknown;
}

export interface StoredEvent<Type extends string = string, Data = unknown> {
  position: number;
  transactionId: string;
  streamId: string;
  version: number;
  eventId: string;
  type: Type;
  /** The schema version after upcasting; `storedSchemaVersion` is what the row holds. */
  schemaVersion: number;
  storedSchemaVersion: number;
  data: Data;
  metadata: EventMetadata;
  recordedAt: Date;
  /** The event's link in its stream's hash chain (hex), when the read asked for it (`withHashes`). */
  hash?: string;
}

/**
 * A stored event of the union `E`, narrowed on `type`: in `switch (event.type)` each branch knows its
 * `data`, so no reader needs a cast.
 * @example
 *   const events = await store.readStream<AssessmentEvent>(assessmentStreamId(id));
 *   if (events[0]?.type === 'AssessmentOpened') events[0].data.organisationId;
 */
export type RecordedEvent<E extends DomainEvent = DomainEvent> = E extends DomainEvent ? StoredEvent<E['type'], E['data']> : never;

/** A job to hand to the queue once the append commits (transactional outbox). */
export interface OutboxJob {
  /** Derived from the cause, e.g. `<event id>_<job name>`, so a re-delivery is a no-op. */
  jobId: string;
  jobName: string;
  payload: unknown;
  causedByEventId?: string;
}

export interface AppendResult {
  streamId: string;
  /** True when the command id had already been applied: nothing was appended this time. */
  duplicate: boolean;
  firstVersion: number;
  /** The stream's version after the append (the last appended event's version). */
  nextExpectedVersion: number;
  firstPosition: number | null;
  lastPosition: number | null;
}

/** `number`: the exact version the caller saw (0: the stream must not exist yet). */
export type ExpectedVersion = number | 'any';

/**
 * A reader's place in the global log. Order is (transactionId, position): see README.md of this
 * library for why a bare position is not enough.
 */
export interface LogCheckpoint {
  transactionId: string;
  position: number;
}

export const LOG_START: LogCheckpoint = Object.freeze({ transactionId: '0', position: 0 });

export interface ReadStreamOptions {
  fromVersion?: number;
  toVersion?: number;
  /** Only events recorded at or before this moment: the stream as it stood then. */
  asOf?: Date;
  /** Also return each event's chain hash, for readers that cite events by version and hash. */
  withHashes?: boolean;
}

/** Which events of the global log a reader wants, and whether it needs their data. */
export interface LogFilter {
  types?: readonly string[];
  /** false: events come without their data (`data` is null), for readers of places and metadata only. */
  withData?: boolean;
  /** true: each event comes with its link in its stream's hash chain (`hash`, hex). */
  withHashes?: boolean;
  /**
   * Paths into the data left out by PostgreSQL (`data #- path`), for readers that never look there:
   * a score event's per-question explanation is most of its size, and sending and parsing it for a
   * reader of the factor scores alone was most of that reader's cost. A path an event lacks is no-op.
   */
  dataWithout?: readonly (readonly string[])[];
}
