import { canonicalJson, parseStreamId, RuleBroken, type Decider } from '@maatlat/shared/domain';
import type { BenchmarkCell, BenchmarkGrouping } from './benchmark';
import type { PublishBenchmark } from './benchmark-publication.commands';
import type { CitedScoreEvent } from './trend-point';

export type BenchmarkLevel = 'organisation' | 'unit';

/** One organisation as a published benchmark froze it: its profile then, and the score events that counted. */
export interface FrozenInput {
  organisationId: string;
  organisationType: string;
  sizeBand: string;
  /** One per scope counted (the organisation, or each of its units), each cited by stream, version, id and hash. */
  scoreEvents: Omit<CitedScoreEvent, 'recordedAt'>[];
}

/** A published benchmark: which score events went in and the figures they gave, per grouping. */
export type BenchmarkPublished = {
  type: 'BenchmarkPublished';
  data: {
    modelKey: string;
    period: string;
    level: BenchmarkLevel;
    /** 1 for the first publication of this model key, period and level; each republication adds one. */
    edition: number;
    /** The version every score was brought onto (native, recalculated or mapped). */
    modelVersion: string;
    minGroup: number;
    percentileMethod: string;
    inputs: FrozenInput[];
    figures: { groupBy: BenchmarkGrouping; cells: BenchmarkCell[] }[];
  };
};

export type BenchmarkPublicationEvent = BenchmarkPublished;

export interface BenchmarkPublicationState {
  editions: number;
}

/** One stream per model key, period and level: `benchmark-datagedreven-overheid@2026@organisation`. */
export function benchmarkPublicationStreamId(modelKey: string, period: string, level: BenchmarkLevel): string {
  return `benchmark-${modelKey}@${period}@${level}`;
}

export function parseBenchmarkPublicationStreamId(streamId: string): { modelKey: string; period: string; level: BenchmarkLevel } {
  const [modelKey, period, level] = parseStreamId('benchmark', streamId).split('@');
  return { modelKey, period, level: level as BenchmarkLevel };
}

/**
 * Publishing freezes a benchmark: a new edition each time, never a change to an earlier one. A
 * benchmark without a single score is not worth publishing (nothing could be verified).
 */
export const benchmarkPublicationDecider: Decider<PublishBenchmark, BenchmarkPublicationState, BenchmarkPublicationEvent> = {
  initialState: () => ({ editions: 0 }),
  evolve: (state, event) => (event.type === 'BenchmarkPublished' ? { editions: event.data.edition } : state),
  decide(command, state) {
    if (command.data.inputs.length === 0) {
      throw new RuleBroken('benchmark.nothing-to-publish', `no organisation has a closed, scored assessment of ${command.data.modelKey} in ${command.data.period}`, { field: 'period' });
    }
    return [{ type: 'BenchmarkPublished', data: { ...command.data, edition: state.editions + 1 } }];
  },
};

/** Where recomputed figures part from the frozen ones: per cell and figure, both values. */
export interface FigureDifference {
  groupBy: BenchmarkGrouping;
  group: BenchmarkCell['group'];
  figure: string;
  frozen: unknown;
  recomputed: unknown;
}

/** Every figure (overall and per factor) of every cell that differs between two sets of cells. */
export function figureDifferences(frozen: BenchmarkPublished['data']['figures'], recomputed: BenchmarkPublished['data']['figures']): FigureDifference[] {
  const differences: FigureDifference[] = [];
  // Frozen figures come back from JSONB with their keys reordered: compare canonically.
  const key = (group: BenchmarkCell['group']) => JSON.stringify([group.organisationType ?? null, group.sizeBand ?? null]);
  for (const { groupBy, cells } of frozen) {
    const again = new Map((recomputed.find((r) => r.groupBy === groupBy)?.cells ?? []).map((c) => [key(c.group), c]));
    for (const cell of cells) {
      const other = again.get(key(cell.group));
      again.delete(key(cell.group));
      const pairs: [string, unknown, unknown][] = [['overall', cell.overall, other?.overall ?? null]];
      for (const factor of cell.factors) pairs.push([factor.factorId, factor, other?.factors.find((f) => f.factorId === factor.factorId) ?? null]);
      for (const [figure, a, b] of pairs) if (canonicalJson(a) !== canonicalJson(b)) differences.push({ groupBy, group: cell.group, figure, frozen: a, recomputed: b });
    }
    for (const extra of again.values()) differences.push({ groupBy, group: extra.group, figure: 'overall', frozen: null, recomputed: extra.overall });
  }
  return differences;
}
