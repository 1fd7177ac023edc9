import { assertIds, Forbidden, groupBy, RuleBroken, ValidationFailed } from '@maatlat/shared/domain';
import { changeSincePrevious, comparableScore, seriesKeyOf, type ChangeSincePrevious, type ComparableScore, type TrendPoint } from '@maatlat/insights/domain';
import type { AssessmentScope } from '@maatlat/assessments/domain';
import { changeKeyOf, type ChangeKey } from '@maatlat/insights/data-access';
import { publishedModel } from './crosswalk-links';
import type { InsightsContext } from './insights.context';
import { respondentSample } from './respondent-samples';

export interface TrendFilter {
  unitId?: string;
  chainId?: string;
  factor?: string;
  modelKey?: string;
  fromPeriod?: string;
  toPeriod?: string;
}

/** The filter of a trends query whose parameters are each well formed (`TrendFilterQueryDto`): a reversed period range is a 400 naming fromPeriod. */
export function trendFilterOf(query: TrendFilter): TrendFilter {
  if (query.fromPeriod && query.toPeriod && query.fromPeriod > query.toPeriod) {
    throw new ValidationFailed([{ field: 'fromPeriod', problem: `must not be after toPeriod (${query.toPeriod})` }]);
  }
  const filter: TrendFilter = {};
  for (const field of ['unitId', 'chainId', 'factor', 'modelKey', 'fromPeriod', 'toPeriod'] as const) if (query[field] !== undefined) filter[field] = query[field];
  return filter;
}

export interface TrendFactorView {
  factorId: string;
  score: number | null;
  stage: number | null;
  continuity: number | null;
  relation: string;
  note: string | null;
}

export interface TrendPointView {
  assessmentId: string;
  period: string;
  closedAt: string | null;
  comparability: ComparableScore['comparability'];
  nativeModelVersion: string;
  scoredOn: { modelVersion: string; algorithm: string; basis: 'closing' | 'recalculated'; recalculationId: string | null };
  scoreEvent: { streamId: string; version: number; eventId: string; hash: string | null; type: string; recordedAt: string };
  /** Where the same explanation as the score opens (relative to the API's base). */
  explain: string;
  overall: { score: number | null; stage: number | null };
  factors: TrendFactorView[];
  changeSincePrevious: ChangeSincePrevious | null;
}

export interface TrendSeriesView {
  scope: AssessmentScope;
  modelKey: string;
  /** The version every point is expressed on: the model's newest published version. */
  modelVersion: string;
  points: TrendPointView[];
}

export interface TrendsView {
  series: TrendSeriesView[];
}

type Placed = { point: TrendPoint; comparable: ComparableScore };

const keyOfPair = (previous: Placed, current: Placed): ChangeKey => ({
  previousScoreEventId: previous.point.score!.event.eventId,
  currentScoreEventId: current.point.score!.event.eventId,
  modelVersion: current.comparable.modelVersion,
});

/**
 * The changes of these pairs of points: from the process, else from the stored changes (one query
 * for the whole read), else computed with the bootstrap and stored. Deterministic (seeded from the
 * assessment ids), so a change computed once, by a read or ahead of it, stands for every later read.
 */
async function changesOf(context: InsightsContext, pairs: readonly [Placed, Placed][], links: Parameters<typeof respondentSample>[3]): Promise<Map<string, ChangeSincePrevious>> {
  const found = new Map<string, ChangeSincePrevious>();
  const missing: { key: ChangeKey; pair: [Placed, Placed] }[] = [];
  for (const pair of pairs) {
    const key = keyOfPair(...pair);
    const known = context.changes.get(changeKeyOf(key));
    if (known) found.set(changeKeyOf(key), known);
    else missing.push({ key, pair });
  }
  const stored = await context.trendChanges.get(missing.map((m) => m.key));
  const computed: { key: ChangeKey; change: ChangeSincePrevious }[] = [];
  for (const { key, pair } of missing) {
    const id = changeKeyOf(key);
    const change = stored.get(id) ?? changeSincePrevious(await respondentSample(context, pair[0].point, pair[0].comparable, links), await respondentSample(context, pair[1].point, pair[1].comparable, links));
    if (!stored.has(id)) computed.push({ key, change });
    found.set(id, change);
  }
  await context.trendChanges.put(computed);
  if (context.changes.size > 10_000) context.changes.clear();
  for (const [id, change] of found) context.changes.set(id, change);
  return found;
}

/**
 * Trend lines from scored points: one per scope and model key, every point expressed on the
 * model's newest published version (native, recalculated or mapped through the crosswalks), with
 * the change since the previous point of the line. 422 naming `factor` for a factor no published
 * version of the model has.
 */
