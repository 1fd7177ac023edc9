import type { BenchmarkQuery } from './read-benchmarks';
import { readBenchmarkPosition, readBenchmarks } from './read-benchmarks';
import { chainTrends, organisationTrends, type TrendFilter } from './read-trends';
import type { InsightsContext } from './insights.context';

/** The doors to the insights use cases, for controllers, the CLI and tests. */
export class Insights {
  constructor(private readonly context: InsightsContext) {}

  organisationTrends(organisationId: string, filter: TrendFilter = {}) {
    return organisationTrends(this.context, organisationId, filter);
  }

  chainTrends(chainId: string, filter: TrendFilter, caller: { organisations: readonly string[]; administrator: boolean }) {
    return chainTrends(this.context, chainId, filter, caller);
  }

  benchmarks(query: BenchmarkQuery) {
    return readBenchmarks(this.context, query);
  }

  benchmarkPosition(organisationId: string, query: Pick<BenchmarkQuery, 'modelKey' | 'period'>) {
    return readBenchmarkPosition(this.context, organisationId, query);
  }
}
