import type { Selectable } from 'kysely';
import type { Pool, PoolClient } from 'pg';
import type { EventsTable } from '@maatlat/shared/database';
import { ConfigError, SIGNING_KEY, type AppConfig } from '@maatlat/shared/config';
import { NotFound } from '@maatlat/shared/domain';
import { assessmentStreamId } from '@maatlat/assessments/domain';
import { contentHash, linkHash, LOG_FENCE, UNSETTLED_EVENTS_SQL } from '@maatlat/shared/event-store';
import {
  CheckpointSigner,
  CHECKPOINT_FORMAT,
  checkpointSignatureHolds,
  headsOf,
  leafHash,
  MerkleTree,
  merkleRoot,
  rootFromInclusionProof,
  sortHeads,
  SUBTREE_LEVEL,
  subtreeAuditPaths,
  subtreeRoots,
  type CheckpointCopy,
  type CheckpointFile,
  type CheckpointStatement,
  type PublicJwk,
  type SignedCheckpoint,
  type StreamHead,
} from '@maatlat/archive/domain';

type LogPosition = CheckpointStatement['logPosition'];

/** Columns of the events table as a query selects them (a bigint selected as text is added where it is). */
type EventColumns<K extends keyof EventsTable> = Pick<Selectable<EventsTable>, K>;

