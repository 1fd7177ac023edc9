import type { Transaction } from 'kysely';
import type { DB } from '@maatlat/shared/database';
import type { DomainEvent } from '@maatlat/shared/domain';
import type { LogFilter, RecordedEvent } from '../types';

/**
 * A read model built from the global log. `apply` receives events in log order, in batches, inside
 * the transaction that also moves the projection's checkpoint: its rows and its checkpoint commit
 * together or not at all. It must be deterministic, so a rebuild from zero equals the live result.
 * `E` is the union of the events it reads: `eventTypes` names them, and `apply` sees them typed.
 */
export interface Projection<E extends DomainEvent = DomainEvent> {
  name: string;
  /**
   * The event types that reach `apply` (the checkpoint still moves past the others); `'all'` for a
   * projection of every event whatever its type (the stream index). Required, so a new projection
   * says what it reads instead of reading the whole log by omission.
   */
  eventTypes: readonly E['type'][] | 'all';
  /**
   * Every table `apply` writes, parents before children. A rebuild fills shadow copies of exactly
   * these and swaps them in at the end; a table left out would be written live during a rebuild.
   */
  tables: readonly string[];
  /** false when `apply` needs only each event's place, type and metadata: the data is not read. */
  readsData?: boolean;
  /** true when `apply` cites events by their chain hash: each event then comes with `hash`, read in the same query. */
  readsHashes?: boolean;
  /** Paths into the events' data `apply` never reads, left out in PostgreSQL (see `LogFilter.dataWithout`): `apply` sees the rest. */
  skipsData?: readonly (readonly string[])[];
  apply(trx: Transaction<DB>, events: readonly RecordedEvent<E>[]): Promise<void>;
  /** Empties the projection's tables, for a rebuild from zero. */
  reset(trx: Transaction<DB>): Promise<void>;
}

/** What a projection reads of the log: its event types, and of each event what `apply` uses. */
export function logFilterOf(projection: Projection): LogFilter {
  return { types: projection.eventTypes === 'all' ? undefined : projection.eventTypes, withData: projection.readsData, withHashes: projection.readsHashes, dataWithout: projection.skipsData };
}
