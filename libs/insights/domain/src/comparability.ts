import { round2, stageOf } from '@maatlat/assessments/domain';
import type { Crosswalk, ModelDocument } from '@maatlat/model-catalogue/domain';
import type { FactorValue, TrendPoint } from './trend-point';

/** One published step of a model: the crosswalk from its predecessor, with both documents. */
export interface CrosswalkLink {
  from: ModelDocument;
  to: ModelDocument;
  crosswalk: Crosswalk;
}

export type FactorRelation = 'unchanged' | 'reshaped' | 'split' | 'merged' | 'new';

/** A factor as it reads on the target version, and how far its line continues from the source's. */
export interface ComparableFactor {
  factorId: string;
  score: number | null;
  stage: number | null;
  /**
   * 1.0 unchanged; the crosswalk weight for a split or merge (times the share of the factor's
   * question weight that was carried over, when questions were retired); null for a new factor.
   * Over a chain of crosswalks the steps multiply.
   */
  continuity: number | null;
  relation: FactorRelation;
  /** Why the line starts here or bends, for a reader of the chart. */
  note: string | null;
}

export type Comparability = 'native' | 'recalculated' | 'mapped';

export interface ComparableScore {
  comparability: Comparability;
  modelVersion: string;
  overall: { score: number | null; stage: number | null };
  factors: ComparableFactor[];
}

/**
 * The crosswalks leading from one version of a model to a later one, followed link by link; null
 * when no chain of published crosswalks connects them (a later version cannot be mapped back).
 */
export function crosswalkChain(key: string, from: string, to: string, links: readonly CrosswalkLink[]): CrosswalkLink[] | null {
  const chain: CrosswalkLink[] = [];
  let at = from;
  const seen = new Set<string>();
  while (at !== to) {
    if (seen.has(at)) return null;
    seen.add(at);
    const next = links.find((link) => link.from.key === key && link.from.version === at && link.to.key === key);
    if (!next) return null;
    chain.push(next);
    at = next.to.version;
  }
  return chain;
}

/** Share of a factor's question weight that a crosswalk carries over (retired questions drop out). */
function keptShare(link: CrosswalkLink, factorId: string): number {
  const factor = link.from.factors.find((f) => f.id === factorId);
  if (!factor) return 1;
  const retired = new Set(link.crosswalk.questions.filter((q) => q.retired).map((q) => q.from));
  const total = factor.questions.reduce((sum, q) => sum + q.weight, 0);
  const kept = factor.questions.filter((q) => !retired.has(q.id)).reduce((sum, q) => sum + q.weight, 0);
  return total === 0 ? 1 : kept / total;
}

interface MappedFactor {
  factorId: string;
  /** Unrounded, so a chain of steps rounds once. */
  value: number | null;
  continuity: number | null;
  relation: FactorRelation;
  note: string | null;
}

function mapStep(factors: readonly MappedFactor[], link: CrosswalkLink): MappedFactor[] {
  const byId = new Map(factors.map((f) => [f.factorId, f]));
  const toRef = `${link.to.key}@${link.to.version}`;
  return link.to.factors.map((target) => {
    const sources = link.crosswalk.factors.flatMap((entry) => {
      const weight = entry.to?.find((t) => t.id === target.id)?.weight;
      return weight === undefined ? [] : [{ entry, weight, before: byId.get(entry.from) }];
    });
    if (sources.length === 0) {
      return { factorId: target.id, value: null, continuity: null, relation: 'new', note: `new in ${toRef}: the line starts there` };
    }
    const known = sources.filter((s) => s.before?.value != null);
    const weightSum = known.reduce((sum, s) => sum + s.weight, 0);
    const value = known.length && weightSum > 0 ? known.reduce((sum, s) => sum + s.weight * s.before!.value!, 0) / weightSum : null;
    const stepContinuity = sources.reduce((sum, s) => sum + s.weight * keptShare(link, s.entry.from), 0) / sources.length;
    const earlier = sources.map((s) => s.before?.continuity ?? null);
    // A factor that was new somewhere earlier in the chain still has no line before that point.
    const continuity = earlier.some((c) => c === null) ? null : stepContinuity * Math.min(...(earlier as number[]));
    const split = sources.length === 1 && (sources[0].entry.to?.length ?? 0) > 1;
    const stepRelation: FactorRelation = sources.length > 1 ? 'merged' : split ? 'split' : stepContinuity < 1 ? 'reshaped' : 'unchanged';
    const from = sources.map((s) => s.entry.from).join(' + ');
    const stepNote =
      stepRelation === 'split'
        ? `split from ${from} in ${toRef} (weight ${sources[0].weight})`
        : stepRelation === 'merged'
          ? `merged from ${from} in ${toRef}`
          : stepRelation === 'reshaped'
            ? `${from} lost retired questions in ${toRef}`
            : null;
    // An unchanged step keeps what earlier steps said; a changing one adds to it.
    const before = sources.length === 1 ? sources[0].before : undefined;
    const relation = stepRelation === 'unchanged' ? (before?.relation ?? 'unchanged') : stepRelation;
    const note = [before?.note ?? null, stepNote].filter((n) => n !== null).join('; ') || null;
    return { factorId: target.id, value, continuity, relation, note };
  });
}