/** A repeatable-read transaction on a connection the caller holds. */
async function repeatableRead<T>(client: PoolClient, mode: 'READ ONLY' | 'READ WRITE', work: (client: PoolClient) => Promise<T>): Promise<T> {
  await client.query(`BEGIN ISOLATION LEVEL REPEATABLE READ ${mode}`);
  try {
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

async function inTransaction<T>(pool: Pool, mode: 'READ ONLY' | 'READ WRITE', work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    return await repeatableRead(client, mode, work);
  } finally {
    client.release();
  }
}

/**
 * The last event every reader of the log can already see: below the oldest transaction still
 * running (the event store's fence), so no event can later appear before it.
 */
async function settledPosition(client: PoolClient): Promise<LogPosition> {
  const { rows } = await client.query<{ transaction_id: string; position: string }>(`
    WITH ${LOG_FENCE}
    SELECT e.transaction_id::text, e.position::text FROM events e
     WHERE e.transaction_id < (SELECT below FROM fence)
     ORDER BY e.transaction_id DESC, e.position DESC LIMIT 1`);
  return rows[0] ? { transactionId: rows[0].transaction_id, position: Number(rows[0].position) } : { transactionId: '0', position: 0 };
}

/**
 * Every stream's head at a place in the log. `fromEvents` reads each head from the events
 * themselves (one index probe per stream: what `verify --checkpoint` trusts, since a forger could set
 * the streams table to match a rewritten chain); otherwise from the stream heads, with the streams
 * that grew since the position read back to it (fast: one pass over the heads, and the index of the
 * log for what came after). A head row that disagrees with its events is what the chain walk
 * (`verify`) reports; a proof made from such a head fails its own check.
 */
export async function headsAt(
  client: PoolClient | Pool,
  at: LogPosition,
  options: { fromEvents?: boolean; streams?: StreamRange | readonly StreamRange[] } = {},
): Promise<StreamHead[]> {
  if (options.fromEvents) {
    const ranges = options.streams === undefined ? [] : 'from' in options.streams ? [options.streams] : options.streams;
    const { rows } = await client.query<[string, string, Buffer]>({
      rowMode: 'array',
      text: `SELECT s.stream_id, e.version::text, e.hash
               FROM streams s
               CROSS JOIN LATERAL (
                 SELECT version, hash FROM events
                  WHERE events.stream_id = s.stream_id AND (transaction_id, position) <= ($1::xid8, $2::bigint)
                  ORDER BY version DESC LIMIT 1) e
              -- In any of the ranges (all streams without one), compared byte for byte, as the tree
              -- orders stream ids (they are ASCII).
              WHERE cardinality($3::text[]) = 0
                 OR EXISTS (SELECT FROM unnest($3::text[], $4::text[]) AS r(first, before)
                             WHERE s.stream_id COLLATE "C" >= r.first AND (r.before IS NULL OR s.stream_id COLLATE "C" < r.before))`,
      values: [at.transactionId, at.position, ranges.map((r) => r.from), ranges.map((r) => r.before)],
    });
    return sortHeads(rows.map(headOf));
  }
  const { rows: grown } = await client.query<[string]>({
    rowMode: 'array',
    text: 'SELECT DISTINCT stream_id FROM events WHERE (transaction_id, position) > ($1::xid8, $2::bigint)',
    values: [at.transactionId, at.position],
  });
  const { rows: before } = await client.query<[string, string, Buffer]>({
    rowMode: 'array',
    text: `SELECT DISTINCT ON (stream_id) stream_id, version::text, hash FROM events
            WHERE stream_id = ANY($3::text[]) AND (transaction_id, position) <= ($1::xid8, $2::bigint)
            ORDER BY stream_id, events.version DESC`,
    values: [at.transactionId, at.position, grown.map((r) => r[0])],
  });
  const grownSince = new Set(grown.map((r) => r[0]));
  const { rows } = await client.query<[string, string, Buffer]>({ rowMode: 'array', text: 'SELECT stream_id, version::text, head_hash FROM streams' });
  const heads: StreamHead[] = [];
  for (const row of rows) if (!grownSince.has(row[0])) heads.push(headOf(row));
  for (const row of before) heads.push(headOf(row));
  return sortHeads(heads);
}

/** A stream head as a query gives it, `[stream id, version as text, hash]`. */
function headOf([streamId, version, hash]: [string, string, Buffer]): StreamHead {
  return { streamId, version: Number(version), hash: hash.toString('hex') };
}

/** The streams from one id up to (not including) another, in the tree's order; `before` null for no end. */
export interface StreamRange {
  from: string;
  before: string | null;
}

/** Held while a checkpoint is recorded: one at a time, so sequences never clash. */
const CHECKPOINT_LOCK = 'maatlat:log-checkpoint';

/**
 * Records a signed checkpoint of the whole log: the settled position, the Merkle root over every
 * stream's head there, the time and the key id, signed with the platform's Ed25519 key. Asked for
 * on demand, a checkpoint should cover what was committed before the ask: while the settled place is
 * behind the last event already committed (a transaction still running, or one of another database
 * that just ended and can no longer be told apart from ours), it tries again for up to `waitMs`, then
 * records the settled place as it is.
 */
export async function recordCheckpoint(pool: Pool, signer: CheckpointSigner, now: Date = new Date(), waitMs = 2_000): Promise<SignedCheckpoint & { heads: StreamHead[] }> {
  const waitUntil = Date.now() + waitMs;
  for (;;) {
    const recorded = await underCheckpointLock(pool, true, async (client) => {
      const logPosition = await settledPosition(client);
      if (Date.now() < waitUntil && (await client.query<{ unsettled: boolean }>(UNSETTLED_EVENTS_SQL)).rows[0].unsettled) return BEHIND;
      return recordAt(client, signer, now, logPosition);
    });
    if (recorded === BUSY) throw new Error('the checkpoint lock was not taken');
    if (recorded !== BEHIND) return recorded;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const BUSY = Symbol('busy');
const BEHIND = Symbol('behind');

/**
 * Work on a checkpoint under the checkpoint lock, in a repeatable-read transaction begun once the
 * lock is held: a transaction's snapshot is taken at its first statement, so one that began by
 * waiting for the lock would not see the checkpoint its predecessor just recorded. The lock is the
 * session's, let go after the transaction (or with the connection, should that break).
 */
async function underCheckpointLock<T>(pool: Pool, wait: boolean, work: (client: PoolClient) => Promise<T>): Promise<T | typeof BUSY> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    const { rows } = await client.query<{ held: boolean }>(
      wait ? `SELECT pg_advisory_lock(hashtextextended('${CHECKPOINT_LOCK}', 0)) IS NOT NULL AS held` : `SELECT pg_try_advisory_lock(hashtextextended('${CHECKPOINT_LOCK}', 0)) AS held`,
    );
    if (!rows[0].held) return BUSY;
    try {
      return await repeatableRead(client, 'READ WRITE', work);
    } finally {
      await client.query(`SELECT pg_advisory_unlock(hashtextextended('${CHECKPOINT_LOCK}', 0))`).catch((error: Error) => (broken = error));
    }
  } finally {
    // A connection whose unlock failed is closed, which lets the lock go.
    client.release(broken);
  }
}

export type ScheduledCheckpoint = { recorded: SignedCheckpoint } | { skipped: 'busy' | 'not-due' | 'unchanged' };

/**
 * The periodic checkpoint, run by every worker: records one when the last is at least `intervalMs`
 * old and the log has moved since. Several workers may call it at once: the one that takes the
 * checkpoint lock decides, the others skip (`busy`), and one that comes later in the same interval
 * finds the checkpoint just recorded (`not-due`).
 */
export async function recordCheckpointIfDue(pool: Pool, signer: CheckpointSigner, intervalMs: number, now: Date = new Date()): Promise<ScheduledCheckpoint> {
  const outcome = await underCheckpointLock(pool, false, async (client): Promise<ScheduledCheckpoint> => {
    const { rows } = await client.query<{ transaction_id: string; position: string; recorded_at: Date }>(
      'SELECT transaction_id::text, position::text, recorded_at FROM log_checkpoints ORDER BY sequence DESC LIMIT 1',
    );
    const last = rows[0];
    if (last && now.getTime() - last.recorded_at.getTime() < intervalMs) return { skipped: 'not-due' };
    const logPosition = await settledPosition(client);
    // Not past the last checkpoint's place (a transaction still running elsewhere can hold the settled place back for a moment).
    if (last && !after(logPosition, { transactionId: last.transaction_id, position: Number(last.position) })) return { skipped: 'unchanged' };
    const { statement, signature } = await recordAt(client, signer, now, logPosition);
    return { recorded: { statement, signature } };
  });
  return outcome === BUSY ? { skipped: 'busy' } : outcome;
}

/** Whether place `a` in the log comes after place `b`. */
function after(a: LogPosition, b: LogPosition): boolean {
  const [ta, tb] = [BigInt(a.transactionId), BigInt(b.transactionId)];
  return ta > tb || (ta === tb && a.position > b.position);
}

async function recordAt(client: PoolClient, signer: CheckpointSigner, now: Date, logPosition: LogPosition): Promise<SignedCheckpoint & { heads: StreamHead[] }> {
  const heads = await headsAt(client, logPosition);
  const { rows } = await client.query<{ next: string }>('SELECT coalesce(max(sequence), 0) + 1 AS next FROM log_checkpoints');
  const roots = subtreeRoots(heads.map(leafHash));
  const statement: CheckpointStatement = {
    format: CHECKPOINT_FORMAT,
    sequence: Number(rows[0].next),
    logPosition,
    streams: heads.length,
    root: merkleRoot(roots).toString('hex'),
    recordedAt: now.toISOString(),
    keyId: signer.keyId,
  };
  const signed = signer.sign(statement);
  const { rows: before } = await client.query<{ transaction_id: string; position: string }>(
    'SELECT transaction_id::text, position::text FROM log_checkpoints WHERE sequence = $1 AND heads_kept',
    [statement.sequence - 1],
  );
  await client.query(
    `INSERT INTO log_checkpoints (sequence, transaction_id, position, streams, root, recorded_at, key_id, statement, signature, heads_kept)
     VALUES ($1, $2::xid8, $3, $4, $5, $6, $7, $8, $9, true)`,
    [statement.sequence, logPosition.transactionId, logPosition.position, statement.streams, statement.root, now, signer.keyId, JSON.stringify(statement), signed.signature],
  );
  // The heads that changed since the checkpoint before (every head when that one kept none, or
  // when this one's place is not past it): the streams with events in between, at their last one.
  const previous = before[0] ? { transactionId: before[0].transaction_id, position: Number(before[0].position) } : undefined;
  const since = previous && !after(previous, logPosition) ? previous : { transactionId: '0', position: 0 };
  await client.query(
    `INSERT INTO log_checkpoint_heads (stream_id, sequence, version, hash)
     SELECT DISTINCT ON (stream_id) stream_id, $1, version, hash FROM events
      WHERE (transaction_id, position) > ($2::xid8, $3::bigint) AND (transaction_id, position) <= ($4::xid8, $5::bigint)
      ORDER BY stream_id, version DESC`,
    [statement.sequence, since.transactionId, since.position, logPosition.transactionId, logPosition.position],
  );
  const size = 2 ** SUBTREE_LEVEL;
  await client.query(
    `INSERT INTO log_checkpoint_subtrees (sequence, subtree, first_stream_id, leaves, root)
     SELECT $1, s.subtree - 1, s.first_stream_id, s.leaves, s.root FROM unnest($2::text[], $3::int[], $4::bytea[]) WITH ORDINALITY AS s(first_stream_id, leaves, root, subtree)`,
    [statement.sequence, roots.map((_, i) => heads[i * size].streamId), roots.map((_, i) => Math.min(size, heads.length - i * size)), roots],
  );
  return { ...signed, heads };
}

/** A recorded checkpoint by sequence, or the latest; null when none has been recorded. */
export async function findCheckpoint(pool: Pool, sequence?: number): Promise<SignedCheckpoint | null> {
  const { rows } = await pool.query<{ statement: CheckpointStatement; signature: string }>(
    sequence === undefined
      ? 'SELECT statement, signature FROM log_checkpoints ORDER BY sequence DESC LIMIT 1'
      : 'SELECT statement, signature FROM log_checkpoints WHERE sequence = $1',
    sequence === undefined ? [] : [sequence],
  );
  return rows[0] ? { statement: rows[0].statement, signature: rows[0].signature } : null;
}

/** Recorded checkpoints, newest first: at most `limit`, only those before sequence `before` when given. */
export async function listCheckpoints(pool: Pool, limit = 100, before?: number): Promise<SignedCheckpoint[]> {
  const { rows } = await pool.query<{ statement: CheckpointStatement; signature: string }>(
    'SELECT statement, signature FROM log_checkpoints WHERE ($2::bigint IS NULL OR sequence < $2) ORDER BY sequence DESC LIMIT $1',
    [limit, before ?? null],
  );
  return rows.map((r) => ({ statement: r.statement, signature: r.signature }));
}

export interface CheckpointVerification {
  ok: boolean;
  sequence: number;
  signature: 'valid' | 'invalid';
  streamsCovered: number;
  /** Streams whose head at the checkpoint's position is not what the checkpoint covered. */
  streams: { streamId: string; problem: string }[];
  /** Where the covered heads that name those streams came from: the file, the platform's kept heads (checked against the signed root), or nowhere. */
  coveredHeads: 'file' | 'platform' | 'none';
  problems: string[];
}

/**
 * Proves the log still holds exactly what a checkpoint covered: the signature holds, and the heads
 * the log gives at the checkpoint's position have the signed root. With the covered heads (from the
 * file, or else as the platform kept them), every stream that differs is named (changed, gone, or
 * new before the position).
 */
export async function verifyCheckpoint(pool: Pool, file: CheckpointCopy, trusted?: PublicJwk): Promise<CheckpointVerification> {
  const problems: string[] = [];
  const publicKey = trusted ?? file.publicKey;
  if (trusted && file.publicKey && (file.publicKey.kid !== trusted.kid || file.publicKey.x !== trusted.x)) problems.push('the checkpoint file names a key other than the platform\'s');
  const signatureValid = publicKey !== undefined && checkpointSignatureHolds(file, publicKey);
  if (!publicKey) problems.push(`no public key to check the signature with (key ${file.statement.keyId})`);
  else if (!signatureValid) problems.push(`the signature does not hold for key ${publicKey.kid}`);
  const fromFile = file.heads ? sortHeads(headsOf(file)) : undefined;
  if (fromFile && merkleRoot(fromFile.map(leafHash)).toString('hex') !== file.statement.root) problems.push('the heads in the file do not give the signed root');
  const { current, root, kept } = await inTransaction(pool, 'READ ONLY', async (client) => {
    const current = await headsAt(client, file.statement.logPosition, { fromEvents: true });
    const root = merkleRoot(current.map(leafHash)).toString('hex');
    // The kept heads only to name what differs, when the file carries none.
    return { current, root, kept: root === file.statement.root || fromFile ? undefined : await keptHeads(client, file.statement) };
  });
  const covered = fromFile ?? kept;
  const streams: CheckpointVerification['streams'] = [];
  if (root !== file.statement.root) {
    problems.push(`the log's heads at position ${file.statement.logPosition.position} give root ${root}, not the signed ${file.statement.root}`);
    if (!covered) problems.push('the streams that differ cannot be named: the file carries no heads and the platform kept none that give the signed root');
    else {
      const now = new Map(current.map((h) => [h.streamId, h]));
      for (const head of covered) {
        const found = now.get(head.streamId);
        now.delete(head.streamId);
        if (!found) streams.push({ streamId: head.streamId, problem: `covered at version ${head.version}, the log no longer has it` });
        else if (found.version !== head.version) streams.push({ streamId: head.streamId, problem: `covered at version ${head.version}, the log has version ${found.version} there` });
        else if (found.hash !== head.hash) streams.push({ streamId: head.streamId, problem: `the event at version ${head.version} is not the one covered: the stream was rewritten` });
      }
      for (const extra of now.values()) streams.push({ streamId: extra.streamId, problem: 'not covered by the checkpoint, though it has events before its position' });
    }
  }
  return {
    ok: problems.length === 0,
    sequence: file.statement.sequence,
    signature: signatureValid ? 'valid' : 'invalid',
    streamsCovered: file.statement.streams,
    streams,
    coveredHeads: fromFile ? 'file' : kept ? 'platform' : 'none',
    problems,
  };
}

/**
 * The heads a checkpoint covered as the platform kept them (the latest kept for each stream up to
 * it), when they give its signed root: kept in the database, they could have been changed with the
 * log, but no change gives the same root. Undefined for a checkpoint that kept none, or whose kept
 * heads no longer give its root.
 */
async function keptHeads(client: PoolClient, statement: CheckpointStatement): Promise<StreamHead[] | undefined> {
  const { rows: kept } = await client.query<{ heads_kept: boolean }>('SELECT heads_kept FROM log_checkpoints WHERE sequence = $1', [statement.sequence]);
  if (!kept[0]?.heads_kept) return undefined;
  const { rows } = await client.query<[string, string, Buffer]>({
    rowMode: 'array',
    text: `SELECT DISTINCT ON (stream_id) stream_id, version::text, hash FROM log_checkpoint_heads
            WHERE sequence <= $1 ORDER BY stream_id, sequence DESC`,
    values: [statement.sequence],
  });
  const heads = sortHeads(rows.map(headOf));
  return merkleRoot(heads.map(leafHash)).toString('hex') === statement.root ? heads : undefined;
}

/**
 * Proof that one score event is in the log a checkpoint covers, checkable without the log: the
 * event's link (its content hash, the previous link, version and time), the chain links from it to
 * the stream's head at the checkpoint, and the Merkle audit path from that head to the signed root:
 * a few kilobytes whatever the log's size. The score itself (the event's data and metadata, often
 * hundreds of kilobytes) comes along only when asked for (`withEvent`); its content hash then
 * binds it to the proof.
 */
export interface ScoreInclusionProof {
  checkpoint: SignedCheckpoint;
  event: {
    streamId: string;
    version: number;
    eventId: string;
    type: string;
    schemaVersion: number;
    /** SHA-256 of the event's canonical content (hex): what the data and metadata must give. */
    contentHash: string;
    /** The event's data and metadata as stored: only in a proof asked for with the event. */
    data?: unknown;
    metadata?: Record<string, unknown>;
    recordedAt: string;
    previousHash: string;
    hash: string;
  };
  /** The later events of the stream up to its head at the checkpoint: enough to recompute each link. */
  chain: { version: number; contentHash: string; recordedAt: string }[];
  head: StreamHead;
  leafIndex: number;
  treeSize: number;
  auditPath: string[];
}

export interface ScoreProofOptions {
  /** The score event at this version instead of the latest the checkpoint covers. */
  version?: number;
  /** Carry the event's data and metadata (the score itself), not only its content hash. */
  withEvent?: boolean;
}

/** An inclusion proof of an assessment's latest score event (or the one at `version`) against a checkpoint. */
export async function scoreInclusionProof(pool: Pool, checkpoint: SignedCheckpoint, assessmentId: string, options: ScoreProofOptions = {}): Promise<ScoreInclusionProof> {
  const { version, withEvent = false } = options;
  const streamId = assessmentStreamId(assessmentId);
  return inTransaction(pool, 'READ ONLY', async (client) => {
    const [placed] = await placeInCheckpoint(client, checkpoint, [streamId]);
    if (!placed) throw new NotFound('assessment', assessmentId);
    const { head, index: leafIndex, path: auditPath } = placed;
    const { rows } = await client.query<EventColumns<'event_id' | 'type' | 'schema_version' | 'content_hash' | 'data' | 'recorded_at' | 'previous_hash' | 'hash'> & { version: string; metadata: Record<string, unknown> }>(
      // The data only when asked for: a score event runs to hundreds of kilobytes.
      `SELECT version::text, event_id::text, type, schema_version, content_hash, ${withEvent ? 'data, metadata' : 'NULL AS data, NULL AS metadata'}, recorded_at, previous_hash, hash FROM events
        WHERE stream_id = $1 AND type IN ('ScoreCalculated', 'ScoreRecalculated') AND version <= $2 AND ($3::bigint IS NULL OR version = $3)
        ORDER BY version DESC LIMIT 1`,
      [streamId, head.version, version ?? null],
    );
    const row = rows[0];
    if (!row) throw new NotFound('score-event', version === undefined ? `a score of assessment ${assessmentId} covered by checkpoint ${checkpoint.statement.sequence}` : `version ${version} of assessment ${assessmentId}`);
    const { rows: later } = await client.query<EventColumns<'content_hash' | 'recorded_at'> & { version: string }>(
      'SELECT version::text, content_hash, recorded_at FROM events WHERE stream_id = $1 AND version > $2 AND version <= $3 ORDER BY events.version',
      [streamId, Number(row.version), head.version],
    );
    return {
      checkpoint: { statement: checkpoint.statement, signature: checkpoint.signature },
      event: {
        streamId,
        version: Number(row.version),
        eventId: row.event_id,
        type: row.type,
        schemaVersion: row.schema_version,
        contentHash: row.content_hash.toString('hex'),
        ...(withEvent ? { data: row.data, metadata: row.metadata } : {}),
        recordedAt: row.recorded_at.toISOString(),
        previousHash: row.previous_hash.toString('hex'),
        hash: row.hash.toString('hex'),
      },
      chain: later.map((l) => ({ version: Number(l.version), contentHash: l.content_hash.toString('hex'), recordedAt: l.recorded_at.toISOString() })),
      head,
      leafIndex,
      treeSize: checkpoint.statement.streams,
      auditPath,
    };
  });
}

const noLongerMatches = (checkpoint: SignedCheckpoint) => new Error(`the log no longer matches checkpoint ${checkpoint.statement.sequence}: run verify --checkpoint`);

/** Every head at a checkpoint and the tree over them, refused when it no longer has the signed root. */
async function wholeTreeAt(client: PoolClient, checkpoint: SignedCheckpoint): Promise<{ heads: StreamHead[]; tree: MerkleTree }> {
  const heads = await headsAt(client, checkpoint.statement.logPosition);
  const tree = new MerkleTree(heads.map(leafHash));
  if (tree.root().toString('hex') !== checkpoint.statement.root) throw noLongerMatches(checkpoint);
  return { heads, tree };
}

interface KeptSubtree {
  first_stream_id: string;
  leaves: number;
  root: Buffer;
}

/** A checkpoint's kept subtree roots, checked against its signed root; null for a checkpoint recorded before they were kept. */
async function keptSubtrees(client: PoolClient, checkpoint: SignedCheckpoint): Promise<{ subtrees: KeptSubtree[]; roots: Buffer[] } | null> {
  const { rows } = await client.query<KeptSubtree>('SELECT first_stream_id, leaves, root FROM log_checkpoint_subtrees WHERE sequence = $1 ORDER BY subtree', [checkpoint.statement.sequence]);
  if (rows.length === 0) return null;
  const roots = rows.map((k) => k.root);
  if (merkleRoot(roots).toString('hex') !== checkpoint.statement.root) throw noLongerMatches(checkpoint);
  return { subtrees: rows, roots };
}

/** The subtree whose range holds the stream id (the tree orders ids byte for byte); -1 before the first. */
function subtreeOf(kept: readonly KeptSubtree[], streamId: string): number {
  let low = 0;
  let high = kept.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (kept[middle].first_stream_id <= streamId) {
      found = middle;
      low = middle + 1;
    } else high = middle - 1;
  }
  return found;
}

