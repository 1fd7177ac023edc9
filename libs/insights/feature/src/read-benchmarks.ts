import { assertIds, NotFound, ValidationFailed } from '@maatlat/shared/domain';
import {
  BENCHMARK_GROUPINGS,
  suppressionOf,
  benchmarkCells,
  PERCENTILE_METHOD,
  positionIn,
  type BenchmarkCell,
  type BenchmarkGrouping,
  type FrozenInput,
  type PeerScore,
} from '@maatlat/insights/domain';
import { publishedModel } from './crosswalk-links';
import type { BenchmarkQueryDto } from './insights.dtos';
import type { InsightsContext } from './insights.context';

export interface BenchmarkQuery {
  modelKey: string;
  period: string;
  groupBy: BenchmarkGrouping;
  level: 'organisation' | 'unit';
  /** A stricter k than the platform's for this read; never a looser one. */
  minGroup?: number;
  /** Serve a published edition (`latest` or its number) instead of the live figures. */
  published?: 'latest' | number;
}

/** A benchmark query from its validated parameters, with their defaults (everyone, at organisation level). */
export function benchmarkQueryOf(query: BenchmarkQueryDto): BenchmarkQuery {
  const { modelKey, period, groupBy = 'all', level = 'organisation', minGroup, published } = query;
  return {
    modelKey,
    period,
    groupBy,
    level,
    ...(minGroup !== undefined ? { minGroup } : {}),
    ...(published !== undefined ? { published: editionOf(published) } : {}),
  };
}

/** `latest` or an edition number, as a query gives it. */
export function editionOf(edition: string): 'latest' | number {
  return edition === 'latest' ? 'latest' : Number(edition);
}

/** k for one read: the platform's, or a stricter one asked for; a looser one is refused naming minGroup. */
export function minGroupOf(context: InsightsContext, query: Pick<BenchmarkQuery, 'minGroup'>): number {
  if (query.minGroup === undefined) return context.benchmarkMinGroup;
  if (query.minGroup < context.benchmarkMinGroup) {
    throw new ValidationFailed([{ field: 'minGroup', problem: `must be at least ${context.benchmarkMinGroup}, the platform's k` }]);
  }
  return query.minGroup;
}

/**
 * Each organisation's comparable score in the period, on the model's newest published version:
 * per scope its latest closed assessment; at unit level the mean of its units, so a benchmark
 * counts organisations, never units. With each organisation, the score events that went in.
 * The insights projection keeps these scores (`insights_peer_scores`); a read is one indexed query
 * on the key, period and level. What was read before is kept by that key with the digest of its
 * rows, and serves while the rows' digest (a read of their hashes alone) is unchanged: an event
 * elsewhere leaves it standing, a change to any of these rows makes the next read fetch them.
 */
export async function peerScores(context: InsightsContext, query: Pick<BenchmarkQuery, 'modelKey' | 'period' | 'level'>): Promise<PeerScores> {
  const memoKey = `${query.modelKey}|${query.period}|${query.level}`;
  const kept = context.peers.get(memoKey);
  if (kept && kept.digest === (await context.peerScoreRows.digest(query.modelKey, query.period, query.level))) return kept.peers;
  const rows = await context.peerScoreRows.read(query.modelKey, query.period, query.level);
  if (!rows) {
    // No organisation has a comparable score here (yet): the model's newest published version, with no scores.
    const { versions } = await publishedModel(context, query.modelKey);
    if (versions.length === 0) throw new NotFound('model', query.modelKey);
    const modelVersion = versions[versions.length - 1];
    return { modelVersion, factorIds: await factorIdsOf(context, query.modelKey, modelVersion), scores: [], inputs: [] };
  }
  const peers: PeerScores = { modelVersion: rows.modelVersion, factorIds: await factorIdsOf(context, query.modelKey, rows.modelVersion), scores: rows.scores, inputs: rows.inputs };
  if (context.peers.size > 1_000) context.peers.clear();
  context.peers.set(memoKey, { digest: rows.digest, peers });
  return peers;
}

async function factorIdsOf(context: InsightsContext, modelKey: string, version: string): Promise<string[]> {
  return (await context.catalogue.get(modelKey, version)).document.factors.map((f) => f.id);
}

