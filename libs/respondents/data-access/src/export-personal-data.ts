import { respondentStreamId, type RespondentEvent, type SealedPersonalData } from '@maatlat/respondents/domain';
import { respondentViewOf } from './read-respondent';
import type { RespondentsContext } from './respondents.context';

/** Everything held about the person, decrypted, with the events that recorded it (AVG art. 15). */
export async function exportPersonalData(context: RespondentsContext, organisationId: string, respondentId: string) {
  // One read: the view and the events listed are the same revision of the stream.
  const events = await context.store.readStream<RespondentEvent>(respondentStreamId(respondentId));
  const view = await respondentViewOf(context, organisationId, respondentId, events);
  // Once erased nothing is opened, even while a key that outlived the erasure still exists.
  const open = (sealed: SealedPersonalData) => (view.status === 'erased' ? null : context.vault.open(respondentId, sealed));
  return {
    legalBasis: 'AVG art. 15',
    exportedAt: new Date().toISOString(),
    respondent: view,
    events: await Promise.all(
      events.map(async (e) => ({
        type: e.type,
        version: e.version,
        recordedAt: e.recordedAt.toISOString(),
        actor: e.metadata.actor,
        personal: e.type === 'RespondentRegistered' || e.type === 'RespondentPersonalDataChanged' ? await open(e.data.personal) : undefined,
      })),
    ),
  };
}
