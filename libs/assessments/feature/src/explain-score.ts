import { explainScore } from '@maatlat/assessments/domain';
import type { AssessmentsContext } from './assessments.context';

/**
 * How the latest score was reached: for the overall score or one factor, the layers, the questions
 * and the individual answer events (by stream version and hash), with the arithmetic as text.
 * One factor's part is cut from the score by PostgreSQL, so it costs a few percent of the whole.
 */
export async function explainLatestScore(context: AssessmentsContext, assessmentId: string, factorId?: string) {
  const score = factorId ? await context.assessments.latestScoreOfFactor(assessmentId, factorId) : await context.assessments.latestScore(assessmentId);
  return explainScore(assessmentId, score, factorId);
}
