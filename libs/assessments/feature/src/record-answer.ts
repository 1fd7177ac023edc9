import { NotFound, type CommandMetadata } from '@maatlat/shared/domain';
import { handleCommands } from '@maatlat/shared/event-store';
import { assertInvitationLayer, assessmentDecider, assessmentStreamId, type AnswerValue, type AssessmentCommand, type EvidenceReference } from '@maatlat/assessments/domain';
import { runAssessmentCommand, type AssessmentsContext } from './assessments.context';

/**
 * Appends that meet another respondent's answer try again on the stream as it now is; under a
 * hundred respondents answering at once a few tries are usual, so allow many before giving up.
 */
const ANSWER_ATTEMPTS = 50;

export interface AnswerInput {
  questionId: string;
  answer: AnswerValue;
  /** Personal data: sealed with the respondent's own key before it is recorded. */
  justification?: string;
  evidence?: EvidenceReference[];
}

/**
 * Records or revises a respondent's answer to one question. Respondents' answers are independent
 * facts: another respondent's answer landing meanwhile is no conflict (the append retries on the
 * stream as it now is, reading only what is new). `expectedRevision` (If-Match on the answer) is
 * how many times the respondent had answered the question when they last saw it: another writer
 * of the same answer since is a 409 naming its current revision. `invitationLayer`: the layer of the
 * caller's invitation token, which must be the layer the respondent is invited on (403 otherwise).
 */
export async function recordAnswer(
  context: AssessmentsContext,
  assessmentId: string,
  respondentId: string,
  input: AnswerInput,
  metadata: CommandMetadata,
  expectedRevision?: number,
  invitationLayer?: string,
) {
  const { state: seen } = await context.folded.load(assessmentStreamId(assessmentId));
  if (seen.status === 'none') throw new NotFound('assessment', assessmentId);
  // A respondent's layer never changes once invited, so checking it on this read is final.
  assertInvitationLayer(seen, respondentId, invitationLayer);
  const justification = input.justification ? await context.vault.seal(respondentId, { justification: input.justification }) : null;
  const { state, version } = await runAssessmentCommand(
    context,
    assessmentId,
    seen.organisationId,
    { type: 'RecordAnswer', data: { respondentId, questionId: input.questionId, answer: input.answer, justification, evidence: input.evidence ?? [], ...(expectedRevision === undefined ? {} : { expectedRevision }) }, metadata },
    { folded: context.folded, maxAttempts: ANSWER_ATTEMPTS },
  );
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
