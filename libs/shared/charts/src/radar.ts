import type { ChartCommon, ChartOption } from './chart.types';
import { CHART_PALETTE } from './palette';

export interface RadarFactor {
  id: string;
  /** The factor's name in the chart's language. */
  name: string;
  /** The organisation's score, null when the factor got no answers. */
  score: number | null;
  /** The peer group's median, null (or absent) where the benchmark cell is suppressed. */
  peerMedian?: number | null;
}

export interface RadarChartInput extends ChartCommon {
  /** Every factor of the model version, in the model's order (never assume how many). */
  factors: readonly RadarFactor[];
  /** Series names in the chart's language. */
  labels: { organisation: string; peerMedian: string };
}

// ECharts reads '-' as "no value": the polygon gets a gap instead of a false zero.
const value = (n: number | null | undefined): number | '-' => (n === null || n === undefined ? '-' : n);

/**
 * A radar of all factors: the organisation's scores and, where any benchmark cell is not
 * suppressed, the peer-group median as a second series.
 *
 * @example
 * radarOption({ maxStage: 5, labels: { organisation: 'Gemeente', peerMedian: 'Mediaan' },
 *   factors: [{ id: 'F01', name: 'Visie', score: 2.4, peerMedian: 2.1 }, ...] })
 */
export function radarOption(input: RadarChartInput): ChartOption {
  const withPeers = input.factors.some((f) => f.peerMedian !== null && f.peerMedian !== undefined);
  const series = [
    { name: input.labels.organisation, value: input.factors.map((f) => value(f.score)), itemStyle: { color: CHART_PALETTE.organisation }, lineStyle: { width: 2 }, areaStyle: { opacity: 0.15 } },
    ...(withPeers
      ? [{ name: input.labels.peerMedian, value: input.factors.map((f) => value(f.peerMedian)), itemStyle: { color: CHART_PALETTE.peer }, lineStyle: { width: 2, type: 'dashed' as const }, symbol: 'rect' }]
      : []),
  ];
  return {
    animation: input.animation ?? false,
    aria: { enabled: true },
    ...(input.title ? { title: { text: input.title, left: 'center', textStyle: { fontSize: 14, color: CHART_PALETTE.text } } } : {}),
    legend: { bottom: 0, data: series.map((s) => s.name), textStyle: { color: CHART_PALETTE.text } },
    tooltip: { trigger: 'item' },
    radar: {
      indicator: input.factors.map((f) => ({ name: f.name, max: input.maxStage, min: 0 })),
      splitNumber: input.maxStage,
      radius: '62%',
      center: ['50%', input.title ? '52%' : '48%'],
      axisName: { color: CHART_PALETTE.text, fontSize: 11 },
      splitLine: { lineStyle: { color: CHART_PALETTE.grid } },
    },
    series: [{ type: 'radar', data: series }],
  };
}
