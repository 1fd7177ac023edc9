import { NotFound, type CommandMetadata } from '@maatlat/shared/domain';
import { WrongExpectedVersion } from '@maatlat/shared/event-store';
import { foldAssessment } from '@maatlat/assessments/data-access';
import { assertInvitationLayer, assessmentStreamId } from '@maatlat/assessments/domain';
import { runResponseCommands, summaryOf, type AssessmentsContext, type AssessmentSummary } from './assessments.context';

/**
 * A respondent submits their response (recorded in their response stream): no answers from them
 * after this. `expectedVersion` (If-Match) is the assessment's version as the respondent saw it.
 * `invitationLayer`: the layer of the caller's invitation token, which must be the layer the
 * respondent is invited on.
 */
export async function submitResponse(
  context: AssessmentsContext,
  assessmentId: string,
  respondentId: string,
  metadata: CommandMetadata,
  expectedVersion?: number,
  invitationLayer?: string,
): Promise<AssessmentSummary> {
  const { state: current, version } = await context.folded.load(assessmentStreamId(assessmentId));
  if (current.status === 'none') throw new NotFound('assessment', assessmentId);
  assertInvitationLayer(current, respondentId, invitationLayer);
  if (expectedVersion !== undefined && expectedVersion !== version) throw new WrongExpectedVersion(assessmentStreamId(assessmentId), expectedVersion, version);
  await runResponseCommands(context, assessmentId, respondentId, current.organisationId, [{ type: 'SubmitResponse', data: { respondentId }, metadata }]);
  const { stored, version: now } = await context.assessments.readWithHashes(assessmentId);
  return summaryOf(foldAssessment(assessmentId, stored), now);
}
