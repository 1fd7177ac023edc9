import { NotFound } from '@maatlat/shared/domain';
import { foldEvents, type RecordedEvent } from '@maatlat/shared/event-store';
import { respondentDecider, respondentStreamId, type PersonalData, type RespondentEvent } from '@maatlat/respondents/domain';
import type { RespondentsContext, RespondentView } from './respondents.context';

/** One respondent, decrypted for those entitled to see it. */
export async function readRespondent(context: RespondentsContext, organisationId: string, respondentId: string): Promise<RespondentView> {
  return respondentViewOf(context, organisationId, respondentId, await context.store.readStream<RespondentEvent>(respondentStreamId(respondentId)));
}

/** The respondent as these events of its stream (all of them) show it. */
export async function respondentViewOf(context: RespondentsContext, organisationId: string, respondentId: string, events: readonly RecordedEvent<RespondentEvent>[]): Promise<RespondentView> {
  const state = foldEvents(respondentDecider, events);
  if (state.status === 'none' || state.organisationId !== organisationId) throw new NotFound('respondent', respondentId);
  const personal = state.status === 'erased' ? null : await latestPersonal(context, respondentId, events);
  return { respondentId, organisationId, status: state.status, personal, revision: events[events.length - 1].version };
}

export async function listRespondents(context: RespondentsContext, organisationId: string): Promise<RespondentView[]> {
  const rows = await context.db.selectFrom('respondents').select('respondent_id').where('organisation_id', '=', organisationId).orderBy('registered_at').execute();
  return Promise.all(rows.map((r) => readRespondent(context, organisationId, r.respondent_id)));
}

async function latestPersonal(context: RespondentsContext, respondentId: string, events: readonly RecordedEvent<RespondentEvent>[]): Promise<PersonalData | null> {
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i];
    if (event.type === 'RespondentRegistered' || event.type === 'RespondentPersonalDataChanged') return context.vault.open(respondentId, event.data.personal);
  }
  return null;
}
