export { insightsFeature, type InsightsServices } from './insights.feature';
export { Insights } from './insights.service';
