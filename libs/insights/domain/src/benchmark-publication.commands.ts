import type { CommandMetadata } from '@maatlat/shared/domain';
import type { BenchmarkPublished } from './benchmark-publication';

/** The edition is not the caller's to say: the decider numbers it from the stream. */
export type PublishBenchmark = {
  type: 'PublishBenchmark';
  data: Omit<BenchmarkPublished['data'], 'edition'>;
  metadata: CommandMetadata;
};
