import { round2 } from '@maatlat/assessments/domain';
import { percentile, seededRandom, seedOf } from './statistics';

/** Factor and overall values of one scoring. */
export interface ScoreFigures {
  overall: number | null;
  factors: Record<string, number | null>;
}

/** One assessment as the bootstrap sees it: its respondents, and its score for any multiset of them. */
export interface RespondentSample {
  assessmentId: string;
  respondents: readonly string[];
  /** The standing figures: what the trend shows for this assessment. */
  figures: ScoreFigures;
  /** Scores a resample of respondents (an id may appear more than once). */
  score(respondents: readonly string[]): ScoreFigures;
}

export type ChangeLabel = 'improved' | 'stable' | 'declined' | 'undetermined';

export interface FigureChange {
  previous: number | null;
  current: number | null;
  delta: number | null;
  /** The 90% bootstrap interval of the change; null when either side has no value or respondents. */
  interval: { lower: number; upper: number } | null;
  /** From the interval, never from the delta: above zero improved, below zero declined, else stable. */
  label: ChangeLabel;
}

export interface ChangeSincePrevious {
  previousAssessmentId: string;
  method: string;
  iterations: number;
  seed: number;
  overall: FigureChange;
  factors: (FigureChange & { factorId: string })[];
}

export const BOOTSTRAP_ITERATIONS = 400;
const CONFIDENCE = 0.9;
export const BOOTSTRAP_METHOD = `percentile bootstrap over respondents, ${CONFIDENCE * 100}% interval (type 7 percentiles of the resampled changes), seeded from the assessment ids`;

function resample(respondents: readonly string[], random: () => number): string[] {
  return respondents.map(() => respondents[Math.floor(random() * respondents.length)]);
}

function labelOf(interval: FigureChange['interval']): ChangeLabel {
  if (!interval) return 'undetermined';
  if (interval.lower > 0) return 'improved';
  if (interval.upper < 0) return 'declined';
  return 'stable';
}

/**
 * Change from the previous assessment to the current one, per factor and overall, with a 90%
 * percentile-bootstrap interval: each iteration resamples the respondents of both assessments
 * with replacement and scores both again. The generator is seeded from the two assessment ids, so
 * every replay gives the same interval. A factor counts when both sides have it (a new factor has
 * no change to show).
 */
export function changeSincePrevious(previous: RespondentSample, current: RespondentSample, iterations = BOOTSTRAP_ITERATIONS): ChangeSincePrevious {
  const seed = seedOf(`${previous.assessmentId}>${current.assessmentId}`);
  const random = seededRandom(seed);
  const factorIds = Object.keys(current.figures.factors).filter((id) => id in previous.figures.factors);
  const resampled: ScoreFigures[][] = [];
  const bootstrappable = previous.respondents.length > 0 && current.respondents.length > 0;
  if (bootstrappable) {
    for (let i = 0; i < iterations; i++) resampled.push([previous.score(resample(previous.respondents, random)), current.score(resample(current.respondents, random))]);
  }
  const changeOf = (read: (figures: ScoreFigures) => number | null): FigureChange => {
    const before = read(previous.figures);
    const after = read(current.figures);
    const delta = before === null || after === null ? null : round2(after - before);
    const deltas = resampled.flatMap(([p, c]) => {
      const a = read(p);
      const b = read(c);
      return a === null || b === null ? [] : [b - a];
    });
    // Resamples that lost the factor entirely (every respondent "don't know") are left out; too
    // few left means no interval.
    const interval =
      delta !== null && deltas.length >= iterations / 2
        ? (() => {
            const sorted = deltas.sort((x, y) => x - y);
            return { lower: round2(percentile(sorted, (1 - CONFIDENCE) / 2)), upper: round2(percentile(sorted, 1 - (1 - CONFIDENCE) / 2)) };
          })()
        : null;
    return { previous: before, current: after, delta, interval, label: labelOf(interval) };
  };
  return {
    previousAssessmentId: previous.assessmentId,
    method: BOOTSTRAP_METHOD,
    iterations: bootstrappable ? iterations : 0,
    seed,
    overall: changeOf((f) => f.overall),
    factors: factorIds.map((factorId) => ({ factorId, ...changeOf((f) => f.factors[factorId] ?? null) })),
  };
}
