import { mkdirSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Pool, PoolClient } from 'pg';
import { groupBy, NotFound, sha256 } from '@maatlat/shared/domain';
import { categoryOf } from '@maatlat/shared/event-store';
import { parseResponseStreamId } from '@maatlat/assessments/domain';
import { modelVersionStreamId } from '@maatlat/model-catalogue/domain';
import { organisationStreamId } from '@maatlat/organisations/domain';
import {
  ALGORITHM_DESCRIPTIONS,
  ARCHIVE_FORMAT,
  assessmentInformatieobject,
  CHECKPOINT_FILE,
  DEFAULT_RETENTION,
  fileBestand,
  MANIFEST_FILE,
  MANIFEST_SIGNATURE_FILE,
  signManifest,
  streamFile,
  type ArchiveManifest,
  type CheckpointSigner,
  type ManifestAssessment,
  type ManifestFile,
  type ManifestStream,
  type PublicJwk,
} from '@maatlat/archive/domain';
import { proofsInLatestCheckpoint } from './checkpoints';

export interface ExportOptions {
  now?: Date;
  /** ISO 8601 duration of the retention written into the MDTO records. */
  retention?: string;
  batchSize?: number;
  /** The platform's public key, written beside the checkpoint the export is anchored in. */
  publicKey?: PublicJwk;
  /** The platform's key (SIGNING_KEY): it signs the manifest (manifest.signature.json), and its public half is the `publicKey`. */
  signer?: CheckpointSigner;
}

export interface ExportSummary {
  directory: string;
  organisationId: string;
  streams: number;
  events: number;
  files: number;
  bytes: number;
  /** SHA-256 of manifest.json: worth writing down apart from the export. */
  manifestSha256: string;
  /** Whether the manifest carries the platform's signature. */
  signed: boolean;
}

/**
 * One stream's events in a query: how many, the last version, their lines, and what the manifest
 * and the MDTO records need from them (the opening's data and time, the closing's time, the
 * organisation's name, the scoring algorithms).
 */
type StreamPage = [
  streamId: string,
  events: number,
  lastVersion: string,
  lines: string | null,
  opened: string | null,
  openedAt: string | null,
  closedAt: string | null,
  name: string | null,
  algorithms: string[] | null,
];

const RECORDED_AT_FORMAT = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

/** An event's line in a stream's file (JSON, keys in this order); `concat` builds it in one step. */
const LINE = `concat('{"streamId":', to_json(e.stream_id), ',"version":', e.version, ',"position":', e.position, ',"eventId":"', e.event_id,
                     '","type":', to_json(e.type), ',"schemaVersion":', e.schema_version, ',"data":', e.data, ',"metadata":', e.metadata,
                     ',"recordedAt":"', to_char(e.recorded_at AT TIME ZONE 'UTC', ${RECORDED_AT_FORMAT}),
                     '","contentHash":"', encode(e.content_hash, 'hex'), '","previousHash":"', encode(e.previous_hash, 'hex'),
                     '","hash":"', encode(e.hash, 'hex'), E'"}\\n')`;

interface OpenedAssessment {
  assessmentId: string;
  streamId: string;
  period: string;
  scope: { kind: string; organisationId?: string; unitId?: string; chainId?: string };
  model: { key: string; version: string };
  openedAt: string;
  closedAt: string | null;
}

/**
 * Writes an organisation's complete event history to `directory`: every stream one of whose events
 * was recorded for the organisation (the `tenantId` of its metadata, so a stream type added later
 * comes along by itself), the chains its units take or took part in, and the model versions its assessments were opened and scored on, one
 * JSON Lines file per stream; then MDTO records per assessment and a manifest with every file's
 * SHA-256 and size, each stream's head and the scoring algorithms used. One repeatable-read
 * snapshot, so the files agree with each other and with the stream heads. Personal data leaves
 * only as stored: sealed, its keys stay in the platform (an erased respondent's key is gone).
 */
export async function exportArchive(pool: Pool, organisationId: string, directory: string, options: ExportOptions = {}): Promise<ExportSummary> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const summary = await exportInSnapshot(client, organisationId, directory, options);
    await client.query('COMMIT');
    return summary;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

