export * from './jobs';
export { openRedis, pingRedis } from './redis';
export { OutboxRelay, type RelayOutcome, type OutboxRelayOptions } from './outbox-relay';
export { startJobWorker } from './job-worker';
export { BullMqJobRunner, type FailedJob, type JobCounts, type JobRunner, type JobRunnerOptions } from './job-runner';
export { OutboxJobRunner } from './outbox-job-runner';
