import { Kysely, sql, type Selectable } from 'kysely';
import type { DB, EventsTable } from '@maatlat/shared/database';
import { contentHash, genesisHash, linkHash } from './hashing';

export interface ChainBreak {
  streamId: string;
  /** The first version at which the stream's chain no longer holds. */
  version: number;
  problem: string;
}

export interface VerifyReport {
  ok: boolean;
  streamsChecked: number;
  eventsChecked: number;
  /** At most one entry per stream: its first broken link. */
  breaks: ChainBreak[];
}

/** An events row as the chain walk reads it: everything but its place in the global log. */
type ChainRow = Omit<Selectable<EventsTable>, 'position' | 'transaction_id'>;

interface StreamWalk {
  streamId: string;
  nextVersion: number;
  previousHash: Buffer;
  broken: boolean;
}

/**
 * Walks every stream's hash chain (or one stream's) and reports, per stream, the first link that
 * does not hold: altered content, a rewritten hash, a missing or extra version, or a stream head
 * that does not match its last event. Reads in keyset-paged batches, so memory stays flat.
 * `streamIds`: only these streams (an assessment's own and its response streams).
 * @example const report = await verifyEventStore(db, { streamId: 'assessment-1' });
 */
export async function verifyEventStore(
  db: Kysely<DB>,
  options: { streamId?: string; streamIds?: readonly string[]; batchSize?: number } = {},
): Promise<VerifyReport> {
  const batchSize = options.batchSize ?? 5000;
  const breaks: ChainBreak[] = [];
  const only = options.streamIds ? [...options.streamIds] : options.streamId !== undefined ? [options.streamId] : undefined;
  const heads = await loadHeads(db, only);
  let eventsChecked = 0;
  let walk: StreamWalk | undefined;
  const streamsSeen = new Set<string>();

  const finish = (current: StreamWalk) => {
    const head = heads.get(current.streamId);
    if (current.broken) return;
    if (!head) {
      breaks.push({ streamId: current.streamId, version: 1, problem: 'events exist for a stream that has no head row' });
    } else if (head.version !== current.nextVersion - 1) {
      breaks.push({
        streamId: current.streamId,
        version: Math.min(head.version, current.nextVersion - 1) + 1,
        problem: `the stream head says version ${head.version} but the events end at version ${current.nextVersion - 1}`,
      });
    } else if (!head.hash.equals(current.previousHash)) {
      breaks.push({ streamId: current.streamId, version: head.version, problem: 'the stream head hash does not match its last event' });
    }
  };

  let after: { streamId: string; version: number } | undefined;
  for (;;) {
    const rows = await readBatch(db, only, after, batchSize);
    for (const row of rows) {
      eventsChecked += 1;
      if (!walk || walk.streamId !== row.stream_id) {
        if (walk) finish(walk);
        walk = { streamId: row.stream_id, nextVersion: 1, previousHash: genesisHash(row.stream_id), broken: false };
        streamsSeen.add(row.stream_id);
      }
      if (walk.broken) continue;
      const version = Number(row.version);
      const problem = checkLink(row, version, walk);
      if (problem) {
        breaks.push({ streamId: row.stream_id, version: Math.min(version, walk.nextVersion), problem });
        walk.broken = true;
        continue;
      }
      walk.nextVersion = version + 1;
      walk.previousHash = row.hash;
    }
    if (rows.length < batchSize) break;
    const last = rows[rows.length - 1];
    after = { streamId: last.stream_id, version: Number(last.version) };
  }
  if (walk) finish(walk);

  for (const [streamId, head] of heads) {
    if (!streamsSeen.has(streamId) && head.version > 0) {
      breaks.push({ streamId, version: 1, problem: `the stream head says version ${head.version} but the stream has no events` });
    }
  }
  breaks.sort((a, b) => (a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : a.version - b.version));
  return { ok: breaks.length === 0, streamsChecked: new Set([...streamsSeen, ...heads.keys()]).size, eventsChecked, breaks };
}

function checkLink(row: ChainRow, version: number, walk: StreamWalk): string | undefined {
  if (version !== walk.nextVersion) {
    return version > walk.nextVersion ? `version ${walk.nextVersion} is missing` : `version ${version} appears twice`;
  }
  const recomputed = contentHash({
    eventId: row.event_id,
    type: row.type,
    schemaVersion: row.schema_version,
    data: row.data,
    metadata: row.metadata,
  });
  if (!recomputed.equals(row.content_hash)) return 'the event content does not match its content hash';
  if (!row.previous_hash.equals(walk.previousHash)) return 'the previous-hash link does not match the preceding event';
  if (!linkHash(row.previous_hash, row.content_hash, version, row.recorded_at).equals(row.hash)) {
    return 'the link hash does not match the event';
  }
  return undefined;
}

async function loadHeads(db: Kysely<DB>, only?: readonly string[]): Promise<Map<string, { version: number; hash: Buffer }>> {
  if (only?.length === 0) return new Map();
  const rows = await db
    .selectFrom('streams')
    .select(['stream_id', 'version', 'head_hash'])
    .$if(only !== undefined, (q) => q.where('stream_id', 'in', only!))
    .execute();
  return new Map(rows.map((r) => [r.stream_id, { version: Number(r.version), hash: r.head_hash }]));
}

async function readBatch(
  db: Kysely<DB>,
  only: readonly string[] | undefined,
  after: { streamId: string; version: number } | undefined,
  limit: number,
): Promise<ChainRow[]> {
  if (only?.length === 0) return [];
  const { rows } = await sql<ChainRow>`
    SELECT stream_id, version, event_id, type, schema_version, data, metadata, recorded_at,
           content_hash, previous_hash, hash
      FROM events
     WHERE true
       ${only !== undefined ? sql`AND stream_id = ANY(${[...only]}::text[])` : sql``}
       ${after ? sql`AND (stream_id, version) > (${after.streamId}, ${after.version})` : sql``}
     ORDER BY stream_id, version
     LIMIT ${limit}`.execute(db);
  return rows;
}