async function exportInSnapshot(trx: PoolClient, organisationId: string, directory: string, options: ExportOptions): Promise<ExportSummary> {
  const now = options.now ?? new Date();
  const batchSize = options.batchSize ?? 5000;
  const publicKey = options.publicKey ?? options.signer?.publicJwk;
  const streamIds = await organisationStreams(trx, organisationId);
  if (!streamIds.includes(organisationStreamId(organisationId))) throw new NotFound('organisation', organisationId);
  const assessmentStreams = streamIds.filter((id) => categoryOf(id) === 'assessment');
  const models = await modelVersionsUsed(trx, assessmentStreams);
  const allStreams = [...streamIds, ...models.map((m) => m.streamId)].sort();
  const heads = await streamHeads(trx, allStreams);

  const files: ManifestFile[] = [];
  const streams: ManifestStream[] = [];
  const opened = new Map<string, OpenedAssessment>();
  const algorithms = new Map<string, number>();
  let organisationName: string | null = null;
  let events = 0;
  // Every file lands in one of a few folders: made once each, not once per file.
  const folders = new Set<string>();
  // Files are written synchronously, between batches whose next query is already on its way: an
  // export is a file per stream (thousands of small files), and each asynchronous write is three
  // hand-offs to the thread pool (open, write, close), which cost more CPU than the write itself.
  const write = (path: string, content: string | Buffer) => {
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    const target = join(directory, path);
    const folder = dirname(target);
    if (!folders.has(folder)) {
      mkdirSync(folder, { recursive: true });
      folders.add(folder);
    }
    writeFileSync(target, bytes);
    const file = { path, sha256: sha256(bytes).toString('hex'), bytes: bytes.length };
    files.push(file);
    return file;
  };

  let current: { streamId: string; pages: string[]; events: number } | undefined;
  const flush = () => {
    if (!current) return;
    const file = write(streamFile(current.streamId), current.pages.length === 1 ? current.pages[0] : current.pages.join(''));
    const head = heads.get(current.streamId) ?? { version: 0, hash: '' };
    streams.push({ streamId: current.streamId, category: categoryOf(current.streamId), file: file.path, events: current.events, head });
  };
  // Many streams per query (an organisation has a response stream per respondent and assessment,
  // so one query per stream is a round trip per few dozen events), each stream read in version
  // order along its primary key by a lateral join in the order given, and each stream's lines come
  // back as one text that PostgreSQL puts together: turning twelve columns of every event into
  // JavaScript strings and those into a line cost this process more than the database pays for
  // the same line. The heads say how many events each stream has, so a query covers about
  // `batchSize` events; a stream larger than that is read alone, a page of lines at a time.
  // The next query is sent before a batch is written, so that PostgreSQL reads and converts the
  // next batch while this process writes the last one.
  const read = (group: string[], after: number) =>
    trx.query<StreamPage>({
      name: 'maatlat-archive-export-pages',
      rowMode: 'array',
      text: `SELECT s.stream_id, page.events, page.last_version::text, page.lines, page.opened, page.opened_at, page.closed_at, page.name, page.algorithms
               FROM unnest($1::text[]) WITH ORDINALITY AS s(stream_id, ord)
              CROSS JOIN LATERAL (
                    SELECT count(*)::integer AS events,
                           max(e.version) AS last_version,
                           string_agg(${LINE}, '' ORDER BY e.version) AS lines,
                           (array_agg(e.data::text) FILTER (WHERE e.type = 'AssessmentOpened'))[1] AS opened,
                           to_char(max(e.recorded_at) FILTER (WHERE e.type = 'AssessmentOpened') AT TIME ZONE 'UTC', ${RECORDED_AT_FORMAT}) AS opened_at,
                           to_char(max(e.recorded_at) FILTER (WHERE e.type = 'AssessmentClosed') AT TIME ZONE 'UTC', ${RECORDED_AT_FORMAT}) AS closed_at,
                           (array_agg(e.data->>'name') FILTER (WHERE e.version = 1 AND jsonb_typeof(e.data->'name') = 'string'))[1] AS name,
                           array_agg(e.data->'score'->>'algorithm') FILTER (WHERE e.type IN ('ScoreCalculated', 'ScoreRecalculated')) AS algorithms
                      FROM (SELECT * FROM events
                             WHERE events.stream_id = s.stream_id AND events.version > $2
                             ORDER BY events.version
                             LIMIT $3) AS e) AS page
              ORDER BY s.ord`,
      values: [group, after, group.length === 1 ? batchSize : null],
    });
  const groups = streamGroups(allStreams, heads, batchSize);
  let next: { group: string[]; pending: Promise<{ rows: StreamPage[] }> } | undefined;
  const send = (group: string[], after: number) => {
    const pending = read(group, after);
    // Awaited in its turn; a failure must not go unhandled should an earlier batch fail first.
    pending.catch(() => undefined);
    next = { group, pending };
  };
  let groupIndex = 0;
  if (groups.length) send(groups[groupIndex++], 0);
  while (next) {
    const { group, pending } = next;
    next = undefined;
    const { rows } = await pending;
    // A stream larger than a batch is read in pages: the next page, else the next group.
    if (group.length === 1 && rows[0]?.[1] === batchSize) send(group, Number(rows[0][2]));
    else if (groupIndex < groups.length) send(groups[groupIndex++], 0);
    for (const [streamId, pageEvents, , lines, opening, openedAt, closedAt, name, pageAlgorithms] of rows) {
      if (pageEvents === 0 || lines === null) continue;
      if (current?.streamId !== streamId) {
        flush();
        current = { streamId, pages: [], events: 0 };
      }
      current.pages.push(lines);
      current.events += pageEvents;
      events += pageEvents;
      if (name !== null && streamId === organisationStreamId(organisationId)) organisationName = name;
      if (opening !== null) {
        const data = JSON.parse(opening) as Omit<OpenedAssessment, 'streamId' | 'openedAt' | 'closedAt'>;
        opened.set(streamId, { assessmentId: data.assessmentId, streamId, period: data.period, scope: data.scope, model: data.model, openedAt: openedAt!, closedAt });
      } else if (closedAt !== null) {
        const assessment = opened.get(streamId);
        if (assessment) assessment.closedAt = closedAt;
      }
      for (const algorithm of pageAlgorithms ?? []) algorithms.set(algorithm, (algorithms.get(algorithm) ?? 0) + 1);
    }
  }
  flush();

  const exportedAt = now.toISOString();
  const assessments: ManifestAssessment[] = [];
  // An assessment's dossier is its own stream and its respondents' response streams: the
  // informatieobject names every one of those files as a representation. The assessment's own
  // stream gets an MDTO bestand (with its checksum); the response streams' checksums are in the
  // manifest, not in a bestand each: that would double the files an export creates (about 1,500 more
  // here), and creating files is most of an export's time (measured: 26,000-38,000 events/s against
  // 53,000-57,000 without them, back to back).
  const filesByPath = new Map(files.map((f) => [f.path, f]));
  const responseStreamsOf = groupBy(
    streamIds.filter((id) => categoryOf(id) === 'response'),
    (id) => parseResponseStreamId(id).assessmentId,
  );
  for (const assessment of opened.values()) {
    // The assessment's own stream first: it is the one with a bestand.
    const dossier = [assessment.streamId, ...(responseStreamsOf.get(assessment.assessmentId) ?? [])].map((streamId) => {
      const { path, bytes, sha256 } = filesByPath.get(streamFile(streamId))!;
      return { assessmentId: assessment.assessmentId, path, bytes, sha256, checksumDate: exportedAt };
    });
    const record = {
      assessmentId: assessment.assessmentId,
      organisationId,
      organisationName,
      scopeLabel: scopeLabel(assessment.scope),
      period: assessment.period,
      model: assessment.model,
      openedAt: assessment.openedAt,
      closedAt: assessment.closedAt,
      retention: options.retention ?? DEFAULT_RETENTION,
    };
    const informatieobject = write(`mdto/${assessment.assessmentId}.informatieobject.mdto.xml`, assessmentInformatieobject(record, dossier));
    const bestand = write(`mdto/${assessment.assessmentId}.bestand.mdto.xml`, fileBestand(dossier[0]));
    assessments.push({ assessmentId: assessment.assessmentId, streamId: assessment.streamId, period: assessment.period, model: assessment.model, mdto: [informatieobject.path, bestand.path] });
  }

  // Anchored in the latest signed checkpoint: an audit path per exported stream from its head there
  // to the signed root, so a rewrite of history before the export shows offline.
  const anchored = await proofsInLatestCheckpoint(trx, allStreams);
  let checkpoint: ArchiveManifest['checkpoint'];
  if (anchored) {
    const file = write(CHECKPOINT_FILE, `${JSON.stringify({ ...anchored.checkpoint, ...(publicKey ? { publicKey } : {}) }, null, 1)}\n`);
    checkpoint = { file: file.path, proofs: anchored.proofs };
  }

  const manifest: ArchiveManifest = {
    format: ARCHIVE_FORMAT,
    organisationId,
    organisationName,
    exportedAt,
    files,
    streams,
    assessments,
    modelVersions: models,
    scoringAlgorithms: [...algorithms].sort().map(([id, scoreEvents]) => ({ id, scoreEvents, description: ALGORITHM_DESCRIPTIONS[id] ?? { nl: id, en: id } })),
    ...(checkpoint ? { checkpoint } : {}),
  };
  const manifestText = `${JSON.stringify(manifest, null, 1)}\n`;
  await writeFile(join(directory, MANIFEST_FILE), manifestText);
  // Signed, the manifest answers for the set of files too: none can go missing unnoticed offline.
  if (options.signer) {
    await writeFile(join(directory, MANIFEST_SIGNATURE_FILE), `${JSON.stringify(signManifest(options.signer, Buffer.from(manifestText, 'utf8')), null, 1)}\n`);
  }
  return {
    directory,
    organisationId,
    streams: streams.length,
    events,
    files: files.length + (options.signer ? 2 : 1),
    signed: !!options.signer,
    bytes: files.reduce((sum, f) => sum + f.bytes, 0) + Buffer.byteLength(manifestText),
    manifestSha256: sha256(manifestText).toString('hex'),
  };
}

