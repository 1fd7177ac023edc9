export { trendsProjection, trendPointOf, type InsightsEvent } from './trends.projection';
export { TrendPoints } from './trend-points';
export { TrendChanges, changeKeyOf, type ChangeKey } from './trend-changes';
export { PeerScoreRows, type PeerRows, type BenchmarkLevel } from './peer-scores';
