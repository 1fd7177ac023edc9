export { trendsProjection, trendPointOf } from './trends.projection';
export { TrendPoints, type PeerPoint } from './trend-points';
