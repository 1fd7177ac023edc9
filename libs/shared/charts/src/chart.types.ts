import type { EChartsOption } from 'echarts';

/**
 * What every builder returns: a plain, JSON-serialisable ECharts option (no functions), so that the
 * server can render it to SVG and the browser can hand it to `echarts.init(...).setOption(...)`
 * unchanged: screen and paper draw the same chart.
 */
export type ChartOption = EChartsOption;

/** Where a trend point's score comes from (as the insights projection classifies it). */
export type PointKind = 'native' | 'recalculated' | 'mapped';

/** A change since the previous point, decided from its interval (insights); undetermined draws no mark. */
export type ChangeLabel = 'improved' | 'stable' | 'declined' | 'undetermined';

/** Options every builder takes. */
export interface ChartCommon {
  /** Shown above the chart; also the chart's accessible name. */
  title?: string;
  /** Highest stage of the model (5 for stages 0..5). */
  maxStage: number;
  /** Off for server-side rendering and print; the web may leave it on. */
  animation?: boolean;
}
