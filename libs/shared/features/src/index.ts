export type { FeatureManifest, JobHandler, JobHandlers, Reaction } from './feature-manifest';
export { composeServices, projectionsOf, reactionsOf, jobsOf, type ComposedServices } from './compose';
export { eventStoreFeature } from './event-store.feature';
