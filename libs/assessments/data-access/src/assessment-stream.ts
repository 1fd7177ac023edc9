import type { PostgresEventStore, StoredEvent } from '@maatlat/shared/event-store';
import { assessmentStreamId, type AssessmentEvent, type RecordedAssessmentEvent } from '@maatlat/assessments/domain';

/**
 * An assessment's events with each one's place and hash in the chain: what scores cite as their
 * sources, so scoring and every replay of it must read them the same way.
 */
export async function readAssessmentStream(
  store: PostgresEventStore,
  assessmentId: string,
  asOf?: Date,
): Promise<{ stored: StoredEvent[]; events: RecordedAssessmentEvent[] }> {
  const stored = await store.readStream(assessmentStreamId(assessmentId), { asOf, withHashes: true });
  return {
    stored,
    events: stored.map((e) => ({ version: e.version, eventId: e.eventId, hash: e.hash!, event: { type: e.type, data: e.data } as AssessmentEvent })),
  };
}