export async function trendsOf(context: InsightsContext, points: readonly TrendPoint[], filter: TrendFilter): Promise<TrendsView> {
  const keys = [...new Set(points.map((p) => p.nativeModel.key))].filter((k) => !filter.modelKey || k === filter.modelKey).sort();
  const series: TrendSeriesView[] = [];
  const knownFactors = new Set<string>();
  for (const key of keys) {
    const { versions, links } = await publishedModel(context, key);
    for (const link of links) [...link.from.factors, ...link.to.factors].forEach((f) => knownFactors.add(f.id));
    const target = versions[versions.length - 1] ?? points.find((p) => p.nativeModel.key === key)!.score!.model.version;
    if (links.length === 0) (await context.catalogue.get(key, target)).document.factors.forEach((f) => knownFactors.add(f.id));
    const placed = points.filter((p) => p.nativeModel.key === key).flatMap((point): Placed[] => {
      const comparable = comparableScore(point, target, links);
      return comparable ? [{ point, comparable }] : [];
    });
    const lines = groupBy(placed, ({ point }) => seriesKeyOf(point.scope));
    const inRange = (point: TrendPoint) => !((filter.fromPeriod && point.period < filter.fromPeriod) || (filter.toPeriod && point.period > filter.toPeriod));
    // The previous assessment counts even when the range starts after it: the change is since then.
    const pairs = [...lines.values()].flatMap((line) => line.flatMap((placed, i): [Placed, Placed][] => (i > 0 && inRange(placed.point) ? [[line[i - 1], placed]] : [])));
    const changes = await changesOf(context, pairs, links);
    for (const line of lines.values()) {
      const views: TrendPointView[] = [];
      for (let i = 0; i < line.length; i++) {
        const { point, comparable } = line[i];
        if (!inRange(point)) continue;
        const change = i > 0 ? changes.get(changeKeyOf(keyOfPair(line[i - 1], line[i])))! : null;
        const keep = (factorId: string) => !filter.factor || factorId === filter.factor;
        const score = point.score!;
        views.push({
          assessmentId: point.assessmentId,
          period: point.period,
          closedAt: point.closedAt,
          comparability: comparable.comparability,
          nativeModelVersion: point.nativeModel.version,
          scoredOn: { modelVersion: score.model.version, algorithm: score.algorithm, basis: score.basis, recalculationId: score.recalculationId },
          scoreEvent: score.event,
          explain: `assessments/${point.assessmentId}/scores/explain?scoreEvent=${score.event.version}`,
          overall: comparable.overall,
          factors: comparable.factors.filter((f) => keep(f.factorId)),
          changeSincePrevious: change && { ...change, factors: change.factors.filter((f) => keep(f.factorId)) },
        });
      }
      if (views.length) series.push({ scope: line[0].point.scope, modelKey: key, modelVersion: target, points: views });
    }
  }
  if (filter.factor && keys.length > 0 && !knownFactors.has(filter.factor)) {
    throw new RuleBroken('insights.unknown-factor', `factor: ${filter.factor} is no factor of the model`, { field: 'factor' });
  }
  return { series };
}

/** An organisation's trends (its own and its units'; or, with `chainId`, a chain it takes part in). */
export async function organisationTrends(context: InsightsContext, organisationId: string, filter: TrendFilter): Promise<TrendsView> {
  assertIds({ organisationId });
  await context.organisations.get(organisationId);
  if (filter.chainId) {
    const chain = await context.chains.get(filter.chainId);
    if (!chain.members.some((m) => m.organisationId === organisationId)) throw new Forbidden('this organisation takes no part in that chain');
    return trendsOf(context, await context.trendPoints.ofChain(filter.chainId), filter);
  }
  return trendsOf(context, await context.trendPoints.ofOrganisation(organisationId, { unitId: filter.unitId }), filter);
}

/** A chain's trends, for the administrator and the chain's member organisations. */
export async function chainTrends(context: InsightsContext, chainId: string, filter: TrendFilter, caller: { organisations: readonly string[]; administrator: boolean }): Promise<TrendsView> {
  assertIds({ chainId });
  const chain = await context.chains.get(chainId);
  if (!caller.administrator && !chain.members.some((m) => caller.organisations.includes(m.organisationId))) {
    throw new Forbidden("none of the caller's organisations takes part in this chain");
  }
  return trendsOf(context, await context.trendPoints.ofChain(chainId), filter);
}

/**
 * Computes and keeps the changes on the lines of these assessments ahead of any read, so the first
 * trend read of an organisation is row reads. A point the trends projection has not reached yet is
 * left to the read, which computes the same change.
 */
export async function precomputeChanges(context: InsightsContext, assessmentIds: readonly string[]): Promise<void> {
  const points = await context.trendPoints.byAssessment(assessmentIds);
  const lines = new Map<string, TrendPoint>(points.filter((p) => p.score && p.closedAt).map((p) => [seriesKeyOf(p.scope), p]));
  for (const point of lines.values()) {
    const { scope } = point;
    const onLine = scope.kind === 'chain' ? await context.trendPoints.ofChain(scope.chainId) : await context.trendPoints.ofOrganisation(scope.organisationId, scope.kind === 'unit' ? { unitId: scope.unitId } : {});
    await trendsOf(context, onLine, { modelKey: point.nativeModel.key });
  }
}
