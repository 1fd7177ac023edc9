import type { Kysely } from 'kysely';
import type { DB } from '@maatlat/shared/database';
import { NotFound, RuleBroken, type CommandMetadata } from '@maatlat/shared/domain';
import { deterministicUuid, domainEvent, GuardRefused, handleCommand, StreamMoved, uuidv7, WrongExpectedVersion, type FoldedStreams, type PostgresEventStore, type RecordedEvent } from '@maatlat/shared/event-store';
import type { InvitationHold } from '@maatlat/access';
import type { ModelCatalogue } from '@maatlat/model-catalogue/data-access';
import type { Chains, Organisations } from '@maatlat/organisations/data-access';
import type { PersonalDataVault, Respondents } from '@maatlat/respondents/data-access';
import type { AssessmentRepository, ExistingAssessment, RecalculationRepository } from '@maatlat/assessments/data-access';
import {
  answeredQuestions,
  assessmentDecider,
  assessmentStreamId,
  responseStreamId,
  type AssessmentCommand,
  type AssessmentEvent,
  type AssessmentState,
  type ResponseEvent,
} from '@maatlat/assessments/domain';

/** What the assessment use cases stand on: the store, their repositories, and other scopes' public services. */
export interface AssessmentsContext {
  db: Kysely<DB>;
  store: PostgresEventStore;
  /** Assessment streams folded in this process: a decision reads only the events since (see FoldedStreams). */
  folded: FoldedStreams<AssessmentState, AssessmentEvent>;
  /**
   * Response streams folded in this process, each over its assessment's state: a respondent's next
   * answer is decided on it and appended with its version without reading first. Streams only grow,
   * so a state that fell behind (another process, another tab) fails its append and is read again.
   */
  responses: FoldedStreams<AssessmentState, AssessmentEvent>;
  assessments: AssessmentRepository;
  recalculations: RecalculationRepository;
  catalogue: ModelCatalogue;
  organisations: Organisations;
  chains: Chains;
  respondents: Respondents;
  vault: PersonalDataVault;
}

/** The assessment as a client sees it after a change: camelCase, no personal data. */
export interface AssessmentSummary {
  assessmentId: string;
  organisationId: string;
  status: 'open' | 'closed';
  /** The stream version: the ETag a client sends back as If-Match. */
  version: number;
  model: ExistingAssessment['model'];
  layers: ExistingAssessment['layers'];
  invitees: { respondentId: string; layer: string; submitted: boolean }[];
  answers: number;
}

export function summaryOf(state: ExistingAssessment, version: number): AssessmentSummary {
  return {
    assessmentId: state.assessmentId,
    organisationId: state.organisationId,
    status: state.status,
    version,
    model: state.model,
    layers: state.layers,
    invitees: Object.entries(state.invitees).map(([respondentId, i]) => ({ respondentId, layer: i.layer, submitted: i.submitted })),
    answers: answeredQuestions(state),
  };
}

/**
 * Decides and appends one command on an assessment stream, within its organisation (every event
 * records the tenant). `history`: the stream as just read, when the caller has it.
 */
export async function runAssessmentCommand(
  context: Pick<AssessmentsContext, 'store'>,
  assessmentId: string,
  organisationId: string,
  command: AssessmentCommand,
  options: { expectedVersion?: number; history?: readonly RecordedEvent<AssessmentEvent>[]; folded?: FoldedStreams<AssessmentState, AssessmentEvent>; maxAttempts?: number } = {},
): Promise<{ state: ExistingAssessment; version: number }> {
  const streamId = assessmentStreamId(assessmentId);
  const withTenant = { ...command, metadata: { ...command.metadata, tenantId: organisationId } satisfies CommandMetadata } as AssessmentCommand;
  const outcome = await handleCommand(context.store, assessmentDecider, streamId, withTenant, options);
  const version = outcome.result?.nextExpectedVersion ?? (await context.store.streamVersion(streamId));
  return { state: outcome.state as ExistingAssessment, version };
}

/** The event types of an assessment stream after which its response streams take no more appends. */
const CLOSING_EVENTS: readonly AssessmentEvent['type'][] = ['AssessmentClosed'];

/** How often a respondent's command starts over when their own stream moved meanwhile (their other tab). */
const RESPONSE_ATTEMPTS = 10;

