export type { ChartOption, ChartCommon, ChangeLabel, PointKind } from './chart.types';
export { CHART_PALETTE, POINT_SYMBOLS, CHANGE_MARKS } from './palette';
export { radarOption, type RadarChartInput, type RadarFactor } from './radar';
export { heatmapOption, type HeatmapChartInput, type HeatmapCell } from './heatmap';
export { trendOption, type TrendChartInput, type TrendChartPoint, type TrendLine } from './trend';
