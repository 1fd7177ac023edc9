export type { FeatureManifest, JobHandler, JobHandlers, Reaction, Schedule } from './feature-manifest';
export { composeServices, projectionsOf, reactionsOf, jobsOf, schedulesOf, type BoundSchedule, type ComposedServices, type ServicesOf } from './compose';
export { eventStoreFeature } from './event-store.feature';