/**
 * Decides and appends a respondent's commands on their response stream, on the assessment's state
 * with their own response folded over it (invitations, the model and legacy answers come from the
 * assessment stream, which never changes for them once they are invited, and closing is checked by
 * the append itself). The append expects only the response stream's version, so other respondents
 * never conflict; it takes the assessment's guard shared, so an assessment closed meanwhile refuses
 * it (422) rather than losing it. Returns the folded state (the assessment with this response) and
 * the response stream's version.
 *
 * `invitation`: the caller's invitation as checked on the respondent's stream at a version,
 * possibly remembered (InvitationHold). The append holds only while that stream is still there; once
 * it moved (revoked, erased, in any process) the invitation is checked afresh (`renew`, which
 * refuses as the access guard does) and the commands decided again. A success without such an
 * append (a replayed command, nothing to append) renews it first; a refusal is the HTTP layer's to
 * renew (`@InvitationHeldByWrite()`).
 */
export async function runResponseCommands(
  context: Pick<AssessmentsContext, 'store' | 'folded' | 'responses'>,
  assessmentId: string,
  respondentId: string,
  organisationId: string,
  commands: readonly AssessmentCommand[],
  invitation?: InvitationHold,
): Promise<{ state: ExistingAssessment; version: number; appended: number }> {
  const streamId = responseStreamId(assessmentId, respondentId);
  const metadata: CommandMetadata = { ...commands[0].metadata, tenantId: organisationId };
  let hold = invitation;
  const renewed = async () => {
    if (hold) hold = await hold.renew();
  };
  let peekAllowed = true;
  for (let attempt = 1; ; attempt++) {
    const peeked = peekAllowed ? context.responses.peek(streamId) : undefined;
    peekAllowed = false;
    const { state: start, version } = peeked ?? (await loadResponse(context, assessmentId, streamId));
    if (start.status === 'none') throw new NotFound('assessment', assessmentId);
    // A replayed command (Idempotency-Key) returns its first outcome before anything is decided again.
    if (metadata.commandId) {
      const applied = await context.store.findCommandResult(streamId, metadata.commandId);
      if (applied) {
        await renewed();
        return { state: start, version: applied.nextExpectedVersion, appended: 0 };
      }
    }
    let state: AssessmentState = start;
    const events: { eventId: string; type: string; data: unknown }[] = [];
    try {
      for (const command of commands) {
        for (const event of assessmentDecider.decide(command, state)) {
          state = assessmentDecider.evolve(state, event);
          const index = String(events.length);
          events.push({ eventId: metadata.commandId ? deterministicUuid(metadata.now.getTime(), streamId, metadata.commandId, index) : uuidv7(metadata.now.getTime()), type: event.type, data: event.data });
        }
      }
    } catch (refusal) {
      // A remembered state may be behind (an invitation since, a revision in another process): a
      // refusal counts only when decided on the streams as they are.
      if (peeked) continue;
      throw refusal;
    }
    if (events.length === 0) {
      await renewed();
      return { state: start, version, appended: 0 };
    }
    const guard = { streamId: assessmentStreamId(assessmentId), refuseIfAny: CLOSING_EVENTS, unchanged: hold && { streamId: hold.streamId, version: hold.version } };
    try {
      const result = await context.store.append(streamId, version, events, metadata, { guard });
      if (result.duplicate) return { state: (await loadResponse(context, assessmentId, streamId)).state as ExistingAssessment, version: result.nextExpectedVersion, appended: 0 };
      context.responses.remember(streamId, result.nextExpectedVersion, state);
      return { state: state as ExistingAssessment, version: result.nextExpectedVersion, appended: events.length };
    } catch (error) {
      if (error instanceof GuardRefused) throw new RuleBroken('assessment.closed', `assessment ${assessmentId} is closed`);
      if (!(error instanceof WrongExpectedVersion || error instanceof StreamMoved) || attempt >= RESPONSE_ATTEMPTS) throw error;
      // The respondent's stream moved: the invitation is checked on it as it is now (a 401 when
      // revoked or erased); the response stream took nothing, so its remembered state serves again.
      if (error instanceof StreamMoved) {
        await renewed();
        peekAllowed = true;
      }
    }
  }
}

/** The assessment's state (up to date) with the response stream folded over it, and that stream's version. */
async function loadResponse(context: Pick<AssessmentsContext, 'store' | 'folded' | 'responses'>, assessmentId: string, streamId: string): Promise<{ state: AssessmentState; version: number }> {
  const [{ state: assessment }, response] = await Promise.all([context.folded.load(assessmentStreamId(assessmentId)), context.store.readStream<ResponseEvent>(streamId)]);
  let state = assessment;
  for (const event of response) state = assessmentDecider.evolve(state, domainEvent(event));
  const version = response.length ? response[response.length - 1].version : 0;
  context.responses.remember(streamId, version, state);
  return { state, version };
}