/**
 * The streams in order, grouped so that each group holds about `batchSize` events by the heads;
 * a stream of more than `batchSize` events is a group of its own (read in pages).
 */
function streamGroups(streamIds: readonly string[], heads: Map<string, { version: number }>, batchSize: number): string[][] {
  const groups: string[][] = [];
  let group: string[] = [];
  let size = 0;
  for (const streamId of streamIds) {
    const events = heads.get(streamId)?.version ?? 0;
    if (events >= batchSize) {
      if (group.length) groups.push(group);
      groups.push([streamId]);
      group = [];
      size = 0;
      continue;
    }
    if (size + events > batchSize && group.length) {
      groups.push(group);
      group = [];
      size = 0;
    }
    group.push(streamId);
    size += events;
  }
  if (group.length) groups.push(group);
  return groups;
}

/**
 * Every stream with an event recorded for the organisation, and every chain one of its units is or
 * was a member of: a chain is several organisations' and its events name no single one, so each
 * member's archive holds the whole chain stream.
 */
async function organisationStreams(trx: PoolClient, organisationId: string): Promise<string[]> {
  const { rows } = await trx.query<{ stream_id: string }>(
    `SELECT DISTINCT stream_id FROM events
      WHERE metadata->>'tenantId' = $1
         OR (type IN ('ChainMemberAdded', 'ChainMemberRemoved') AND data->>'organisationId' = $1)`,
    [organisationId],
  );
  return rows.map((r) => r.stream_id);
}

