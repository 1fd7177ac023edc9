import type { Projection } from '@maatlat/shared/event-store';
import type { RespondentEvent } from '@maatlat/respondents/domain';

/** Respondents by pseudonym and organisation, with their status; personal data never lands here. */
export const respondentsProjection: Projection<RespondentEvent> = {
  name: 'respondents',
  eventTypes: ['RespondentRegistered', 'RespondentErased'],
  async apply(trx, events) {
    for (const event of events) {
      if (event.type === 'RespondentRegistered') {
        await trx
          .insertInto('respondents')
          .values({ respondent_id: event.data.respondentId, organisation_id: event.data.organisationId, status: 'active', registered_at: event.recordedAt })
          .execute();
      } else if (event.type === 'RespondentErased') {
        await trx.updateTable('respondents').set({ status: 'erased', erased_at: event.recordedAt }).where('respondent_id', '=', event.data.respondentId).execute();
      }
    }
  },
  async reset(trx) {
    await trx.deleteFrom('respondents').execute();
  },
};
