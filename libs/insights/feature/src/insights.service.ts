import type { BenchmarkQuery } from './read-benchmarks';
import { readBenchmarkPosition, readBenchmarks } from './read-benchmarks';
import { chainTrends, organisationTrends, precomputeChanges, type TrendFilter } from './read-trends';
import type { InsightsContext } from './insights.context';
import type { CommandMetadata } from '@maatlat/shared/domain';
import type { BenchmarkLevel } from '@maatlat/insights/domain';
import { publishBenchmark, readPublishedBenchmark, verifyPublishedBenchmark } from './published-benchmarks';

/** The doors to the insights use cases, for controllers, the CLI and tests. */
export class Insights {
  constructor(private readonly context: InsightsContext) {}

  organisationTrends(organisationId: string, filter: TrendFilter = {}) {
    return organisationTrends(this.context, organisationId, filter);
  }

  chainTrends(chainId: string, filter: TrendFilter, caller: { organisations: readonly string[]; administrator: boolean }) {
    return chainTrends(this.context, chainId, filter, caller);
  }

  /** Computes the changes on these assessments' trend lines ahead of reads (see `precomputeChanges`). */
  precomputeChanges(assessmentIds: readonly string[]) {
    return precomputeChanges(this.context, assessmentIds);
  }

  /**
   * The same, in the background, one batch after the other: the reaction that asks must not hold
   * its transaction (and with it every reader's fence on the log) open for thousands of rescorings.
   * A batch that fails or is lost with the process costs nothing but time: the read computes the
   * same changes and keeps them.
   */
  precomputeChangesLater(assessmentIds: readonly string[]): void {
    this.ahead = this.ahead.then(() => precomputeChanges(this.context, assessmentIds)).catch(() => undefined);
  }

  /** Settles when the changes asked for so far are kept (or given up), for a clean shutdown and for tests. */
  changesAhead(): Promise<void> {
    return this.ahead;
  }

  private ahead: Promise<void> = Promise.resolve();

  /** The live benchmark, or with `published` an edition frozen when it was published. */
  benchmarks(query: BenchmarkQuery, caller: { administrator?: boolean } = {}) {
    const { published } = query;
    return published === undefined ? readBenchmarks(this.context, query, caller) : readPublishedBenchmark(this.context, { ...query, published });
  }

  /** `expectedRevision`: the edition stream's version the caller last saw (If-Match); a later one is a 409. */
  publishBenchmark(query: { modelKey: string; period: string; level: BenchmarkLevel }, metadata: CommandMetadata, expectedRevision?: number) {
    return publishBenchmark(this.context, query, metadata, expectedRevision);
  }

  verifyBenchmark(query: { modelKey: string; period: string; level: BenchmarkLevel; edition: 'latest' | number }) {
    return verifyPublishedBenchmark(this.context, query);
  }

  benchmarkPosition(organisationId: string, query: Pick<BenchmarkQuery, 'modelKey' | 'period'>) {
    return readBenchmarkPosition(this.context, organisationId, query);
  }
}
