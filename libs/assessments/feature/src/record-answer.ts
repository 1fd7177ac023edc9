import type { CommandMetadata } from '@maatlat/shared/domain';
import { assertInvitationLayer, assessmentStreamId, responseStreamId, type AnswerValue, type AssessmentCommand, type EvidenceReference } from '@maatlat/assessments/domain';
import type { InvitationHold } from '@maatlat/access';
import { runResponseCommands, type AssessmentsContext } from './assessments.context';

export interface AnswerInput {
  questionId: string;
  answer: AnswerValue;
  /** Personal data: sealed with the respondent's own key before it is recorded. */
  justification?: string;
  evidence?: EvidenceReference[];
}

/**
 * Records or revises a respondent's answer to one question, in the respondent's own response
 * stream: respondents' answers are independent facts, so another respondent's answer is never a
 * conflict. `expectedRevision` (If-Match on the answer) is how many times the respondent had
 * answered the question when they last saw it: another writer of the same answer since is a 409
 * naming its current revision. `invitationLayer`: the layer of the caller's invitation token, which
 * must be the layer the respondent is invited on (403 otherwise). `invitation`: the caller's
 * invitation as the access guard found it honoured, which the append holds to (runResponseCommands).
 */
export async function recordAnswer(
  context: AssessmentsContext,
  assessmentId: string,
  respondentId: string,
  input: AnswerInput,
  metadata: CommandMetadata,
  expectedRevision?: number,
  invitationLayer?: string,
  invitation?: InvitationHold,
) {
  const known = context.responses.peek(responseStreamId(assessmentId, respondentId))?.state;
  const seen = known ?? (await context.folded.load(assessmentStreamId(assessmentId))).state;
  const organisationId = seen.status === 'none' ? '' : seen.organisationId;
  // A respondent's layer never changes once invited, so checking it on this read is final.
  assertInvitationLayer(seen, respondentId, invitationLayer);
  const justification = input.justification ? await context.vault.seal(respondentId, { justification: input.justification }) : null;
  const { state, version } = await runResponseCommands(context, assessmentId, respondentId, organisationId, [
    { type: 'RecordAnswer', data: { respondentId, questionId: input.questionId, answer: input.answer, justification, evidence: input.evidence ?? [], ...(expectedRevision === undefined ? {} : { expectedRevision }) }, metadata },
  ], invitation);
  const invitee = state.invitees[respondentId];
  const revision = state.answerCounts[invitee.order]?.[state.questionOrder[input.questionId]] ?? 0;
  return { assessmentId, version, questionId: input.questionId, answer: input.answer, revision };
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
  const commands: AssessmentCommand[] = answers.map((a) => ({
    type: 'RecordAnswer',
    data: { respondentId, questionId: a.questionId, answer: a.answer, justification: null, evidence: a.evidence ?? [] },
    metadata,
  }));
  if (options.submit) commands.push({ type: 'SubmitResponse', data: { respondentId }, metadata });
  if (commands.length === 0) return { assessmentId, version: 0, recorded: 0 };
  const { version } = await runResponseCommands(context, assessmentId, respondentId, organisationId, commands);
  return { assessmentId, version, recorded: answers.length };
}
