import type { LayerId, ModelDocument, RiskCondition } from '@maatlat/model-catalogue/domain';
import { round2 } from './rounding';
import type { Derived, FactorScore, QuestionLayerScore, RaisedRisk, ScoreResult, ScoringAnswer, Term } from './scoring.types';

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
  const layerWeight = new Map(model.layers.map((l) => [l.id, l.weight]));

  const questions: QuestionLayerScore[] = [];
  const questionMean = new Map<string, number>();
  for (const factor of model.factors) {
    for (const question of factor.questions) {
      for (const layer of layers) {
        const given = answers.filter((a) => a.questionId === question.id && a.layer === layer);
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

  const raw = new Map<string, { score: number | null; spread: number | null }>();
  const factors: FactorScore[] = model.factors.map((factor) => {
    const byLayer: Partial<Record<LayerId, Derived>> = {};
    const layerScores: Term[] = [];
    for (const layer of layers) {
      const derived = weightedMean(
        factor.questions
          .filter((q) => questionMean.has(`${q.id}|${layer}`))
          .map((q) => ({ id: q.id, weight: q.weight, value: questionMean.get(`${q.id}|${layer}`)! })),
      );
      if (!derived) continue;
      byLayer[layer] = roundDerived(derived)!;
      layerScores.push({ id: layer, weight: layerWeight.get(layer)!, value: derived.value });
    }
    const derivation = weightedMean(layerScores);
    const spread = layerScores.length ? Math.max(...layerScores.map((t) => t.value)) - Math.min(...layerScores.map((t) => t.value)) : null;
    raw.set(factor.id, { score: derivation?.value ?? null, spread });
    return {
      factorId: factor.id,
      score: derivation ? round2(derivation.value) : null,
      stage: derivation ? stageOf(derivation.value) : null,
      spread: spread === null ? null : round2(spread),
      byLayer,
      derivation: roundDerived(derivation),
    };
  });

  const overall = weightedMean(
    model.factors.filter((f) => raw.get(f.id)?.score != null).map((f) => ({ id: f.id, weight: f.weight, value: raw.get(f.id)!.score! })),
  );

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
    overall: { score: overall ? round2(overall.value) : null, stage: overall ? stageOf(overall.value) : null, derivation: roundDerived(overall) },
    strengths: ranked.slice(0, count).map((r) => r.id),
    attentionPoints: ranked.slice(ranked.length - count).reverse().map((r) => r.id),
    risks,
  };
}
