export { PostgresEventStore, categoryOf, LOG_FENCE, UNSETTLED_EVENTS_SQL, type AppendGuard, type StreamAtVersion } from './event-store';
export { domainEvent, type DomainEventOf } from './domain-event';
export { handleCommand, handleCommands, foldEvents, type CommandOutcome, type HandleCommandOptions } from './command-handling';
export { FoldedStreams } from './folded-streams';
export { verifyEventStore, type VerifyReport, type ChainBreak } from './verify';
export { WrongExpectedVersion, DuplicateEventId, GuardRefused, StreamMoved } from './errors';
export { EventUpcasters, type Upcaster } from './upcasters';
export { contentHash, linkHash, genesisHash, deterministicUuid, keyedUuid, newEntityId, uuidv7 } from './hashing';
export { logFilterOf, type Projection } from './projections/projection';
export {
  ProjectionRunner,
  projectionStatus,
  resetProjection,
  type ProjectionStatus,
  type ProjectionRunnerOptions,
} from './projections/projection-runner';
export { rebuildProjection, shadowSchemaOf, type RebuildOptions, type RebuildProgress, type RebuildResult } from './projections/rebuild';
export { streamIndexProjection } from './projections/stream-index.projection';
export * from './types';
