import { assertIds, Forbidden, RuleBroken, ValidationFailed } from '@maatlat/shared/domain';
import { changeSincePrevious, comparableScore, seriesKeyOf, type ChangeSincePrevious, type ComparableScore, type TrendPoint } from '@maatlat/insights/domain';
import type { AssessmentScope } from '@maatlat/assessments/domain';
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

const PERIOD = /^\d{4}(-[A-Za-z0-9]{1,8})?$/;
const FACTOR = /^F\d{2}[a-z]?$/;
const MODEL_KEY = /^[a-z0-9]+(-[a-z0-9]+)*$/;

function one(raw: unknown, field: string): string | undefined {
  if (raw === undefined) return undefined;
  // A repeated query parameter arrives as an array: one value is meant.
  if (typeof raw !== 'string') throw new ValidationFailed([{ field, problem: 'must be given once' }]);
  return raw;
}

/** The trend filters from a query string, 400 naming the parameter that is malformed or out of order. */
export function parseTrendFilter(query: Record<string, unknown>, allowed: readonly (keyof TrendFilter)[]): TrendFilter {
  const unknown = Object.keys(query).filter((k) => !allowed.includes(k as keyof TrendFilter));
  if (unknown.length) throw new ValidationFailed(unknown.map((field) => ({ field, problem: 'is not a filter of this route' })));
  const filter: TrendFilter = {};
  const problems: { field: string; problem: string }[] = [];
  for (const field of allowed) {
    const value = one(query[field], field);
    if (value === undefined) continue;
    const ok = field === 'unitId' || field === 'chainId' ? /^[a-z0-9-]{1,64}$/.test(value) : field === 'factor' ? FACTOR.test(value) : field === 'modelKey' ? MODEL_KEY.test(value) && value.length <= 64 : PERIOD.test(value);
    if (!ok) {
      const expected = field === 'factor' ? 'a factor id such as F01 or F07a' : field === 'modelKey' ? 'a model key such as datagedreven-overheid' : field.endsWith('Period') ? 'a period such as 2026 or 2026-Q3' : 'an id of 1 to 64 lowercase letters, digits or dashes';
      problems.push({ field, problem: `must be ${expected}` });
    } else filter[field] = value;
  }
  if (problems.length) throw new ValidationFailed(problems);
  if (filter.fromPeriod && filter.toPeriod && filter.fromPeriod > filter.toPeriod) {
    throw new ValidationFailed([{ field: 'fromPeriod', problem: `must not be after toPeriod (${filter.toPeriod})` }]);
  }
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

async function changeOf(context: InsightsContext, previous: { point: TrendPoint; comparable: ComparableScore }, current: { point: TrendPoint; comparable: ComparableScore }, links: Parameters<typeof respondentSample>[3]) {
  // Deterministic (seeded from the assessment ids), so a computed change can be kept until either score changes.
  const key = `${previous.point.score!.event.eventId}>${current.point.score!.event.eventId}@${current.comparable.modelVersion}`;
  const known = context.changes.get(key);
  if (known) return known;
  const change = changeSincePrevious(await respondentSample(context, previous.point, previous.comparable, links), await respondentSample(context, current.point, current.comparable, links));
  if (context.changes.size > 10_000) context.changes.clear();
  context.changes.set(key, change);
  return change;
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
    const lines = new Map<string, { point: TrendPoint; comparable: ComparableScore }[]>();
    for (const point of points.filter((p) => p.nativeModel.key === key)) {
      const comparable = comparableScore(point, target, links);
      if (!comparable) continue;
      const line = seriesKeyOf(point.scope);
      lines.set(line, [...(lines.get(line) ?? []), { point, comparable }]);
    }
    for (const line of lines.values()) {
      const views: TrendPointView[] = [];
      for (let i = 0; i < line.length; i++) {
        const { point, comparable } = line[i];
        if ((filter.fromPeriod && point.period < filter.fromPeriod) || (filter.toPeriod && point.period > filter.toPeriod)) continue;
        // The previous assessment counts even when the range starts after it: the change is since then.
        const change = i > 0 ? await changeOf(context, line[i - 1], line[i], links) : null;
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
