import { sql } from 'kysely';
import type { Projection } from './projection';

/**
 * Which streams exist, of what category and organisation, how long and since when: the index an
 * auditor or an archival export starts from. One multi-row upsert per batch.
 */
export const streamIndexProjection: Projection = {
  name: 'stream_index',
  // Every stream is indexed, whatever its events.
  eventTypes: 'all',
  tables: ['stream_index'],
  readsData: false,
  async apply(trx, events) {
    const byStream = new Map<string, { category: string; tenantId: string | null; version: number; count: number; first: Date; last: Date; type: string }>();
    for (const event of events) {
      const seen = byStream.get(event.streamId);
      if (seen) {
        seen.version = Math.max(seen.version, event.version);
        seen.count += 1;
        if (event.recordedAt > seen.last) seen.last = event.recordedAt;
        seen.type = event.type;
        seen.tenantId ??= event.metadata.tenantId ?? null;
      } else {
        const dash = event.streamId.indexOf('-');
        byStream.set(event.streamId, {
          category: dash > 0 ? event.streamId.slice(0, dash) : event.streamId,
          tenantId: event.metadata.tenantId ?? null,
          version: event.version,
          count: 1,
          first: event.recordedAt,
          last: event.recordedAt,
          type: event.type,
        });
      }
    }
    const rows = [...byStream].map(([streamId, s]) => ({
      stream_id: streamId,
      category: s.category,
      tenant_id: s.tenantId,
      version: s.version,
      event_count: s.count,
      first_recorded_at: s.first,
      last_recorded_at: s.last,
      last_event_type: s.type,
    }));
    await trx
      .insertInto('stream_index')
      .values(rows)
      .onConflict((oc) =>
        oc.column('stream_id').doUpdateSet({
          tenant_id: sql`coalesce(stream_index.tenant_id, excluded.tenant_id)`,
          version: sql`greatest(stream_index.version, excluded.version)`,
          event_count: sql`stream_index.event_count + excluded.event_count`,
          last_recorded_at: sql`greatest(stream_index.last_recorded_at, excluded.last_recorded_at)`,
          last_event_type: sql`excluded.last_event_type`,
        }),
      )
      .execute();
  },
  async reset(trx) {
    await trx.deleteFrom('stream_index').execute();
  },
};
