import type { Projection } from '@maatlat/shared/event-store';
import type { AssessmentEvent } from '@maatlat/assessments/domain';

/** Which assessments exist, whose, on which model version and whether closed. */
export const assessmentsProjection: Projection<AssessmentEvent> = {
  name: 'assessments',
  tables: ['assessments'],
  eventTypes: ['AssessmentOpened', 'AssessmentClosed'],
  async apply(trx, events) {
    for (const event of events) {
      if (event.type === 'AssessmentOpened') {
        await trx
          .insertInto('assessments')
          .values({
            assessment_id: event.data.assessmentId,
            organisation_id: event.data.organisationId,
            period: event.data.period,
            model_key: event.data.model.key,
            model_version: event.data.model.version,
            status: 'open',
            opened_at: event.recordedAt,
          })
          .execute();
      } else if (event.type === 'AssessmentClosed') {
        await trx.updateTable('assessments').set({ status: 'closed', closed_at: event.recordedAt }).where('assessment_id', '=', event.data.assessmentId).execute();
      }
    }
  },
  async reset(trx) {
    await trx.deleteFrom('assessments').execute();
  },
};
