/**
 * Colours of the charts, chosen for contrast on white (WCAG 1.4.11, 3:1 for graphics) and to stay
 * apart in greyscale print. The web application and the reports use these, not ECharts' defaults.
 */
export const CHART_PALETTE = {
  organisation: '#01689b',
  peer: '#b45309',
  overall: '#1f2937',
  text: '#1f2937',
  grid: '#d1d5db',
  /** Heatmap from stage 0 to the highest stage: light to dark. */
  scale: ['#f7fbff', '#c6dbef', '#6baed6', '#2171b5', '#08306b'],
  series: ['#01689b', '#b45309', '#15803d', '#7c3aed', '#be123c', '#0e7490', '#4d7c0f', '#a21caf', '#c2410c', '#334155', '#1d4ed8', '#065f46', '#9f1239'],
} as const;

/** ECharts symbols marking where a trend point comes from. */
export const POINT_SYMBOLS = { native: 'circle', recalculated: 'diamond', mapped: 'triangle' } as const;

/** Marks beside a point for the change since the previous one (text, so print and screen readers keep it). */
export const CHANGE_MARKS = { improved: '▲', stable: '=', declined: '▼' } as const;
