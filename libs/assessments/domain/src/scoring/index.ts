import type { ModelDocument } from '@maatlat/model-catalogue/domain';
import type { ScoreResult, ScoringAnswer } from './scoring.types';
import { scoreV1, SCORING_V1 } from './v1';

/** Every scoring algorithm ever used stays here, so a recorded score replays with its own version. */
export const SCORING_ALGORITHMS: Record<string, (model: ModelDocument, contentHash: string, answers: readonly ScoringAnswer[]) => ScoreResult> = {
  [SCORING_V1]: scoreV1,
};

export const CURRENT_SCORING_ALGORITHM = SCORING_V1;

export function scoreWith(algorithm: string, model: ModelDocument, contentHash: string, answers: readonly ScoringAnswer[]): ScoreResult {
  const score = SCORING_ALGORITHMS[algorithm];
  if (!score) throw new Error(`unknown scoring algorithm ${algorithm}`);
  return score(model, contentHash, answers);
}

export { round2 } from './rounding';
export { scoreV1, SCORING_V1, stageOf } from './v1';
export type * from './scoring.types';
