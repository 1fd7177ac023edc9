import type { CommandMetadata } from '@maatlat/shared/domain';
import { foldAssessment } from '@maatlat/assessments/data-access';
import { assertInvitationLayer } from '@maatlat/assessments/domain';
import { runAssessmentCommand, summaryOf, type AssessmentsContext, type AssessmentSummary } from './assessments.context';

/**
 * A respondent submits their response: no answers from them after this. `invitationLayer`: the
 * layer of the caller's invitation token, which must be the layer the respondent is invited on.
 */
export async function submitResponse(
  context: AssessmentsContext,
  assessmentId: string,
  respondentId: string,
  metadata: CommandMetadata,
  expectedVersion?: number,
  invitationLayer?: string,
): Promise<AssessmentSummary> {
  const history = await context.assessments.read(assessmentId);
  const current = foldAssessment(assessmentId, history);
  assertInvitationLayer(current, respondentId, invitationLayer);
  const { state, version } = await runAssessmentCommand(context, assessmentId, current.organisationId, { type: 'SubmitResponse', data: { respondentId }, metadata }, { expectedVersion, history });
  return summaryOf(state, version);
}
