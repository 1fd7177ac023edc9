import { groupBy } from '@maatlat/shared/domain';
import type { LayerId, ModelDocument, RiskCondition } from '@maatlat/model-catalogue/domain';
import { round2 } from './rounding';
import type { Derived, FactorScore, QuestionLayerScore, RaisedRisk, Resampler, ScoreResult, ScoringAnswer, Term } from './scoring.types';

export const SCORING_V1 = 'maatlat-scoring/v1';

/** Weighted mean of the terms that have a value; null when none has. */
function weightedMean(terms: Term[]): Derived | null {
  const present = terms.filter((t) => Number.isFinite(t.value));
  const totalWeight = present.reduce((sum, t) => sum + t.weight, 0);
  if (present.length === 0 || totalWeight === 0) return null;
  const value = present.reduce((sum, t) => sum + t.weight * t.value, 0) / totalWeight;
  return { value, formula: 'Σ(weight × value) / Σ weight', terms: present };
}

/** The stage a score reaches: the whole stages completed, 0 (Afwachtend) to 5 (Excellent). */
export function stageOf(score: number): number {
  return Math.min(5, Math.max(0, Math.floor(round2(score))));
}

function roundDerived(derived: Derived | null): Derived | null {
  return derived && { ...derived, value: round2(derived.value), terms: derived.terms.map((t) => ({ ...t, value: round2(t.value) })) };
}

interface FactorValues {
  factorId: string;
  /** Per layer, the weighted mean of the factor's questions (unrounded). */
  byLayer: Partial<Record<LayerId, Derived>>;
  derivation: Derived | null;
  spread: number | null;
}

/** A score and its stage as a scoring reports them, from the unrounded value. */
function reported(derivation: Derived | null): { score: number | null; stage: number | null } {
  return derivation ? { score: round2(derivation.value), stage: stageOf(derivation.value) } : { score: null, stage: null };
}

/**
 * The unrounded factor and overall values from the question × layer means (undefined where a
 * question has no level on a layer). The full scoring and the bootstrap's resampler both go through
 * here, so the figures a resample reports are reached exactly as a closing score's are.
 */
function factorValues(model: ModelDocument, meanOf: (questionId: string, layer: LayerId) => number | undefined): { factors: FactorValues[]; overall: Derived | null } {
  const factors = model.factors.map((factor): FactorValues => {
    const byLayer: Partial<Record<LayerId, Derived>> = {};
    const layerScores: Term[] = [];
    for (const layer of model.layers) {
      const terms: Term[] = [];
      for (const q of factor.questions) {
        const value = meanOf(q.id, layer.id);
        if (value !== undefined) terms.push({ id: q.id, weight: q.weight, value });
      }
      const derived = weightedMean(terms);
      if (!derived) continue;
      byLayer[layer.id] = derived;
      layerScores.push({ id: layer.id, weight: layer.weight, value: derived.value });
    }
    const spread = layerScores.length ? Math.max(...layerScores.map((t) => t.value)) - Math.min(...layerScores.map((t) => t.value)) : null;
    return { factorId: factor.id, byLayer, derivation: weightedMean(layerScores), spread };
  });
  const weightOf = new Map(model.factors.map((f) => [f.id, f.weight]));
  const overall = weightedMean(factors.filter((f) => f.derivation).map((f) => ({ id: f.factorId, weight: weightOf.get(f.factorId)!, value: f.derivation!.value })));
  return { factors, overall };
}

/**
 * Scoring algorithm v1, a pure function of the model version and the answers:
 * - per question and layer: the mean level, "don't know" left out but counted in the coverage;
 * - per factor and layer: the weighted mean of its questions (question weights);
 * - per factor: the weighted mean over the layers (layer weights), its stage, and the spread;
 * - overall: the weighted mean of the factors (factor weights) and its stage;
 * - strengths (three highest factors), attention points (three lowest) and the model's risk rules.
 * Layers or questions without answers drop out and the remaining weights carry the mean.
 * Reported numbers are rounded with `round2`; comparisons use the unrounded values.
 */
