import type { Projection } from '@maatlat/shared/event-store';
import type { RespondentEvent } from '@maatlat/respondents/domain';
import { destroyDataKey } from './personal-data-vault';

/**
 * Respondents by pseudonym and organisation, with their status; personal data never lands here.
 * An erasure is recorded before its key is destroyed: should the process that recorded it die in
 * between, the key is destroyed here, so every recorded erasure ends in a destroyed key.
 */
export const respondentsProjection: Projection<RespondentEvent> = {
  name: 'respondents',
  // person_keys is not its table: destroying an erased respondent's key is an effect, done at once even in a rebuild.
  tables: ['respondents'],
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
        await destroyDataKey(trx, event.data.respondentId);
      }
    }
  },
  async reset(trx) {
    await trx.deleteFrom('respondents').execute();
  },
};
