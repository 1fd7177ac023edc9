export * from './jobs';
export { openRedis, pingRedis } from './redis';
export { OutboxRelay, type RelayOutcome, type OutboxRelayOptions } from './outbox-relay';
export { startJobWorker } from './job-worker';
