import type { Reaction } from '@maatlat/shared/features';
import type { BenchmarkPublicationEvent } from '@maatlat/insights/domain';
import type { OpenData } from '@maatlat/open-data/data-access';

/**
 * A published benchmark edition goes into the open dataset: the worker makes the version that
 * carries it. Replayed (a crash, a rebuild), it finds the dataset already current and makes none.
 */
export const benchmarkEditionsPublished: Reaction<{ publications: { openData: OpenData } }, BenchmarkPublicationEvent> = {
  name: 'open_data_benchmark_editions',
  eventTypes: ['BenchmarkPublished'],
  // Only that an edition was published: the dataset reads every edition afresh.
  readsData: false,
  async apply(_trx, events, { publications }) {
    if (events.length) await publications.openData.buildVersion();
  },
};
