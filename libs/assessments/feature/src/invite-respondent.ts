import type { CommandMetadata } from '@maatlat/shared/domain';
import type { LayerId } from '@maatlat/model-catalogue/domain';
import { runAssessmentCommand, summaryOf, type AssessmentsContext, type AssessmentSummary } from './assessments.context';

/** Invites a respondent of the assessment's organisation to answer for one layer. */
export async function inviteRespondent(context: AssessmentsContext, assessmentId: string, respondentId: string, layer: LayerId, metadata: CommandMetadata, expectedVersion?: number): Promise<AssessmentSummary> {
  const organisationId = await context.assessments.organisationOf(assessmentId);
  await context.respondents.get(organisationId, respondentId);
  const { state, version } = await runAssessmentCommand(context, assessmentId, organisationId, { type: 'InviteToAssessment', data: { respondentId, layer }, metadata }, { expectedVersion });
  return summaryOf(state, version);
}
