import type { ChartCommon, ChartOption } from './chart.types';
import { CHART_PALETTE } from './palette';

export interface HeatmapCell {
  factorId: string;
  layerId: string;
  /** The layer's score for the factor; null when not answered or withheld (too few respondents). */
  score: number | null;
}

export interface HeatmapChartInput extends ChartCommon {
  factors: readonly { id: string; name: string }[];
  layers: readonly { id: string; name: string }[];
  cells: readonly HeatmapCell[];
}

/**
 * A heatmap of factor (rows, in the model's order, top to bottom) by layer (columns), each cell
 * labelled with its score; empty cells stay blank rather than reading as stage 0.
 *
 * @example
 * heatmapOption({ maxStage: 5, factors: [{ id: 'F01', name: 'Visie' }],
 *   layers: [{ id: 'strategic', name: 'Strategisch' }], cells: [{ factorId: 'F01', layerId: 'strategic', score: 3.2 }] })
 */
export function heatmapOption(input: HeatmapChartInput): ChartOption {
  const rows = [...input.factors].reverse();
  const data = input.cells
    .filter((c) => c.score !== null)
    .map((c) => [input.layers.findIndex((l) => l.id === c.layerId), rows.findIndex((f) => f.id === c.factorId), c.score as number])
    .filter(([x, y]) => x >= 0 && y >= 0);
  return {
    animation: input.animation ?? false,
    aria: { enabled: true },
    ...(input.title ? { title: { text: input.title, left: 'center', textStyle: { fontSize: 14, color: CHART_PALETTE.text } } } : {}),
    tooltip: { position: 'top' },
    grid: { left: 8, right: 8, top: input.title ? 40 : 24, bottom: 56, containLabel: true },
    xAxis: { type: 'category', position: 'top', data: input.layers.map((l) => l.name), splitArea: { show: true }, axisLabel: { color: CHART_PALETTE.text } },
    yAxis: { type: 'category', data: rows.map((f) => f.name), splitArea: { show: true }, axisLabel: { color: CHART_PALETTE.text, fontSize: 11, width: 220, overflow: 'truncate' } },
    visualMap: {
      min: 0,
      max: input.maxStage,
      calculable: false,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      inRange: { color: [...CHART_PALETTE.scale] },
      textStyle: { color: CHART_PALETTE.text },
    },
    series: [
      {
        type: 'heatmap',
        data,
        label: { show: true, color: CHART_PALETTE.text, backgroundColor: 'rgba(255,255,255,0.85)', padding: [1, 3], borderRadius: 2 },
        itemStyle: { borderColor: '#ffffff', borderWidth: 1 },
      },
    ],
  };
}
