import type { ChangeLabel, ChartCommon, ChartOption, PointKind } from './chart.types';
import { CHANGE_MARKS, CHART_PALETTE, POINT_SYMBOLS } from './palette';

export interface TrendChartPoint {
  /** The period on the x axis, e.g. '2026'. */
  period: string;
  score: number | null;
  kind: PointKind;
  /** The change since the previous point of this line, when known. */
  change?: ChangeLabel | null;
}

export interface TrendLine {
  /** A factor id, or 'overall'. */
  id: string;
  name: string;
  points: readonly TrendChartPoint[];
}

export interface TrendChartInput extends ChartCommon {
  /** Every period on the x axis, oldest first. */
  periods: readonly string[];
  lines: readonly TrendLine[];
  /** The words of the legend in the chart's language. */
  labels: { native: string; recalculated: string; mapped: string };
}

/**
 * One line per factor (and/or overall) over the periods. A point's symbol shows where its score
 * comes from (circle native, diamond recalculated, triangle mapped through a crosswalk), and its
 * label the change since the previous point (▲ improved, = stable, ▼ declined). The overall line,
 * when present, is drawn heavier.
 *
 * @example
 * trendOption({ maxStage: 5, periods: ['2025', '2026'], labels: { native: 'Oorspronkelijk', recalculated: 'Herberekend', mapped: 'Omgezet' },
 *   lines: [{ id: 'overall', name: 'Totaal', points: [{ period: '2025', score: 2.1, kind: 'mapped' }, { period: '2026', score: 2.5, kind: 'native', change: 'improved' }] }] })
 */
export function trendOption(input: TrendChartInput): ChartOption {
  const lineSeries = input.lines.map((line, i) => {
    const color = line.id === 'overall' ? CHART_PALETTE.overall : CHART_PALETTE.series[i % CHART_PALETTE.series.length];
    return {
      type: 'line' as const,
      name: line.name,
      connectNulls: false,
      color,
      lineStyle: { width: line.id === 'overall' ? 3 : 1.5 },
      symbolSize: 9,
      data: input.periods.map((period) => {
        const point = line.points.find((p) => p.period === period);
        if (!point || point.score === null) return { value: '-' as const };
        const mark = point.change && point.change !== 'undetermined' ? CHANGE_MARKS[point.change] : null;
        return {
          value: point.score,
          symbol: POINT_SYMBOLS[point.kind],
          ...(mark ? { label: { show: true, position: 'top' as const, formatter: `${mark} {c}`, color } } : {}),
        };
      }),
    };
  });
  // Series without data that only put the three point kinds into the legend.
  const kindSeries = (['native', 'recalculated', 'mapped'] as const).map((kind) => ({
    type: 'line' as const,
    name: input.labels[kind],
    data: [] as number[],
    symbol: POINT_SYMBOLS[kind],
    color: CHART_PALETTE.text,
    lineStyle: { opacity: 0 },
  }));
  return {
    animation: input.animation ?? false,
    aria: { enabled: true },
    ...(input.title ? { title: { text: input.title, left: 'center', textStyle: { fontSize: 14, color: CHART_PALETTE.text } } } : {}),
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0, type: 'plain', data: [...lineSeries.map((s) => s.name), ...kindSeries.map((s) => ({ name: s.name, icon: s.symbol }))], textStyle: { color: CHART_PALETTE.text } },
    grid: { left: 8, right: 24, top: input.title ? 48 : 24, bottom: 64, containLabel: true },
    xAxis: { type: 'category', data: [...input.periods], boundaryGap: false, axisLabel: { color: CHART_PALETTE.text } },
    yAxis: { type: 'value', min: 0, max: input.maxStage, interval: 1, axisLabel: { color: CHART_PALETTE.text }, splitLine: { lineStyle: { color: CHART_PALETTE.grid } } },
    series: [...lineSeries, ...kindSeries],
  };
}
