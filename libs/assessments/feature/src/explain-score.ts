import { explainScore, type ScoreEventSelector } from '@maatlat/assessments/domain';
import type { AssessmentsContext } from './assessments.context';

/**
 * How a recorded score was reached (the latest, or the one `scoreEvent` selects): for the overall
 * score or one factor, the layers, the questions and the individual answer events (by stream
 * version and hash), with arithmetic an auditor can reproduce. One factor's part is cut from the
 * score by PostgreSQL, and only the answer events it cites are read, so it costs a few percent of
 * the whole.
 */
export async function explainRecordedScore(context: AssessmentsContext, assessmentId: string, options: { factorId?: string; scoreEvent?: ScoreEventSelector } = {}) {
  const { scoreEvent, score } = await context.assessments.scoreEvent(assessmentId, options.scoreEvent, options.factorId);
  const cited = new Set(score.questions.flatMap((question) => question.sources.map((source) => source.eventId)));
  const answers = await context.assessments.answersCited(assessmentId, [...cited]);
  return explainScore({ assessmentId, scoreEvent, score, answers }, options.factorId);
}
