import { foldEvents, type PostgresEventStore } from '@maatlat/shared/event-store';
import { invitationRefusal, respondentDecider, respondentStreamId, type InvitationClaim, type RespondentEvent } from '@maatlat/respondents/domain';

/**
 * Why a validly signed invitation token is refused all the same (the respondent erased, the
 * invitation revoked or never recorded); undefined when it is honoured. Asked on every request
 * that carries one, so it costs one read of the respondent's stream, which stays short.
 */
export async function refusalOfInvitation(store: PostgresEventStore, claim: InvitationClaim): Promise<string | undefined> {
  const events = await store.readStream<RespondentEvent>(respondentStreamId(claim.respondentId));
  return invitationRefusal(foldEvents(respondentDecider, events), claim);
}