/** A covered stream's head at a checkpoint, its place among the covered heads and its audit path. */
export interface PlacedHead {
  streamId: string;
  head: StreamHead;
  index: number;
  path: string[];
}

/**
 * The heads of the given streams at a checkpoint, each with its place among the covered heads and
 * its audit path; a stream the checkpoint does not cover is left out. With the checkpoint's kept
 * subtree roots, only the subtrees holding the streams are read from the log (in one pass: their
 * heads from the events at the checkpoint's position, the streams compared byte for byte as the tree
 * orders them), so a proof or an organisation's export costs its own streams' subtrees, not every
 * head of the platform; a checkpoint without them (recorded before they were kept) is rebuilt from
 * every head. Either way a log that no longer gives what the checkpoint covered is refused.
 */
async function placeInCheckpoint(client: PoolClient, checkpoint: SignedCheckpoint, streamIds: readonly string[]): Promise<PlacedHead[]> {
  const wanted = new Set(streamIds);
  const kept = await keptSubtrees(client, checkpoint);
  if (!kept) {
    const { heads, tree } = await wholeTreeAt(client, checkpoint);
    return heads.flatMap((head, index) => (wanted.has(head.streamId) ? [{ streamId: head.streamId, head, index, path: tree.proof(index) }] : []));
  }
  const needed = [...new Set([...wanted].map((streamId) => subtreeOf(kept.subtrees, streamId)).filter((subtree) => subtree >= 0))].sort((a, b) => a - b);
  const ranges = needed.map((subtree) => ({ from: kept.subtrees[subtree].first_stream_id, before: kept.subtrees[subtree + 1]?.first_stream_id ?? null }));
  const heads = needed.length ? await headsAt(client, checkpoint.statement.logPosition, { fromEvents: true, streams: ranges }) : [];
  const placed: PlacedHead[] = [];
  let next = 0;
  for (const subtree of needed) {
    const before = kept.subtrees[subtree + 1]?.first_stream_id ?? null;
    const leaves: StreamHead[] = [];
    while (next < heads.length && (before === null || heads[next].streamId < before)) leaves.push(heads[next++]);
    if (leaves.length !== kept.subtrees[subtree].leaves) throw noLongerMatches(checkpoint);
    const indexes = leaves.flatMap((head, index) => (wanted.has(head.streamId) ? [index] : []));
    if (indexes.length === 0) continue;
    let paths: string[][];
    try {
      paths = subtreeAuditPaths(leaves.map(leafHash), indexes, kept.roots, subtree);
    } catch {
      throw noLongerMatches(checkpoint);
    }
    indexes.forEach((index, i) => placed.push({ streamId: leaves[index].streamId, head: leaves[index], index: subtree * 2 ** SUBTREE_LEVEL + index, path: paths[i] }));
  }
  return placed;
}

