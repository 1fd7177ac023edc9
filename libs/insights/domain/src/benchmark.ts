import { round2 } from '@maatlat/assessments/domain';
import { percentile, percentileRank } from './statistics';

export const BENCHMARK_GROUPINGS = ['organisationType', 'sizeBand', 'all'] as const;
export type BenchmarkGrouping = (typeof BENCHMARK_GROUPINGS)[number];

/** No cell is shown for fewer distinct organisations than this, whatever the configuration says. */
export const MIN_GROUP_FLOOR = 5;

export const PERCENTILE_METHOD = 'linear interpolation between closest ranks (Hyndman-Fan type 7)';

/** One organisation's comparable score in a period (units already folded into their organisation). */
export interface PeerScore {
  organisationId: string;
  organisationType: string;
  sizeBand: string;
  overall: number | null;
  factors: Record<string, number | null>;
}

export interface Bands {
  status: 'shown';
  organisations: number;
  p10: number;
  p25: number;
  p50: number;
  p75: number;
  p90: number;
}

export interface Suppressed {
  status: 'suppressed';
  reason: 'fewer-than-k' | 'differencing';
  explanation: string;
}

export type BenchmarkFigure = Bands | Suppressed;

export interface BenchmarkCell {
  group: { organisationType?: string; sizeBand?: string };
  overall: BenchmarkFigure;
  factors: (BenchmarkFigure & { factorId: string })[];
}

type Filter = { dimension: 'organisationType' | 'sizeBand'; value: string };

function bandsOf(values: readonly number[]): Omit<Bands, 'status'> {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => round2(percentile(sorted, p));
  return { organisations: values.length, p10: at(0.1), p25: at(0.25), p50: at(0.5), p75: at(0.75), p90: at(0.9) };
}

/**
 * One figure of one cell, or why not: fewer than k organisations; or a narrowing of the cell by
 * another filter (the other grouping dimension) differs from it by 1 to k − 1 organisations, so
 * the two together would single those few out. The larger group is the one withheld: the smaller
 * is already under k or, when shown, safe on its own.
 */
function figureOf(members: readonly PeerScore[], read: (p: PeerScore) => number | null, narrowings: readonly Filter[], k: number): BenchmarkFigure {
  const scored = members.filter((m) => read(m) !== null);
  if (scored.length < k) {
    return { status: 'suppressed', reason: 'fewer-than-k', explanation: `fewer than ${k} organisations have a comparable score here` };
  }
  for (const filter of narrowings) {
    const narrowed = scored.filter((m) => m[filter.dimension] === filter.value).length;
    const difference = scored.length - narrowed;
    if (difference > 0 && difference < k) {
      return { status: 'suppressed', reason: 'differencing', explanation: `narrowed by ${filter.dimension}, this group differs by fewer than ${k} organisations: showing it would single them out` };
    }
  }
  return { status: 'shown', ...bandsOf(scored.map((m) => read(m)!)) };
}

function valuesOf(scores: readonly PeerScore[], dimension: Filter['dimension']): string[] {
  return [...new Set(scores.map((s) => s[dimension]))].sort();
}

/**
 * Benchmark cells of one model key and period: per group (organisation type, size band, or
 * everyone) the number of distinct organisations and p10, p25, p50, p75 and p90 (type 7), overall
 * and per factor; a figure under k organisations, or open to differencing, is suppressed.
 */
export function benchmarkCells(scores: readonly PeerScore[], groupBy: BenchmarkGrouping, k: number, factorIds: readonly string[]): BenchmarkCell[] {
  if (k < MIN_GROUP_FLOOR) throw new RangeError(`a benchmark group is never smaller than ${MIN_GROUP_FLOOR} organisations`);
  const dimensions: Filter['dimension'][] = ['organisationType', 'sizeBand'];
  const cells: { group: BenchmarkCell['group']; members: PeerScore[]; narrowings: Filter[] }[] =
    groupBy === 'all'
      ? [{ group: {}, members: [...scores], narrowings: dimensions.flatMap((dimension) => valuesOf(scores, dimension).map((value) => ({ dimension, value }))) }]
      : valuesOf(scores, groupBy).map((value) => {
          const other = dimensions.find((d) => d !== groupBy)!;
          const members = scores.filter((s) => s[groupBy] === value);
          return { group: { [groupBy]: value }, members, narrowings: valuesOf(members, other).map((v) => ({ dimension: other, value: v })) };
        });
  return cells.map(({ group, members, narrowings }) => ({
    group,
    overall: figureOf(members, (m) => m.overall, narrowings, k),
    factors: factorIds.map((factorId) => ({ factorId, ...figureOf(members, (m) => m.factors[factorId] ?? null, narrowings, k) })),
  }));
}

/** Where one organisation's value stands in a shown figure's group (mid-rank percentile, 0..100). */
export function positionIn(members: readonly PeerScore[], read: (p: PeerScore) => number | null, own: number | null): number | null {
  const values = members.map(read).filter((v): v is number => v !== null);
  return own === null || values.length === 0 ? null : round2(percentileRank(values, own));
}

const meanOf = (values: readonly (number | null)[]) => {
  const present = values.filter((v): v is number => v !== null);
  return present.length ? present.reduce((s, v) => s + v, 0) / present.length : null;
};

/**
 * One organisation's score for a benchmark from the comparable scores of its scopes: at
 * organisation level its one score, at unit level the mean of its units, so a benchmark counts
 * organisations, never units.
 */
export function peerScoreOf(
  organisation: Pick<PeerScore, 'organisationId' | 'organisationType' | 'sizeBand'>,
  scores: readonly { overall: { score: number | null }; factors: readonly { factorId: string; score: number | null }[] }[],
  factorIds: readonly string[],
): PeerScore {
  return {
    ...organisation,
    overall: meanOf(scores.map((s) => s.overall.score)),
    factors: Object.fromEntries(factorIds.map((id) => [id, meanOf(scores.map((s) => s.factors.find((f) => f.factorId === id)?.score ?? null))])),
  };
}

/** How many cells have their overall figure suppressed, and how many figures (overall and factors) in all. */
export function suppressionOf(cells: readonly BenchmarkCell[]): { cells: number; figures: number } {
  return {
    cells: cells.filter((c) => c.overall.status === 'suppressed').length,
    figures: cells.reduce((n, c) => n + [c.overall, ...c.factors].filter((f) => f.status === 'suppressed').length, 0),
  };
}
