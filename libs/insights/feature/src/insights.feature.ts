import type { FeatureManifest } from '@maatlat/shared/features';
import { ModelCatalogue } from '@maatlat/model-catalogue/data-access';
import { Chains, Organisations } from '@maatlat/organisations/data-access';
import { AssessmentRepository } from '@maatlat/assessments/data-access';
import { PeerScoreRows, TrendChanges, TrendPoints, trendsProjection } from '@maatlat/insights/data-access';
import { Insights } from './insights.service';
import { InsightsModule } from './insights.module';
import { changesAhead } from './changes-ahead';

export interface InsightsServices {
  insights: Insights;
}

/** What insights stand on, from the features composed before them (or made here when alone). */
interface Provided {
  catalogue?: ModelCatalogue;
  organisations?: Organisations;
  chains?: Chains;
}

/** Insights: maturity over the years (trends) and against peers (benchmarks), read-only. */
export const insightsFeature: FeatureManifest<InsightsServices> = {
  name: 'insights',
  uses: ['catalogue', 'organisations', 'chains'],
  nestModule: InsightsModule,
  projections: [trendsProjection],
  reactions: [changesAhead],
  createServices: (db, store, config, provided: Provided = {}) => {
    const catalogue = provided.catalogue ?? new ModelCatalogue(db, store);
    const organisations = provided.organisations ?? new Organisations(db, store);
    const chains = provided.chains ?? new Chains(db, store, organisations);
    return {
      insights: new Insights({
        db,
        store,
        trendPoints: new TrendPoints(db),
        trendChanges: new TrendChanges(db),
        peerScoreRows: new PeerScoreRows(db),
        catalogue,
        organisations,
        chains,
        assessments: new AssessmentRepository(db, store),
        benchmarkMinGroup: config.benchmarkMinGroup,
        links: new Map(),
        changes: new Map(),
        peers: new Map(),
      }),
    };
  },
};
