import type { Pool } from 'pg';

/** The event store's chain functions (`contentHash`, `genesisHash`, `linkHash`), passed in: the event store's own tests use this library. */
export interface ChainFunctions {
  contentHash(event: { eventId: string; type: string; schemaVersion: number; data: unknown; metadata: unknown }): Buffer;
  genesisHash(streamId: string): Buffer;
  linkHash(previous: Buffer, content: Buffer, version: number, recordedAt: Date): Buffer;
}

/**
 * What someone with full database access could do: change a stream's first event and recompute
 * its whole hash chain and head, past the immutability triggers. The per-stream chain then holds;
 * only a signed checkpoint taken before can tell.
 */
export async function rewriteStreamWithChain(pool: Pool, chain: ChainFunctions, streamId: string, change: (data: Record<string, unknown>) => void): Promise<void> {
  const { contentHash, genesisHash, linkHash } = chain;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query("SET LOCAL session_replication_role = 'replica'");
    const { rows } = await client.query('SELECT version, event_id, type, schema_version, data, metadata, recorded_at FROM events WHERE stream_id = $1 ORDER BY version', [streamId]);
    let previous = genesisHash(streamId);
    for (const [i, row] of rows.entries()) {
      if (i === 0) change(row.data);
      const content = contentHash({ eventId: row.event_id, type: row.type, schemaVersion: row.schema_version, data: row.data, metadata: row.metadata });
      const link = linkHash(previous, content, Number(row.version), row.recorded_at);
      await client.query('UPDATE events SET data = $3, content_hash = $4, previous_hash = $5, hash = $6 WHERE stream_id = $1 AND version = $2', [streamId, row.version, row.data, content, previous, link]);
      previous = link;
    }
    await client.query('UPDATE streams SET head_hash = $2 WHERE stream_id = $1', [streamId, previous]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}