/**
 * Checks an inclusion proof with nothing but the public key: the signature, the event's content
 * (when the proof carries it) and link, the links from it to the head, and the audit path from the head to the signed root.
 * @returns the problems found; none means the score event is in the log the checkpoint covers.
 */
export function checkScoreInclusionProof(proof: ScoreInclusionProof, publicKey: PublicJwk): string[] {
  const problems: string[] = [];
  if (!checkpointSignatureHolds(proof.checkpoint, publicKey)) problems.push(`the checkpoint's signature does not hold for key ${publicKey.kid}`);
  const { event } = proof;
  const content = Buffer.from(event.contentHash ?? '', 'hex');
  if (content.length !== 32) problems.push("the score event's content hash is not a SHA-256 in hex");
  if (event.data !== undefined || event.metadata !== undefined) {
    const recomputed = contentHash({ eventId: event.eventId, type: event.type, schemaVersion: event.schemaVersion, data: event.data, metadata: event.metadata ?? {} });
    if (!recomputed.equals(content)) problems.push("the score event's data and metadata do not give its content hash");
  }
  let link = linkHash(Buffer.from(event.previousHash, 'hex'), content, event.version, new Date(event.recordedAt));
  if (link.toString('hex') !== event.hash) problems.push('the score event does not give its recorded link hash');
  let version = event.version;
  for (const step of proof.chain) {
    if (step.version !== version + 1) problems.push(`the chain skips from version ${version} to ${step.version}`);
    link = linkHash(link, Buffer.from(step.contentHash, 'hex'), step.version, new Date(step.recordedAt));
    version = step.version;
  }
  if (version !== proof.head.version || link.toString('hex') !== proof.head.hash || proof.head.streamId !== event.streamId) problems.push('the chain from the score event does not end at the covered head');
  const root = rootFromInclusionProofSafe(leafHash(proof.head), proof.leafIndex, proof.treeSize, proof.auditPath);
  if (root !== proof.checkpoint.statement.root) problems.push('the audit path does not lead to the signed root');
  if (proof.treeSize !== proof.checkpoint.statement.streams) problems.push('the tree size is not the checkpoint\'s');
  return problems;
}

