import type { Kysely } from 'kysely';
import type { DB } from '@maatlat/shared/database';
import type { PostgresEventStore, StoredEvent } from '@maatlat/shared/event-store';
import { assessmentStreamId, type AssessmentEvent, type RecordedAssessmentEvent } from '@maatlat/assessments/domain';

/**
 * An assessment's events with each one's place and hash in the chain: what scores cite as their
 * sources, so scoring and every replay of it must read them the same way.
 */
export async function readAssessmentStream(
  db: Kysely<DB>,
  store: PostgresEventStore,
  assessmentId: string,
  asOf?: Date,
): Promise<{ stored: StoredEvent[]; events: RecordedAssessmentEvent[] }> {
  const streamId = assessmentStreamId(assessmentId);
  const stored = await store.readStream(streamId, { asOf });
  if (stored.length === 0) return { stored, events: [] };
  const hashes = await db
    .selectFrom('events')
    .select(['version', 'hash'])
    .where('stream_id', '=', streamId)
    .where('version', '<=', stored[stored.length - 1].version)
    .execute();
  const hashOf = new Map(hashes.map((h) => [Number(h.version), h.hash.toString('hex')]));
  return {
    stored,
    events: stored.map((e) => ({ version: e.version, eventId: e.eventId, hash: hashOf.get(e.version) ?? '', event: { type: e.type, data: e.data } as AssessmentEvent })),
  };
}
