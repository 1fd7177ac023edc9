import * as echarts from 'echarts';
import { heatmapOption, radarOption, trendOption, type ChartOption } from './index';

// What the reports do on the server: ECharts' SSR mode, no DOM.
function svgOf(option: ChartOption): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 640, height: 480 });
  try {
    chart.setOption(option);
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

const factors = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `F${String(i + 1).padStart(2, '0')}`, name: `Factor ${i + 1}` }));
const labels = { organisation: 'Gemeente Voorbeeld', peerMedian: 'Mediaan peergroep' };

describe('radarOption', () => {
  it('has one axis per factor of the model version, 13 as well as 12', () => {
    for (const n of [12, 13]) {
      const option = radarOption({ maxStage: 5, labels, factors: factors(n).map((f, i) => ({ ...f, score: i % 6 })) });
      const radar = option.radar as { indicator: { name: string; max: number }[] };
      expect(radar.indicator).toHaveLength(n);
      expect(radar.indicator.every((a) => a.max === 5)).toBe(true);
      const svg = svgOf(option);
      expect(svg).toContain(`Factor ${n}`);
    }
  });

  it('draws the peer median as a second series where a benchmark cell is not suppressed, a gap where it is', () => {
    const input = factors(12).map((f, i) => ({ ...f, score: 2.5, peerMedian: i === 3 ? null : 2 }));
    const option = radarOption({ maxStage: 5, labels, factors: input });
    const [series] = option.series as { data: { name: string; value: (number | string)[] }[] }[];
    expect(series.data.map((d) => d.name)).toEqual([labels.organisation, labels.peerMedian]);
    expect(series.data[1].value[3]).toBe('-');
    expect(series.data[1].value[0]).toBe(2);
    expect(svgOf(option)).toContain(labels.peerMedian);
  });

  it('has no peer series when every benchmark cell is suppressed', () => {
    const option = radarOption({ maxStage: 5, labels, factors: factors(12).map((f) => ({ ...f, score: 1, peerMedian: null })) });
    const [series] = option.series as { data: unknown[] }[];
    expect(series.data).toHaveLength(1);
    expect(svgOf(option)).not.toContain(labels.peerMedian);
  });

  it('is plain JSON (no functions), so the browser and the server get the same option', () => {
    const option = radarOption({ maxStage: 5, labels, factors: factors(12).map((f) => ({ ...f, score: 3, peerMedian: 2 })) });
    expect(JSON.parse(JSON.stringify(option))).toEqual(option);
  });
});

describe('heatmapOption', () => {
  const layers = [
    { id: 'strategic', name: 'Strategisch' },
    { id: 'tactical', name: 'Tactisch' },
    { id: 'operational', name: 'Operationeel' },
  ];

  it('places each cell at its layer and factor, the first factor on top, and leaves empty cells out', () => {
    const fs = factors(13);
    const option = heatmapOption({
      maxStage: 5,
      factors: fs,
      layers,
      cells: [
        { factorId: 'F01', layerId: 'strategic', score: 3.25 },
        { factorId: 'F13', layerId: 'operational', score: 1 },
        { factorId: 'F02', layerId: 'tactical', score: null },
      ],
    });
    const [series] = option.series as { data: number[][] }[];
    expect(series.data).toEqual([
      [0, 12, 3.25],
      [2, 0, 1],
    ]);
    const yAxis = option.yAxis as { data: string[] };
    expect(yAxis.data[12]).toBe('Factor 1');
    const svg = svgOf(option);
    expect(svg).toContain('3.25');
    expect(svg).toContain('Operationeel');
  });
});

describe('trendOption', () => {
  const base = { maxStage: 5, periods: ['2024', '2025', '2026'], labels: { native: 'Oorspronkelijk', recalculated: 'Herberekend', mapped: 'Omgezet' } };

  it('marks each point by where its score comes from and labels the change since the previous point', () => {
    const option = trendOption({
      ...base,
      lines: [
        {
          id: 'overall',
          name: 'Totaal',
          points: [
            { period: '2024', score: 1.8, kind: 'mapped' },
            { period: '2025', score: 2.2, kind: 'recalculated', change: 'improved' },
            { period: '2026', score: 2.1, kind: 'native', change: 'stable' },
          ],
        },
        { id: 'F01', name: 'Visie', points: [{ period: '2026', score: 3, kind: 'native', change: 'declined' }] },
      ],
    });
    const series = option.series as { name: string; data: { value: number | string; symbol?: string; label?: { formatter: string } }[] }[];
    const overall = series.find((s) => s.name === 'Totaal')!;
    expect(overall.data.map((d) => d.symbol)).toEqual(['triangle', 'diamond', 'circle']);
    expect(overall.data.map((d) => d.label?.formatter ?? null)).toEqual([null, '▲ {c}', '= {c}']);
    const visie = series.find((s) => s.name === 'Visie')!;
    expect(visie.data.map((d) => d.value)).toEqual(['-', '-', 3]);
    expect(visie.data[2].label?.formatter).toBe('▼ {c}');
    const svg = svgOf(option);
    for (const word of ['Oorspronkelijk', 'Herberekend', 'Omgezet', 'Totaal', '2024']) expect(svg).toContain(word);
  });

  it('draws no change mark for an undetermined change', () => {
    const option = trendOption({ ...base, lines: [{ id: 'F01', name: 'Visie', points: [{ period: '2025', score: 2, kind: 'native', change: 'undetermined' }] }] });
    const [line] = option.series as { data: { label?: unknown }[] }[];
    expect(line.data[1].label).toBeUndefined();
  });
});