/** Overall on the target version: its factor weights over the factors that have a value. */
function overallOf(model: ModelDocument, factors: readonly { factorId: string; value: number | null }[]): number | null {
  const present = model.factors.map((f) => ({ weight: f.weight, value: factors.find((m) => m.factorId === f.id)?.value ?? null })).filter((t) => t.value !== null);
  const weight = present.reduce((sum, t) => sum + t.weight, 0);
  return present.length && weight > 0 ? present.reduce((sum, t) => sum + t.weight * t.value!, 0) / weight : null;
}

/**
 * Factor scores carried across a chain of crosswalks: a target factor takes the weighted mean of
 * the old factors that flow into it (weights from the crosswalk), a new factor has no value, and
 * the overall score is recomputed with the target version's factor weights. Only the recorded
 * (rounded) factor scores are at hand here, so a mapped value is an approximation; a recalculation
 * from the answers is preferred wherever one exists.
 */
export function mapAcross(factors: readonly FactorValue[], chain: readonly CrosswalkLink[]): { overall: number | null; factors: MappedFactor[] } {
  let mapped: MappedFactor[] = factors.map((f) => ({ factorId: f.factorId, value: f.score, continuity: 1, relation: 'unchanged', note: null }));
  for (const link of chain) mapped = mapStep(mapped, link);
  const target = chain.length ? chain[chain.length - 1].to : undefined;
  return { overall: target ? overallOf(target, mapped) : null, factors: mapped };
}

const rounded = (value: number | null) => (value === null ? null : round2(value));

/**
 * A trend point as it reads on `targetVersion` of its model: native (scored on it), recalculated
 * (rescored on it from the answers), or mapped (its standing score carried through the
 * crosswalks). Continuity is measured from the version the assessment was answered on, so a
 * recalculated point still says which factors were split or are new. Null when the point cannot be
 * brought onto the target (no score, another model, or a later version than the target).
 */
export function comparableScore(point: TrendPoint, targetVersion: string, links: readonly CrosswalkLink[]): ComparableScore | null {
  const score = point.score;
  if (!score) return null;
  const key = point.nativeModel.key;
  const continuityChain = crosswalkChain(key, point.nativeModel.version, targetVersion, links);
  // Continuity is a property of the models alone: walk the native version's factors along the chain.
  const continuity = continuityChain?.length ? mapAcross(continuityChain[0].from.factors.map((f) => ({ factorId: f.id, score: null, stage: null })), continuityChain).factors : null;
  const describe = (factorId: string) => {
    const c = continuity?.find((f) => f.factorId === factorId);
    return c ? { continuity: c.continuity === null ? null : round2(c.continuity), relation: c.relation, note: c.note } : { continuity: 1, relation: 'unchanged' as const, note: null };
  };
  if (score.model.version === targetVersion) {
    return {
      comparability: point.nativeModel.version === targetVersion ? 'native' : 'recalculated',
      modelVersion: targetVersion,
      overall: score.overall,
      factors: score.factors.map((f) => ({ ...f, ...describe(f.factorId) })),
    };
  }
  const chain = crosswalkChain(key, score.model.version, targetVersion, links);
  if (!chain) return null;
  const mapped = mapAcross(score.factors, chain);
  const overall = rounded(mapped.overall);
  return {
    comparability: 'mapped',
    modelVersion: targetVersion,
    overall: { score: overall, stage: overall === null ? null : stageOf(overall) },
    factors: mapped.factors.map((f) => {
      const value = rounded(f.value);
      return { factorId: f.factorId, score: value, stage: value === null ? null : stageOf(value), ...describe(f.factorId) };
    }),
  };
}
