import { NotFound } from '@maatlat/shared/domain';
import type { AnswerValue } from './assessment.events';
import { add, compare, divide, formatFraction, fraction, fromDecimal, multiply, roundHalfAwayFromZero, sameValue, subtract, terminatingDecimal, truncatedDecimal, type Fraction } from './exact-arithmetic';
import type { ScoreEventReference } from './score-events';
import { SCORING_V1, type FactorScore, type QuestionLayerScore, type ScoreResult, type Term } from './scoring';

interface ReportedRounding {
  places: number;
  /** As the explanation prints it after the arrow. */
  rule: string;
}

/** How each scoring algorithm rounds what it reports (v1: `round2` in scoring/rounding.ts). */
const REPORTED_ROUNDING: Record<string, ReportedRounding> = {
  [SCORING_V1]: { places: 2, rule: 'rounded half away from zero to 2 decimals' },
};

/** Decimals printed of a result whose expansion does not end, before the ellipsis. */
const SHOWN_DECIMALS = 7;

export interface ScoreToExplain {
  assessmentId: string;
  score: ScoreResult;
  /**
   * The answer each answer event cited by the score records, by event id (unique across the
   * assessment's streams). The score keeps only rounded means; the levels behind them make the
   * printed terms exact.
   */
  answers: ReadonlyMap<string, AnswerValue>;
  /** The score event explained, when the caller read it from the stream. */
  scoreEvent?: ScoreEventReference;
}

/** A number in a derivation as printed: exact, in decimal when the expansion ends (`4.125`, `1.5`). */
function decimal(value: Fraction): string {
  return terminatingDecimal(value) ?? formatFraction(value);
}

/**
 * One derivation line that reproduces on a calculator: the expression over exact terms, its exact
 * result (as a fraction, then in decimals: whole when they end, cut off with `…` when they do not),
 * and the rounding to what the score reports as a step of its own. Should the rounding of the
 * exact result ever differ from the recorded number, the line says so instead of hiding it.
 * @example line('(1 × 9/2 + 3 × 4) / 4', fraction(33n, 8n), 4.13, v1) === '(1 × 9/2 + 3 × 4) / 4 = 33/8 = 4.125 → 4.13 (rounded half away from zero to 2 decimals)'
 */
function line(expression: string, exact: Fraction, recorded: number | null, rounding: ReportedRounding): string {
  let text = `${expression} = ${formatFraction(exact)}`;
  if (exact.denominator !== 1n) {
    const ending = terminatingDecimal(exact);
    text += ending !== null ? ` = ${ending}` : ` = ${truncatedDecimal(exact, SHOWN_DECIMALS)}…`;
  }
  const rounded = roundHalfAwayFromZero(exact, rounding.places);
  if (!sameValue(rounded, exact)) text += ` → ${decimal(rounded)} (${rounding.rule})`;
  if (recorded === null || !sameValue(rounded, fromDecimal(recorded))) text += `; the score records ${recorded}`;
  return text;
}

/** `(w × v + …) / Σw` over exact values, and its exact result. */
function weightedMean(terms: readonly Term[], exactOf: (id: string) => Fraction) {
  const weights = terms.map((t) => fromDecimal(t.weight));
  const totalWeight = weights.reduce(add, fraction(0n));
  const sum = terms.reduce((total, t, i) => add(total, multiply(weights[i], exactOf(t.id))), fraction(0n));
  return {
    expression: `(${terms.map((t, i) => `${decimal(weights[i])} × ${formatFraction(exactOf(t.id))}`).join(' + ')}) / ${decimal(totalWeight)}`,
    exact: divide(sum, totalWeight),
  };
}

/** A value computed once per key: each line is derived once, however many lines cite it. */
function once<Key, Value>(compute: (key: Key) => Value): (key: Key) => Value {
  const computed = new Map<Key, Value>();
  return (key) => {
    if (!computed.has(key)) computed.set(key, compute(key));
    return computed.get(key)!;
  };
}

/**
 * The lines of an explanation, each with the exact value it arrives at, which the line above it
 * takes as a term: question means from the levels of the answer events cited, layer scores from
 * the question means, factor scores from the layer scores, the overall score from the factors.
 * Derived from the score and those answers alone: the scoring algorithm is untouched, so recorded
 * scores keep replaying byte for byte.
 */
class ExactDerivations {
  private readonly questionByKey: Map<string, QuestionLayerScore>;
  private readonly factorById: Map<string, FactorScore>;

  constructor(
    private readonly input: ScoreToExplain,
    private readonly rounding: ReportedRounding,
  ) {
    this.questionByKey = new Map(input.score.questions.map((q) => [`${q.questionId}|${q.layer}`, q]));
    this.factorById = new Map(input.score.factors.map((f) => [f.factorId, f]));
  }

  /** Key `questionId|layer`. `exact` is null when every answer is "don't know" (then the score gives the question no mean). */
  readonly question = once((key: string) => {
    const question = this.questionByKey.get(key);
    if (!question) throw new Error(`the score has no question-layer ${key}`);
    const answers = question.sources.map((source) => {
      const answer = this.input.answers.get(source.eventId);
      if (!answer) throw new Error(`the score cites answer event ${source.eventId}, which the assessment's streams do not hold`);
      return { ...source, answer };
    });
    // "Don't know" is left out of the mean (it counts in the coverage only), as in the algorithm.
    const levels = answers.flatMap(({ answer }) => ('level' in answer ? [answer.level] : []));
    if (levels.length === 0) return { question, answers, arithmetic: 'no levels: every answer is "don\'t know"', exact: null };
    const exact = fraction(BigInt(levels.reduce((sum, level) => sum + level, 0)), BigInt(levels.length));
    return { question, answers, arithmetic: line(`(${levels.join(' + ')}) / ${levels.length}`, exact, question.mean, this.rounding), exact };
  });