export function scoreV1(model: ModelDocument, contentHash: string, answers: readonly ScoringAnswer[]): ScoreResult {
  const layers = model.layers.map((l) => l.id);

  // Grouped once, in the answers' order: a scan of every answer for each question and layer made
  // a scoring grow with answers × questions (3,000 answers × 123 pairs for 75 respondents).
  const answersAt = groupBy(answers, (answer) => `${answer.questionId}|${answer.layer}`);
  const questions: QuestionLayerScore[] = [];
  const questionMean = new Map<string, number>();
  for (const factor of model.factors) {
    for (const question of factor.questions) {
      for (const layer of layers) {
        const given = answersAt.get(`${question.id}|${layer}`) ?? [];
        if (given.length === 0) continue;
        const levels = given.filter((a) => a.level !== null).map((a) => a.level as number);
        const mean = levels.length ? levels.reduce((s, l) => s + l, 0) / levels.length : null;
        if (mean !== null) questionMean.set(`${question.id}|${layer}`, mean);
        questions.push({
          questionId: question.id,
          layer,
          mean: mean === null ? null : round2(mean),
          answered: levels.length,
          dontKnow: given.length - levels.length,
          coverage: round2(levels.length / given.length),
          sources: given.map((a) => a.source),
        });
      }
    }
  }

  const { factors: values, overall } = factorValues(model, (questionId, layer) => questionMean.get(`${questionId}|${layer}`));
  const raw = new Map(values.map((v) => [v.factorId, { score: v.derivation?.value ?? null, spread: v.spread }]));
  const factors: FactorScore[] = values.map(({ factorId, byLayer, derivation, spread }) => ({
    factorId,
    ...reported(derivation),
    spread: spread === null ? null : round2(spread),
    byLayer: Object.fromEntries(Object.entries(byLayer).map(([layer, derived]) => [layer, roundDerived(derived)])),
    derivation: roundDerived(derivation),
  }));

  const ranked = model.factors
    .filter((f) => raw.get(f.id)?.score != null)
    .map((f) => ({ id: f.id, score: raw.get(f.id)!.score! }))
    .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
  const count = Math.min(3, Math.floor(ranked.length / 2));

  const holds = (condition: RiskCondition): boolean => {
    if ('all' in condition) return condition.all.every(holds);
    if ('any' in condition) return condition.any.some(holds);
    if ('factor' in condition) {
      const score = raw.get(condition.factor)?.score;
      if (score == null) return false;
      const value = round2(score);
      return condition.op === '<' ? value < condition.value : condition.op === '<=' ? value <= condition.value : condition.op === '>' ? value > condition.value : value >= condition.value;
    }
    if ('gap' in condition) {
      const higher = raw.get(condition.gap.higher)?.score;
      const lower = raw.get(condition.gap.lower)?.score;
      return higher != null && lower != null && round2(higher - lower) >= condition.atLeast;
    }
    const spreads = condition.spread === '*' ? [...raw.values()].map((r) => r.spread) : [raw.get(condition.spread)?.spread];
    return spreads.some((s) => s != null && round2(s) >= condition.atLeast);
  };
  const risks: RaisedRisk[] = model.riskRules.filter((rule) => holds(rule.condition)).map((rule) => ({ ruleId: rule.id, severity: rule.severity, message: rule.message }));

  return {
    algorithm: SCORING_V1,
    model: { key: model.key, version: model.version, contentHash },
    questions,
    factors,
    overall: { ...reported(overall), derivation: roundDerived(overall) },
    strengths: ranked.slice(0, count).map((r) => r.id),
    attentionPoints: ranked.slice(ranked.length - count).reverse().map((r) => r.id),
    risks,
  };
}

/**
 * Scoring v1 of many multisets of the same respondents, reporting only the overall and factor
 * scores: what the bootstrap needs, hundreds of times per trend change. Each respondent's levels
 * are indexed once; a resample adds them up per question and layer (a respondent drawn twice
 * counts twice) and goes through the same `factorValues` as `scoreV1`. A mean is a sum of whole
 * levels divided by their count, exact in any order, so the figures equal `scoreV1`'s on the drawn
 * answers to the last bit (the spec compares them).
 */
export function resamplerV1(model: ModelDocument, answersByRespondent: ReadonlyMap<string, readonly ScoringAnswer[]>): Resampler {
  const slotOf = new Map<string, number>();
  for (const factor of model.factors) for (const question of factor.questions) for (const layer of model.layers) slotOf.set(`${question.id}|${layer.id}`, slotOf.size);
  const levelsOf = new Map<string, { slots: number[]; levels: number[] }>();
  for (const [respondentId, answers] of answersByRespondent) {
    const indexed = { slots: [] as number[], levels: [] as number[] };
    for (const answer of answers) {
      const slot = slotOf.get(`${answer.questionId}|${answer.layer}`);
      if (slot === undefined || answer.level === null) continue;
      indexed.slots.push(slot);
      indexed.levels.push(answer.level);
    }
    levelsOf.set(respondentId, indexed);
  }
  const sums = new Float64Array(slotOf.size);
  const counts = new Uint32Array(slotOf.size);
  return (respondents) => {
    sums.fill(0);
    counts.fill(0);
    for (const respondentId of respondents) {
      const indexed = levelsOf.get(respondentId);
      if (!indexed) continue;
      for (let i = 0; i < indexed.slots.length; i++) {
        sums[indexed.slots[i]] += indexed.levels[i];
        counts[indexed.slots[i]] += 1;
      }
    }
    const { factors, overall } = factorValues(model, (questionId, layer) => {
      const slot = slotOf.get(`${questionId}|${layer}`)!;
      return counts[slot] ? sums[slot] / counts[slot] : undefined;
    });
    return {
      overall: reported(overall).score,
      factors: factors.map((f) => ({ factorId: f.factorId, ...reported(f.derivation) })),
    };
  };
}
