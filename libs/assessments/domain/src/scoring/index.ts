import type { ModelDocument } from '@maatlat/model-catalogue/domain';
import type { Resampler, ScoreResult, ScoringAnswer } from './scoring.types';
import { resamplerV1, scoreV1, SCORING_V1 } from './v1';

export interface ScoringAlgorithm {
  score(model: ModelDocument, contentHash: string, answers: readonly ScoringAnswer[]): ScoreResult;
  /** Scores multisets of these respondents, with the figures `score` reports. */
  resampler(model: ModelDocument, answersByRespondent: ReadonlyMap<string, readonly ScoringAnswer[]>): Resampler;
}

/** Every scoring algorithm ever used stays here, so a recorded score replays with its own version. */
export const SCORING_ALGORITHMS: Record<string, ScoringAlgorithm> = {
  [SCORING_V1]: { score: scoreV1, resampler: resamplerV1 },
};

export const CURRENT_SCORING_ALGORITHM = SCORING_V1;

function algorithmOf(algorithm: string): ScoringAlgorithm {
  const found = SCORING_ALGORITHMS[algorithm];
  if (!found) throw new Error(`unknown scoring algorithm ${algorithm}`);
  return found;
}

export function scoreWith(algorithm: string, model: ModelDocument, contentHash: string, answers: readonly ScoringAnswer[]): ScoreResult {
  return algorithmOf(algorithm).score(model, contentHash, answers);
}

export function resamplerWith(algorithm: string, model: ModelDocument, answersByRespondent: ReadonlyMap<string, readonly ScoringAnswer[]>): Resampler {
  return algorithmOf(algorithm).resampler(model, answersByRespondent);
}

export { round2 } from './rounding';
export { resamplerV1, scoreV1, SCORING_V1, stageOf } from './v1';
export type * from './scoring.types';
