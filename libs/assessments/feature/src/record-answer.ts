import type { CommandMetadata } from '@maatlat/shared/domain';
import { handleCommands } from '@maatlat/shared/event-store';
import { foldAssessment } from '@maatlat/assessments/data-access';
import { assertInvitationLayer, assessmentDecider, assessmentStreamId, type AnswerValue, type AssessmentCommand, type EvidenceReference } from '@maatlat/assessments/domain';
import { runAssessmentCommand, type AssessmentsContext } from './assessments.context';

export interface AnswerInput {
  questionId: string;
  answer: AnswerValue;
  /** Personal data: sealed with the respondent's own key before it is recorded. */
  justification?: string;
  evidence?: EvidenceReference[];
}

/**
 * Records or revises a respondent's answer to one question. With `expectedVersion` (If-Match) a
 * stream that moved on is a 409 naming the current version. `invitationLayer`: the layer of the
 * caller's invitation token, which must be the layer the respondent is invited on (403 otherwise).
 */
export async function recordAnswer(
  context: AssessmentsContext,
  assessmentId: string,
  respondentId: string,
  input: AnswerInput,
  metadata: CommandMetadata,
  expectedVersion?: number,
  invitationLayer?: string,
) {
  const history = await context.assessments.read(assessmentId);
  const state = foldAssessment(assessmentId, history);
  // A respondent's layer never changes once invited, so checking it on this read is final.
  assertInvitationLayer(state, respondentId, invitationLayer);
  const justification = input.justification ? await context.vault.seal(respondentId, { justification: input.justification }) : null;
  const { version } = await runAssessmentCommand(
    context,
    assessmentId,
    state.organisationId,
    { type: 'RecordAnswer', data: { respondentId, questionId: input.questionId, answer: input.answer, justification, evidence: input.evidence ?? [] }, metadata },
    { expectedVersion, history },
  );
  return { assessmentId, version, questionId: input.questionId, answer: input.answer };
}

/** A respondent's answers in one go (all or nothing), optionally submitting the response too: bulk entry and seeding. */
export async function recordAnswers(
  context: AssessmentsContext,
  assessmentId: string,
  respondentId: string,
  answers: Omit<AnswerInput, 'justification'>[],
  metadata: CommandMetadata,
  options: { submit?: boolean } = {},
) {
  const organisationId = await context.assessments.organisationOf(assessmentId);
  const withTenant = { ...metadata, tenantId: organisationId };
  const commands: AssessmentCommand[] = answers.map((a) => ({
    type: 'RecordAnswer',
    data: { respondentId, questionId: a.questionId, answer: a.answer, justification: null, evidence: a.evidence ?? [] },
    metadata: withTenant,
  }));
  if (options.submit) commands.push({ type: 'SubmitResponse', data: { respondentId }, metadata: withTenant });
  const outcome = await handleCommands(context.store, assessmentDecider, assessmentStreamId(assessmentId), commands);
  return { assessmentId, version: outcome.result?.nextExpectedVersion ?? 0, recorded: answers.length };
}
