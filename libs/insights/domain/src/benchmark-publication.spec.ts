import { RuleBroken } from '@maatlat/shared/domain';
import { deciderSpec } from '@maatlat/shared/testing';
import { benchmarkCells, peerScoreOf, suppressionOf } from './benchmark';
import { benchmarkPublicationDecider, benchmarkPublicationStreamId, figureDifferences, parseBenchmarkPublicationStreamId, type BenchmarkPublished } from './benchmark-publication';
import type { PublishBenchmark } from './benchmark-publication.commands';

const input = (organisationId: string) => ({
  organisationId,
  organisationType: 'municipality',
  sizeBand: 'small',
  scoreEvents: [{ streamId: `assessment-${organisationId}`, version: 9, eventId: `e-${organisationId}`, hash: 'ab', type: 'ScoreCalculated' as const }],
});
const publish = (inputs = [input('o1')]): PublishBenchmark => ({
  type: 'PublishBenchmark',
  data: { modelKey: 'm', period: '2026', level: 'organisation', modelVersion: '2026.1', minGroup: 5, percentileMethod: 'type 7', inputs, figures: [] },
  metadata: { now: new Date(0), actor: 'admin', correlationId: 'c' },
});
const published = (edition: number): BenchmarkPublished => ({ type: 'BenchmarkPublished', data: { ...publish().data, edition } });

describe('published benchmarks', () => {
  it('numbers editions: a republication is a new edition, never a change to an earlier one', () => {
    deciderSpec(benchmarkPublicationDecider).given([]).when(publish()).then([published(1)]);
    deciderSpec(benchmarkPublicationDecider).given([published(1), published(2)]).when(publish()).then([published(3)]);
  });

  it('refuses to publish a benchmark without a single score, naming the period', () => {
    const error = deciderSpec(benchmarkPublicationDecider).given([]).when(publish([])).thenThrows(RuleBroken, /no organisation has a closed, scored assessment/);
    expect(error.details).toEqual({ field: 'period' });
  });

  it('keeps one stream per model key, period and level', () => {
    expect(benchmarkPublicationStreamId('datagedreven-overheid', '2026', 'unit')).toBe('benchmark-datagedreven-overheid@2026@unit');
    expect(parseBenchmarkPublicationStreamId('benchmark-datagedreven-overheid@2026@unit')).toEqual({ modelKey: 'datagedreven-overheid', period: '2026', level: 'unit' });
  });

  it('finds each figure that differs, whatever order the frozen keys came back in', () => {
    const scores = [1, 2, 3, 4, 5].map((v) => peerScoreOf({ organisationId: `o${v}`, organisationType: 'municipality', sizeBand: 'small' }, [{ overall: { score: v }, factors: [{ factorId: 'F01', score: v }] }], ['F01']));
    const frozen = [{ groupBy: 'all' as const, cells: benchmarkCells(scores, 'all', 5, ['F01']) }];
    const reordered = JSON.parse(JSON.stringify(frozen, (_key, value) => (value && typeof value === 'object' && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).reverse()) : value)));
    expect(figureDifferences(reordered, frozen)).toEqual([]);
    // The top score 5 → 4.5: p90 (h = 3.6) becomes 4 + 0.6 × 0.5 = 4.3; the factor is unchanged.
    const changed = [{ groupBy: 'all' as const, cells: benchmarkCells([...scores.slice(0, 4), { ...scores[4], overall: 4.5 }], 'all', 5, ['F01']) }];
    expect(figureDifferences(frozen, changed)).toEqual([
      { groupBy: 'all', group: {}, figure: 'overall', frozen: frozen[0].cells[0].overall, recomputed: { status: 'shown', organisations: 5, p10: 1.4, p25: 2, p50: 3, p75: 4, p90: 4.3 } },
    ]);
  });
});

describe('peer scores', () => {
  it('counts an organisation once at unit level, with the mean of its units', () => {
    const units = [
      { overall: { score: 2 }, factors: [{ factorId: 'F01', score: 1 }] },
      { overall: { score: 3 }, factors: [{ factorId: 'F01', score: null }] },
    ];
    expect(peerScoreOf({ organisationId: 'o1', organisationType: 'province', sizeBand: 'large' }, units, ['F01', 'F02'])).toEqual({
      organisationId: 'o1',
      organisationType: 'province',
      sizeBand: 'large',
      overall: 2.5,
      factors: { F01: 1, F02: null },
    });
  });

  it('counts the suppressed cells and figures', () => {
    const four = [1, 2, 3, 4].map((v) => ({ organisationId: `o${v}`, organisationType: 'municipality', sizeBand: 'small', overall: v, factors: { F01: v } }));
    expect(suppressionOf(benchmarkCells(four, 'all', 5, ['F01']))).toEqual({ cells: 1, figures: 2 });
  });
});
