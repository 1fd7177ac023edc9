import type { Kysely } from 'kysely';
import type { DB } from '@maatlat/shared/database';
import type { PostgresEventStore } from '@maatlat/shared/event-store';
import type { ModelCatalogue } from '@maatlat/model-catalogue/data-access';
import type { Chains, Organisations } from '@maatlat/organisations/data-access';
import type { AssessmentRepository } from '@maatlat/assessments/data-access';
import type { PeerScoreRows, TrendChanges, TrendPoints } from '@maatlat/insights/data-access';
import type { ChangeSincePrevious, CrosswalkLink } from '@maatlat/insights/domain';
import type { PeerScores } from './read-benchmarks';

/** What the insights use cases stand on: their read model and other scopes' public services. */
export interface InsightsContext {
  db: Kysely<DB>;
  store: PostgresEventStore;
  trendPoints: TrendPoints;
  /** Changes between trend points, kept once computed (by a read, or ahead of reads when a score lands). */
  trendChanges: TrendChanges;
  catalogue: ModelCatalogue;
  organisations: Organisations;
  chains: Chains;
  assessments: AssessmentRepository;
  /** k: the fewest distinct organisations a benchmark figure is shown for. */
  benchmarkMinGroup: number;
  /** Published crosswalk links by `key@version`: published versions never change, so they are kept. */
  links: Map<string, CrosswalkLink>;
  /** Changes already computed, by the two score events and the version: the bootstrap is seeded, so they never differ. */
  changes: Map<string, ChangeSincePrevious>;
  /** The peer scores the insights projection keeps, per model key, period and level. */
  peerScoreRows: PeerScoreRows;
  /** Peer scores read before, by model key, period and level, with the digest of the rows they came from. */
  peers: Map<string, { digest: string; peers: PeerScores }>;
}
