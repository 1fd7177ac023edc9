import { assertIds, NotFound, ValidationFailed } from '@maatlat/shared/domain';
import {
  BENCHMARK_GROUPINGS,
  benchmarkCells,
  comparableScore,
  PERCENTILE_METHOD,
  positionIn,
  seriesKeyOf,
  type BenchmarkCell,
  type BenchmarkGrouping,
  type PeerScore,
} from '@maatlat/insights/domain';
import { publishedModel } from './crosswalk-links';
import type { InsightsContext } from './insights.context';

export interface BenchmarkQuery {
  modelKey: string;
  period: string;
  groupBy: BenchmarkGrouping;
  level: 'organisation' | 'unit';
}

/** `?modelKey&period&groupBy&level`, 400 naming the parameter that is missing or malformed. */
export function parseBenchmarkQuery(query: Record<string, unknown>, withGrouping = true): BenchmarkQuery {
  const allowed = withGrouping ? ['modelKey', 'period', 'groupBy', 'level'] : ['modelKey', 'period'];
  const problems = Object.keys(query)
    .filter((k) => !allowed.includes(k))
    .map((field) => ({ field, problem: 'is not a parameter of this route' }));
  const { modelKey, period, groupBy = 'all', level = 'organisation' } = query;
  if (typeof modelKey !== 'string' || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(modelKey) || modelKey.length > 64) problems.push({ field: 'modelKey', problem: 'is required: a model key such as datagedreven-overheid' });
  if (typeof period !== 'string' || !/^\d{4}(-[A-Za-z0-9]{1,8})?$/.test(period)) problems.push({ field: 'period', problem: 'is required: a period such as 2026 or 2026-Q3' });
  if (typeof groupBy !== 'string' || !(BENCHMARK_GROUPINGS as readonly string[]).includes(groupBy)) problems.push({ field: 'groupBy', problem: `must be one of ${BENCHMARK_GROUPINGS.join(', ')}` });
  if (level !== 'organisation' && level !== 'unit') problems.push({ field: 'level', problem: 'must be organisation or unit' });
  if (problems.length) throw new ValidationFailed(problems);
  return { modelKey: modelKey as string, period: period as string, groupBy: groupBy as BenchmarkGrouping, level: level as BenchmarkQuery['level'] };
}

/**
 * Each organisation's comparable score in the period, on the model's newest published version:
 * per scope its latest closed assessment; at unit level the mean of its units, so a benchmark
 * counts organisations, never units.
 */
async function peerScores(context: InsightsContext, query: Pick<BenchmarkQuery, 'modelKey' | 'period' | 'level'>) {
  const { versions, links } = await publishedModel(context, query.modelKey);
  if (versions.length === 0) throw new NotFound('model', query.modelKey);
  const modelVersion = versions[versions.length - 1];
  const factorIds = (await context.catalogue.get(query.modelKey, modelVersion)).document.factors.map((f) => f.id);
  const latest = new Map<string, Awaited<ReturnType<InsightsContext['trendPoints']['forBenchmark']>>[number]>();
  // Rows come oldest close first: a later assessment of the same scope replaces an earlier one.
  for (const peer of await context.trendPoints.forBenchmark(query.modelKey, query.period, query.level)) latest.set(seriesKeyOf(peer.point.scope), peer);
  const byOrganisation = new Map<string, { organisationType: string; sizeBand: string; scores: NonNullable<ReturnType<typeof comparableScore>>[] }>();
  for (const peer of latest.values()) {
    const comparable = comparableScore(peer.point, modelVersion, links);
    if (!comparable) continue;
    const entry = byOrganisation.get(peer.point.organisationId) ?? { organisationType: peer.organisationType, sizeBand: peer.sizeBand, scores: [] };
    entry.scores.push(comparable);
    byOrganisation.set(peer.point.organisationId, entry);
  }
  const mean = (values: (number | null)[]) => {
    const present = values.filter((v): v is number => v !== null);
    return present.length ? present.reduce((s, v) => s + v, 0) / present.length : null;
  };
  const scores: PeerScore[] = [...byOrganisation.entries()].map(([organisationId, { organisationType, sizeBand, scores }]) => ({
    organisationId,
    organisationType,
    sizeBand,
    overall: mean(scores.map((s) => s.overall.score)),
    factors: Object.fromEntries(factorIds.map((id) => [id, mean(scores.map((s) => s.factors.find((f) => f.factorId === id)?.score ?? null))])),
  }));
  return { modelVersion, factorIds, scores };
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
}

/** Aggregates only: per group the count of organisations and p10..p90, or why a figure is suppressed. */
export async function readBenchmarks(context: InsightsContext, query: BenchmarkQuery): Promise<BenchmarkView> {
  const { modelVersion, factorIds, scores } = await peerScores(context, query);
  return {
    modelKey: query.modelKey,
    modelVersion,
    period: query.period,
    groupBy: query.groupBy,
    level: query.level,
    minGroup: context.benchmarkMinGroup,
    percentileMethod: PERCENTILE_METHOD,
    cells: benchmarkCells(scores, query.groupBy, context.benchmarkMinGroup, factorIds),
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
  const { modelVersion, factorIds, scores } = await peerScores(context, { ...query, level: 'organisation' });
  const own = scores.find((s) => s.organisationId === organisationId);
  if (!own) throw new NotFound('benchmark-position', `${organisationId} ${query.modelKey} ${query.period}`);
  const groups = BENCHMARK_GROUPINGS.map((groupBy) => {
    const cell = benchmarkCells(scores, groupBy, context.benchmarkMinGroup, factorIds).find((c) => groupBy === 'all' || c.group[groupBy] === own[groupBy])!;
    const members = groupBy === 'all' ? scores : scores.filter((s) => s[groupBy] === own[groupBy]);
    return { groupBy, cell, overallPercentileRank: cell.overall.status === 'shown' ? positionIn(members, (m) => m.overall, own.overall) : null };
  });
  return { organisationId, modelKey: query.modelKey, modelVersion, period: query.period, minGroup: context.benchmarkMinGroup, percentileMethod: PERCENTILE_METHOD, own: { overall: own.overall, factors: own.factors }, groups };
}
