import { streamIndexProjection, verifyEventStore } from '@maatlat/shared/event-store';
import type { FeatureManifest } from './feature-manifest';

/** The event store's own part of the platform: the stream index and re-verifying a stream's chain. */
export const eventStoreFeature: FeatureManifest<{ verifyStream: (streamId: string) => Promise<void> }> = {
  name: 'event-store',
  projections: [streamIndexProjection],
  jobs: {
    'event-store.verify-stream': {
      handle: ({ streamId }, _context, services) => services.verifyStream(streamId),
      // A broken chain fails every try on purpose: the job stays listed as failed, for alerting.
      onFinalFailure: async () => undefined,
    },
  },
  createServices: (db) => ({
    async verifyStream(streamId: string) {
      const report = await verifyEventStore(db, { streamId });
      if (!report.ok) {
        const first = report.breaks[0];
        throw new Error(`hash chain of ${first.streamId} broken at version ${first.version}: ${first.problem}`);
      }
    },
  }),
};