function rootFromInclusionProofSafe(leaf: Buffer, index: number, size: number, path: string[]): string | null {
  try {
    return rootFromInclusionProof(leaf, index, size, path).toString('hex');
  } catch {
    return null;
  }
}

/** A checkpoint as a file to keep outside the database: signed, with the public key, optionally with the heads it covers. */
export function checkpointFile(checkpoint: SignedCheckpoint, publicKey: PublicJwk, heads?: readonly StreamHead[]): CheckpointFile {
  return { ...checkpoint, publicKey, ...(heads ? { heads: heads.map((h): [string, number, string] => [h.streamId, h.version, h.hash]) } : {}) };
}

/** The latest checkpoint and the audit paths of the given streams' heads in it, when the log still matches it. */
export async function proofsInLatestCheckpoint(
  client: PoolClient,
  streamIds: readonly string[],
): Promise<{ checkpoint: SignedCheckpoint; proofs: PlacedHead[] } | null> {
  const { rows } = await client.query<{ statement: CheckpointStatement; signature: string }>('SELECT statement, signature FROM log_checkpoints ORDER BY sequence DESC LIMIT 1');
  if (!rows[0]) return null;
  const checkpoint = { statement: rows[0].statement, signature: rows[0].signature };
  const proofs = await placeInCheckpoint(client, checkpoint, streamIds);
  return { checkpoint, proofs };
}

/** The platform's checkpoint signer from SIGNING_KEY; a process that signs must not start without it. */
export function checkpointSigner(config: Pick<AppConfig, 'signingKey'>): CheckpointSigner {
  if (!config.signingKey) throw new ConfigError(SIGNING_KEY, 'is required to sign checkpoints: id:seed, a 32-byte Ed25519 seed in base64 or hex (e.g. c1:$(openssl rand -base64 32))');
  return new CheckpointSigner(config.signingKey.keyId, config.signingKey.seed);
}