/** The model versions the assessments were opened on and scored with. */
async function modelVersionsUsed(trx: PoolClient, assessmentStreams: string[]): Promise<{ key: string; version: string; streamId: string }[]> {
  if (assessmentStreams.length === 0) return [];
  const { rows } = await trx.query<{ key: string; version: string }>(
    `SELECT DISTINCT m->>'key' AS key, m->>'version' AS version
       FROM events, LATERAL (SELECT CASE WHEN type = 'AssessmentOpened' THEN data->'model' ELSE data->'score'->'model' END AS m) AS model
      WHERE stream_id = ANY($1::text[]) AND type IN ('AssessmentOpened', 'ScoreCalculated', 'ScoreRecalculated')`,
    [assessmentStreams],
  );
  return rows
    .filter((r) => r.key && r.version)
    .map((r) => ({ key: r.key, version: r.version, streamId: modelVersionStreamId(r.key, r.version) }))
    .sort((a, b) => (a.streamId < b.streamId ? -1 : 1));
}

async function streamHeads(trx: PoolClient, streamIds: string[]): Promise<Map<string, { version: number; hash: string }>> {
  const { rows } = await trx.query<{ stream_id: string; version: string; hash: string }>(
    `SELECT stream_id, version::text, encode(head_hash, 'hex') AS hash FROM streams WHERE stream_id = ANY($1::text[])`,
    [streamIds],
  );
  return new Map(rows.map((r) => [r.stream_id, { version: Number(r.version), hash: r.hash }]));
}

function scopeLabel(scope: OpenedAssessment['scope']): string {
  switch (scope.kind) {
    case 'unit':
      return `eenheid ${scope.unitId}`;
    case 'chain':
      return `keten ${scope.chainId}`;
    default:
      return `organisatie ${scope.organisationId}`;
  }
}
