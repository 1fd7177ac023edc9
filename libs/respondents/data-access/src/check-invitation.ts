import { foldEvents } from '@maatlat/shared/event-store';
import { invitationRefusal, respondentDecider, respondentStreamId, type InvitationClaim, type RespondentEvent } from '@maatlat/respondents/domain';
import type { RespondentsContext } from './respondents.context';

/**
 * Why a validly signed invitation token is refused all the same (the respondent erased, the
 * invitation revoked or never recorded); undefined when it is honoured. On the respondent's stream
 * as it is now: one read of it, which stays short.
 */
export async function refusalOfInvitation(context: RespondentsContext, claim: InvitationClaim): Promise<string | undefined> {
  const events = await context.store.readStream<RespondentEvent>(respondentStreamId(claim.respondentId));
  return invitationRefusal(foldEvents(respondentDecider, events), claim);
}

/** Why the invitation is refused, or the respondent's stream and the version it was honoured at. */
export type InvitationVerdict = { refusal: string } | { refusal?: undefined; streamId: string; version: number };

/**
 * The same check on the respondent's stream as this process last folded it, without reading it
 * when it was folded before (`fresh`: read what came since first). Honoured, it names the version
 * it was honoured at: a write that appends only while that stream is still there (the event
 * store's `AppendGuard.unchanged`) is refused once the invitation was revoked or the respondent
 * erased, in whichever process. A refusal is never taken from memory: a remembered state that
 * refuses (an invitation issued since) is read up to now and checked again.
 */
export async function verdictOnInvitation(context: RespondentsContext, claim: InvitationClaim, options: { fresh?: boolean } = {}): Promise<InvitationVerdict> {
  const streamId = respondentStreamId(claim.respondentId);
  const remembered = options.fresh ? undefined : context.invitationStates.peek(streamId);
  if (remembered && invitationRefusal(remembered.state, claim) === undefined) return { streamId, version: remembered.version };
  const { state, version } = await context.invitationStates.load(streamId);
  const refusal = invitationRefusal(state, claim);
  return refusal === undefined ? { streamId, version } : { refusal };
}
