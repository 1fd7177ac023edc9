import type { Reaction } from '@maatlat/shared/features';
import type { ModelVersionEvent } from '@maatlat/model-catalogue/domain';
import type { AssessmentEvent } from '@maatlat/assessments/domain';
import type { Recalculations } from './assessments.service';

/**
 * A reaction, run like a projection (checkpointed): a model version published with a crosswalk
 * starts the recalculation of the closed assessments of its predecessor; an assessment closed later
 * (in log order) is added to the recalculations of its model version that started before. Both are
 * idempotent, so a batch that runs again after a crash starts or adds nothing twice.
 * Why both are needed: a close read before the publication had committed when the start looked
 * (the log is fenced below running transactions), and a close read after it finds the start.
 */
export const recalculationTrigger: Reaction<{ recalculations: Recalculations }, ModelVersionEvent | AssessmentEvent> = {
  name: 'recalculation_trigger',
  eventTypes: ['ModelVersionPublished', 'AssessmentClosed'],
  async apply(_trx, events, { recalculations }) {
    for (const event of events) {
      const metadata = { now: event.recordedAt, actor: 'system:recalculation', correlationId: event.metadata.correlationId, causationId: event.eventId };
      if (event.type === 'AssessmentClosed') {
        await recalculations.includeLateClose(event.data.assessmentId, metadata);
      } else if (event.type === 'ModelVersionPublished' && event.data.predecessor) {
        const [key, version] = event.data.predecessor.split('@');
        await recalculations.start(
          { kind: 'model-published', publishedEventId: event.eventId, from: event.data.predecessor, to: `${event.data.key}@${event.data.version}`, crosswalkHash: event.data.crosswalkHash },
          { key: event.data.key, version: event.data.version },
          { key, version },
          metadata,
        );
      }
    }
  },
};