  /** Key `factorId|layer`. */
  readonly layer = once((key: string) => {
    const [factorId, layer] = key.split('|');
    const derived = this.factorById.get(factorId)!.byLayer[layer as keyof FactorScore['byLayer']]!;
    // A term always has levels behind it; should the cited answers give none, the recorded mean
    // stands in, and the rounding checks of the lines show the disagreement.
    const questionExact = (questionId: string) => {
      const { question, exact } = this.question(`${questionId}|${layer}`);
      return exact ?? fromDecimal(question.mean ?? 0);
    };
    const { expression, exact } = weightedMean(derived.terms, questionExact);
    return { derived, arithmetic: line(expression, exact, derived.value, this.rounding), exact };
  });

  readonly factor = once((factorId: string) => {
    const factor = this.factorById.get(factorId)!;
    if (!factor.derivation) return { arithmetic: 'no answers', spreadArithmetic: 'no answers', exact: null };
    const layerExact = (layer: string) => this.layer(`${factorId}|${layer}`).exact;
    const { expression, exact } = weightedMean(factor.derivation.terms, layerExact);
    // The spread is the highest layer score minus the lowest, both unrounded.
    const byValue = factor.derivation.terms.map((t) => layerExact(t.id)).sort(compare);
    const [lowest, highest] = [byValue[0], byValue[byValue.length - 1]];
    return {
      arithmetic: line(expression, exact, factor.score, this.rounding),
      spreadArithmetic: line(`${formatFraction(highest)} − ${formatFraction(lowest)}`, subtract(highest, lowest), factor.spread, this.rounding),
      exact,
    };
  });

  overall(): string {
    const { derivation, score } = this.input.score.overall;
    if (!derivation) return 'no answers';
    const { expression, exact } = weightedMean(derivation.terms, (factorId) => this.factor(factorId).exact!);
    return line(expression, exact, score, this.rounding);
  }
}

function explainFactor(exact: ExactDerivations, factor: FactorScore) {
  const { arithmetic, spreadArithmetic } = exact.factor(factor.factorId);
  const explainLayer = (layer: string) => {
    const { derived, arithmetic } = exact.layer(`${factor.factorId}|${layer}`);
    return {
      layer,
      score: derived.value,
      arithmetic,
      questions: derived.terms.map((term) => {
        const { question, answers, arithmetic } = exact.question(`${term.id}|${layer}`);
        return {
          questionId: term.id,
          weight: term.weight,
          mean: question.mean,
          answered: question.answered,
          dontKnow: question.dontKnow,
          coverage: question.coverage,
          arithmetic,
          answers,
        };
      }),
    };
  };
  return {
    factorId: factor.factorId,
    score: factor.score,
    stage: factor.stage,
    spread: factor.spread,
    arithmetic,
    spreadArithmetic,
    // In the order the factor's line weighs them (the model's): a score read back from PostgreSQL
    // has its `byLayer` keys in jsonb's order instead.
    layers: (factor.derivation?.terms ?? []).map((term) => explainLayer(term.id)),
  };
}

export type FactorExplanation = ReturnType<typeof explainFactor>;

interface ExplanationHeading {
  assessmentId: string;
  scoreEvent?: ScoreEventReference;
  algorithm: string;
  model: ScoreResult['model'];
  /** The rule the algorithm reports its numbers with, as the lines print it. */
  rounding: string;
}

export type OverallExplanation = ExplanationHeading & { overall: number | null; stage: number | null; arithmetic: string; factors: FactorExplanation[] };
export type OneFactorExplanation = ExplanationHeading & FactorExplanation;

/**
 * How a recorded score was reached (pure): for one factor, or for the overall score with every
 * factor, down through layers and questions to the answer events that went in. Every arithmetic
 * line prints exact terms, its exact result and the rounding step apart, so an auditor's
 * calculator gives what it prints (see `line`).
 * @example explainScore({ assessmentId, score, answers }, 'F03').layers[0].questions[0].answers[0].eventId
 */
export function explainScore(input: ScoreToExplain): OverallExplanation;
export function explainScore(input: ScoreToExplain, factorId: string): OneFactorExplanation;
export function explainScore(input: ScoreToExplain, factorId?: string): OverallExplanation | OneFactorExplanation;
export function explainScore(input: ScoreToExplain, factorId?: string): OverallExplanation | OneFactorExplanation {
  const { assessmentId, score, scoreEvent } = input;
  const rounding = REPORTED_ROUNDING[score.algorithm];
  if (!rounding) throw new Error(`no explanation for scoring algorithm ${score.algorithm}: its rounding is unknown`);
  const exact = new ExactDerivations(input, rounding);
  const heading: ExplanationHeading = { assessmentId, ...(scoreEvent ? { scoreEvent } : {}), algorithm: score.algorithm, model: score.model, rounding: rounding.rule };
  if (factorId) {
    const factor = score.factors.find((f) => f.factorId === factorId);
    if (!factor) throw new NotFound('factor', factorId);
    return { ...heading, ...explainFactor(exact, factor) };
  }
  const factors = score.factors.map((factor) => explainFactor(exact, factor));
  return { ...heading, overall: score.overall.score, stage: score.overall.stage, arithmetic: exact.overall(), factors };
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
