import { NotFound, type CommandMetadata } from '@maatlat/shared/domain';
import { foldEvents, handleCommand } from '@maatlat/shared/event-store';
import { respondentDecider, respondentStreamId, type RespondentEvent } from '@maatlat/respondents/domain';
import type { RespondentsContext } from './respondents.context';

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
  context: RespondentsContext,
  organisationId: string,
  respondentId: string,
  invitationId: string,
  metadata: CommandMetadata,
  expectedRevision?: number,
): Promise<RevokedInvitationView> {
  const streamId = respondentStreamId(respondentId);
  const events = await context.store.readStream<RespondentEvent>(streamId);
  const state = foldEvents(respondentDecider, events);
  if (state.status === 'none' || state.organisationId !== organisationId) throw new NotFound('respondent', respondentId);
  const outcome = await handleCommand(
    context.store,
    respondentDecider,
    streamId,
    { type: 'RevokeInvitation', data: { invitationId }, metadata: { ...metadata, tenantId: organisationId, reason: metadata.reason ?? 'invitation revoked' } },
    { expectedVersion: expectedRevision, history: events },
  );
  const revision = outcome.result?.nextExpectedVersion ?? (await context.store.streamVersion(streamId));
  return { respondentId, invitationId, status: 'revoked', revision };
}