const cellsKept = new WeakMap<PeerScores, Map<string, BenchmarkCell[]>>();

/** The cells of kept peer scores: computed once per grouping and k while those peer scores stand. */
function cellsOf(peers: PeerScores, groupBy: BenchmarkGrouping, k: number): BenchmarkCell[] {
  const kept = cellsKept.get(peers) ?? new Map<string, BenchmarkCell[]>();
  cellsKept.set(peers, kept);
  const key = `${groupBy}|${k}`;
  const cells = kept.get(key) ?? benchmarkCells(peers.scores, groupBy, k, peers.factorIds);
  kept.set(key, cells);
  return cells;
}

export interface PeerScores {
  modelVersion: string;
  factorIds: string[];
  scores: PeerScore[];
  inputs: FrozenInput[];
}

export interface BenchmarkView {
  modelKey: string;
  modelVersion: string;
  period: string;
  groupBy: BenchmarkGrouping;
  level: 'organisation' | 'unit';
  minGroup: number;
  percentileMethod: string;
  cells: BenchmarkCell[];
  /** Platform administrators only: how many cells (overall figure) and figures in all are suppressed. */
  suppressed?: { cells: number; figures: number };
  /** With `?published=`: the edition served, frozen when it was published. */
  publication?: PublicationReference;
}

/** A published edition as a reader sees it: when, which event records it, how many score events it cites. */
export interface PublicationReference {
  edition: number;
  publishedAt: string;
  streamId: string;
  version: number;
  eventId: string;
  hash: string;
  scoreEventsCited: number;
}

/**
 * Aggregates only: per group the count of organisations and p10..p90, or why a figure is
 * suppressed. Platform administrators also see how many are suppressed.
 */
export async function readBenchmarks(context: InsightsContext, query: BenchmarkQuery, caller: { administrator?: boolean } = {}): Promise<BenchmarkView> {
  const minGroup = minGroupOf(context, query);
  const peers = await peerScores(context, query);
  const { modelVersion } = peers;
  const cells = cellsOf(peers, query.groupBy, minGroup);
  return {
    modelKey: query.modelKey,
    modelVersion,
    period: query.period,
    groupBy: query.groupBy,
    level: query.level,
    minGroup,
    percentileMethod: PERCENTILE_METHOD,
    cells,
    ...(caller.administrator ? { suppressed: suppressionOf(cells) } : {}),
  };
}

export interface BenchmarkPositionView {
  organisationId: string;
  modelKey: string;
  modelVersion: string;
  period: string;
  minGroup: number;
  percentileMethod: string;
  own: { overall: number | null; factors: Record<string, number | null> };
  groups: { groupBy: BenchmarkGrouping; cell: BenchmarkCell; overallPercentileRank: number | null }[];
}

/**
 * An organisation's own comparable score beside its groups' bands (its type, its size band,
 * everyone), with its mid-rank percentile in each group whose overall figure is shown. 404 when it
 * has no comparable score in the period.
 */
export async function readBenchmarkPosition(context: InsightsContext, organisationId: string, query: Pick<BenchmarkQuery, 'modelKey' | 'period'>): Promise<BenchmarkPositionView> {
  assertIds({ organisationId });
  const peers = await peerScores(context, { ...query, level: 'organisation' });
  const { modelVersion, scores } = peers;
  const own = scores.find((s) => s.organisationId === organisationId);
  if (!own) throw new NotFound('benchmark-position', `${organisationId} ${query.modelKey} ${query.period}`);
  const groups = BENCHMARK_GROUPINGS.map((groupBy) => {
    const cell = cellsOf(peers, groupBy, context.benchmarkMinGroup).find((c) => groupBy === 'all' || c.group[groupBy] === own[groupBy])!;
    const members = groupBy === 'all' ? scores : scores.filter((s) => s[groupBy] === own[groupBy]);
    return { groupBy, cell, overallPercentileRank: cell.overall.status === 'shown' ? positionIn(members, (m) => m.overall, own.overall) : null };
  });
  return { organisationId, modelKey: query.modelKey, modelVersion, period: query.period, minGroup: context.benchmarkMinGroup, percentileMethod: PERCENTILE_METHOD, own: { overall: own.overall, factors: own.factors }, groups };
}
