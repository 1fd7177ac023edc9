import { NotFound, type CommandMetadata } from '@maatlat/shared/domain';
import { foldEvents, handleCommand, type PostgresEventStore } from '@maatlat/shared/event-store';
import { respondentDecider, respondentStreamId, type RespondentEvent } from '@maatlat/respondents/domain';

export interface RevokedInvitationView {
  respondentId: string;
  invitationId: string;
  status: 'revoked';
  /** The respondent's stream version: the ETag a client sends back as If-Match. */
  revision: number;
}

/**
 * Revokes an invitation: from the next request on, its token is refused, though it is validly
 * signed and has not expired. Revoking a revoked invitation changes nothing.
 */
export async function revokeInvitation(
  store: PostgresEventStore,
  organisationId: string,
  respondentId: string,
  invitationId: string,
  metadata: CommandMetadata,
  expectedRevision?: number,
): Promise<RevokedInvitationView> {
  const streamId = respondentStreamId(respondentId);
  const events = await store.readStream<RespondentEvent>(streamId);
  const state = foldEvents(respondentDecider, events);
  if (state.status === 'none' || state.organisationId !== organisationId) throw new NotFound('respondent', respondentId);
  const outcome = await handleCommand(
    store,
    respondentDecider,
    streamId,
    { type: 'RevokeInvitation', data: { invitationId }, metadata: { ...metadata, tenantId: organisationId, reason: metadata.reason ?? 'invitation revoked' } },
    { expectedVersion: expectedRevision, history: events },
  );
  const revision = outcome.result?.nextExpectedVersion ?? (await store.streamVersion(streamId));
  return { respondentId, invitationId, status: 'revoked', revision };
}
