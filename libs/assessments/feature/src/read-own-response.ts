import { Forbidden } from '@maatlat/shared/domain';
import { foldAssessment } from '@maatlat/assessments/data-access';
import { answersOf } from '@maatlat/assessments/domain';
import type { AssessmentsContext } from './assessments.context';

/**
 * What a respondent needs to carry on with their questionnaire: the model version it asks about
 * (its document: the questions and their rubrics),
 * their layer, whether they or the coordinator have finished, and their own latest answers with
 * each answer's revision (the If-Match of the next change). Nobody else's answers, and no sealed
 * justification: the respondent's own key opens that only for an access export.
 */
export async function readOwnResponse(context: AssessmentsContext, assessmentId: string, respondentId: string) {
  // The assessment stream with every response stream: answers, their revisions and submissions live in the latter.
  const { stored, events } = await context.assessments.readWithHashes(assessmentId);
  const state = foldAssessment(assessmentId, stored);
  const invitee = state.invitees[respondentId];
  if (!invitee) throw new Forbidden('the caller is not invited to this assessment');
  const counts = state.answerCounts[invitee.order] ?? [];
  const answers = answersOf(events)
    .filter((answer) => answer.respondentId === respondentId)
    .map((answer) => ({
      questionId: answer.questionId,
      answer: answer.level === null ? { dontKnow: true as const } : { level: answer.level },
      revision: counts[state.questionOrder[answer.questionId]] ?? 1,
    }));
  // The questions themselves: an invitation reaches this assessment's routes only, not the catalogue's.
  const { document } = await context.catalogue.get(state.model.key, state.model.version);
  return { assessmentId, status: state.status, model: state.model, document, layer: invitee.layer, submitted: invitee.submitted, answers };
}
