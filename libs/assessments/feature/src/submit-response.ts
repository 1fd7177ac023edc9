import type { CommandMetadata } from '@maatlat/shared/domain';
import { runAssessmentCommand, summaryOf, type AssessmentsContext, type AssessmentSummary } from './assessments.context';

/** A respondent submits their response: no answers from them after this. */
export async function submitResponse(context: AssessmentsContext, assessmentId: string, respondentId: string, metadata: CommandMetadata, expectedVersion?: number): Promise<AssessmentSummary> {
  const organisationId = await context.assessments.organisationOf(assessmentId);
  const { state, version } = await runAssessmentCommand(context, assessmentId, organisationId, { type: 'SubmitResponse', data: { respondentId }, metadata }, { expectedVersion });
  return summaryOf(state, version);
}
