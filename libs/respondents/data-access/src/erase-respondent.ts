import { NotFound, type CommandMetadata } from '@maatlat/shared/domain';
import { foldEvents, handleCommand } from '@maatlat/shared/event-store';
import { respondentDecider, respondentStreamId, type RespondentEvent } from '@maatlat/respondents/domain';
import type { RespondentsContext, RespondentView } from './respondents.context';

/**
 * Erasure (AVG art. 17): first recorded, then the key destroyed. Should anything fail in between,
 * the erasure is on record and the respondent shown erased, and the key is destroyed by what
 * comes next: a retried erasure (of an erased respondent, whatever revision it names) or the
 * respondents projection. The other order could lose the data with no event to say so.
 */
export async function eraseRespondent(context: RespondentsContext, organisationId: string, respondentId: string, metadata: CommandMetadata, expectedRevision?: number): Promise<RespondentView> {
  const streamId = respondentStreamId(respondentId);
  const events = await context.store.readStream<RespondentEvent>(streamId);
  const state = foldEvents(respondentDecider, events);
  if (state.status === 'none' || state.organisationId !== organisationId) throw new NotFound('respondent', respondentId);
  let revision = events[events.length - 1].version;
  if (state.status === 'active') {
    const outcome = await handleCommand(
      context.store,
      respondentDecider,
      streamId,
      { type: 'EraseRespondent', data: {}, metadata: { ...metadata, tenantId: organisationId, reason: metadata.reason ?? 'erasure request (AVG art. 17)' } },
      { expectedVersion: expectedRevision, history: events },
    );
    revision = outcome.result?.nextExpectedVersion ?? (await context.store.streamVersion(streamId));
  }
  await context.vault.destroyKey(respondentId);
  return { respondentId, organisationId, status: 'erased', personal: null, revision };
}
