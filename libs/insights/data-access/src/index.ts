export { trendsProjection, trendPointOf } from './trends.projection';
export { TrendPoints, type PeerPoint } from './trend-points';
export { TrendChanges, changeKeyOf, type ChangeKey } from './trend-changes';
