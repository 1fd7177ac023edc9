import { NotFound } from '@maatlat/shared/domain';
import type { FactorScore, ScoreResult, Term } from './scoring';

/** A weighted mean as an auditor writes it down: `(w × v + …) / Σw`. */
function describe(terms: readonly Term[]): string {
  return `(${terms.map((t) => `${t.weight} × ${t.value}`).join(' + ')}) / ${terms.reduce((sum, t) => sum + t.weight, 0)}`;
}

function explainFactor(score: ScoreResult, factor: FactorScore) {
  return {
    factorId: factor.factorId,
    score: factor.score,
    stage: factor.stage,
    spread: factor.spread,
    arithmetic: factor.derivation ? `${describe(factor.derivation.terms)} = ${factor.score}` : 'no answers',
    layers: Object.entries(factor.byLayer).map(([layer, derived]) => ({
      layer,
      score: derived!.value,
      arithmetic: `${describe(derived!.terms)} = ${derived!.value}`,
      questions: derived!.terms.map((term) => {
        const question = score.questions.find((q) => q.questionId === term.id && q.layer === layer)!;
        return {
          questionId: term.id,
          weight: term.weight,
          mean: question.mean,
          answered: question.answered,
          dontKnow: question.dontKnow,
          coverage: question.coverage,
          answers: question.sources,
        };
      }),
    })),
  };
}

export type FactorExplanation = ReturnType<typeof explainFactor>;

/**
 * How a recorded score was reached, from the score alone (pure): for one factor, or for the overall
 * score with every factor, down through layers and questions to the answer events that went in.
 * @example explainScore(assessmentId, score, 'F03').layers[0].questions[0].answers[0].eventId
 */
export function explainScore(assessmentId: string, score: ScoreResult, factorId?: string) {
  const base = { assessmentId, algorithm: score.algorithm, model: score.model };
  if (factorId) {
    const factor = score.factors.find((f) => f.factorId === factorId);
    if (!factor) throw new NotFound('factor', factorId);
    return { ...base, ...explainFactor(score, factor) };
  }
  return {
    ...base,
    overall: score.overall.score,
    stage: score.overall.stage,
    arithmetic: score.overall.derivation ? `${describe(score.overall.derivation.terms)} = ${score.overall.score}` : 'no answers',
    factors: score.factors.map((factor) => explainFactor(score, factor)),
  };
}

export interface ScoreDifference {
  /** JSON path into the score, e.g. `$.factors[3].score`. */
  path: string;
  recorded: unknown;
  replayed: unknown;
}

/** Where a recorded score and its replay differ, as JSON paths: empty when they are the same. */
export function scoreDifferences(recorded: unknown, replayed: unknown, path = '$'): ScoreDifference[] {
  if (typeof recorded !== 'object' || recorded === null || typeof replayed !== 'object' || replayed === null) {
    return Object.is(recorded, replayed) ? [] : [{ path, recorded, replayed }];
  }
  const keys = new Set([...Object.keys(recorded), ...Object.keys(replayed)]);
  return [...keys].flatMap((key) =>
    scoreDifferences((recorded as Record<string, unknown>)[key], (replayed as Record<string, unknown>)[key], Array.isArray(recorded) ? `${path}[${key}]` : `${path}.${key}`),
  );
}
