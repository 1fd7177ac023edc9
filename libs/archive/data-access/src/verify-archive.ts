import { createHash } from 'node:crypto';
import { sameJson } from '@maatlat/shared/domain';
import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { contentHash, genesisHash, linkHash } from '@maatlat/shared/event-store';
import { modelVersionDecider, type ModelVersionEvent, type ModelVersionState } from '@maatlat/model-catalogue/domain';
import {
  answersOf,
  mapAnswers,
  parseResponseStreamId,
  responseStreamId,
  scoreDifferences,
  SCORING_ALGORITHMS,
  scoreWith,
  type AssessmentEvent,
  type RecordedAssessmentEvent,
} from '@maatlat/assessments/domain';
import {
  ARCHIVE_FORMAT,
  archivedAs,
  checkpointSignatureHolds,
  leafHash,
  MANIFEST_FILE,
  MANIFEST_SIGNATURE_FILE,
  manifestSignatureHolds,
  rootFromInclusionProof,
  type ArchivedEvent,
  type ManifestSignature,
  type ArchiveManifest,
  type PublicJwk,
  type SignedCheckpoint,
} from '@maatlat/archive/domain';


/** One thing that does not hold, where it is: the file, and the line (1-based) when a line is to blame. */
export interface Discrepancy {
  file: string;
  line?: number;
  problem: string;
}

export interface ArchiveVerifyReport {
  ok: boolean;
  organisationId: string | null;
  filesChecked: number;
  streamsChecked: number;
  eventsChecked: number;
  scoresChecked: number;
  /** The signed checkpoint the export is anchored in, and how many stream heads were proven in it. */
  checkpoint: { sequence: number; keyId: string; streamsProven: number } | null;
  /** The platform's signature over the manifest (so over the set of files), and the key it held for; null when the export is not signed. */
  manifestSignature: { keyId: string } | null;
  /** The first discrepancy: in manifest order, the earliest file and line. */
  first: Discrepancy | null;
  discrepancies: Discrepancy[];
}

interface ParsedStream {
  file: string;
  /** The lines that parsed, with their line numbers. */
  events: { line: number; event: ArchivedEvent }[];
  /** The chain walk stopped at a discrepancy already reported. */
  broken: boolean;
}

/**
 * Verifies an archival export with no database and no network: every file against the manifest
 * (SHA-256 and size, nothing missing, nothing extra), every stream's hash chain re-walked from its
 * genesis to the head the manifest records, and every recorded score recomputed with the algorithm
 * and the model version it names (the model read from the export's own model version streams) on
 * exactly the answers it cites: its cut of the response streams, each checked to hold the event
 * the score read at that version (answers in the assessment's own stream for older assessments).
 * @example const report = await verifyArchive('exports/org-1'); if (!report.ok) console.log(report.first);
 */
export async function verifyArchive(directory: string, options: { publicKey?: PublicJwk } = {}): Promise<ArchiveVerifyReport> {
  const discrepancies: Discrepancy[] = [];
  const report = (extra: Partial<ArchiveVerifyReport>): ArchiveVerifyReport => {
    const ordered = orderDiscrepancies(discrepancies, manifest);
    return {
      ok: ordered.length === 0,
      organisationId: manifest?.organisationId ?? null,
      filesChecked: 0,
      streamsChecked: 0,
      eventsChecked: 0,
      scoresChecked: 0,
      checkpoint: null,
      manifestSignature: null,
      ...extra,
      first: ordered[0] ?? null,
      discrepancies: ordered,
    };
  };
  let manifest: ArchiveManifest | undefined;
  let manifestBytes: Buffer;
  try {
    manifestBytes = await readFile(join(directory, MANIFEST_FILE));
    manifest = JSON.parse(manifestBytes.toString('utf8')) as ArchiveManifest;
  } catch (error) {
    discrepancies.push({ file: MANIFEST_FILE, problem: `the manifest cannot be read: ${(error as Error).message}` });
    return report({});
  }
  if (manifest.format !== ARCHIVE_FORMAT) {
    discrepancies.push({ file: MANIFEST_FILE, problem: `unknown format ${JSON.stringify(manifest.format)}, expected ${ARCHIVE_FORMAT}` });
    return report({});
  }

  // Files: present, of the recorded size and SHA-256, and nothing the manifest does not list.
  const listed = new Set(manifest.files.map((f) => f.path));
  const present = await listFiles(directory);
  for (const path of present) {
    if (path !== MANIFEST_FILE && path !== MANIFEST_SIGNATURE_FILE && !listed.has(path)) discrepancies.push({ file: path, problem: 'the file is not in the manifest' });
  }
  const contents = new Map<string, Buffer>();
  const checksumFailed = new Set<string>();
  // Read synchronously: an export is thousands of small files, and each asynchronous read is four
  // hand-offs to Node's thread pool (open, stat, read, close), which cost more than the read itself
  // (1,554 files of 68 MB, read and hashed: 84-124 ms so, 198-298 ms with sixteen reads in flight).
  for (const file of manifest.files) {
    const bytes = readIfThere(join(directory, file.path));
    if (!bytes) {
      discrepancies.push({ file: file.path, problem: 'the file is missing' });
      continue;
    }
    contents.set(file.path, bytes);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (sha256 !== file.sha256 || bytes.length !== file.bytes) checksumFailed.add(file.path);
  }

  // Streams: every line parsed, in version order, each link recomputed, the head as recorded.
  const parsed = new Map<string, ParsedStream>();
  // Only the streams whose scores are replayed (and the models they use) keep their events' data:
  // the rest need no more than their place in the chain, so their data is let go line by line.
  // An assessment's answers are in its response streams (`response-ASSESSMENT:RESPONDENT`), or for
  // one answered before those existed, in its own stream: both are replayed.
  const assessed = new Set(manifest.assessments.map((a) => a.assessmentId));
  const replayed = new Set([
    ...manifest.assessments.map((a) => a.streamId),
    ...manifest.modelVersions.map((m) => m.streamId),
    ...manifest.streams.filter((s) => s.category === 'response' && assessed.has(responseOf(s.streamId))).map((s) => s.streamId),
  ]);
  let eventsChecked = 0;
  for (const stream of manifest.streams) {
    const bytes = contents.get(stream.file);
    if (!bytes) continue;
    const lineProblems: Discrepancy[] = [];
    const events: ParsedStream['events'] = [];
    let previous = genesisHash(stream.streamId);
    let expected = 1;
    const lines = bytes.toString('utf8').split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    for (let i = 0; i < lines.length && lineProblems.length === 0; i++) {
      const line = i + 1;
      let event: ArchivedEvent;
      try {
        event = JSON.parse(lines[i]) as ArchivedEvent;
      } catch {
        lineProblems.push({ file: stream.file, line, problem: 'the line is not valid JSON' });
        break;
      }
      eventsChecked += 1;
      const problem = checkLink(event, stream.streamId, expected, previous);
      if (problem) {
        lineProblems.push({ file: stream.file, line, problem });
        break;
      }
      events.push({ line, event: replayed.has(stream.streamId) ? event : { ...event, data: null, metadata: {} } });
      previous = Buffer.from(event.hash, 'hex');
      expected = event.version + 1;
    }
    if (lineProblems.length === 0) {
      const last = events[events.length - 1]?.event;
      if (!last || last.version !== stream.head.version) {
        lineProblems.push({ file: stream.file, line: lines.length, problem: `the stream ends at version ${last?.version ?? 0} but its head is at version ${stream.head.version}` });
      } else if (last.hash !== stream.head.hash) {
        lineProblems.push({ file: stream.file, line: lines.length, problem: 'the last event does not match the stream head' });
      }
    }
    if (checksumFailed.has(stream.file)) {
      checksumFailed.delete(stream.file);
      discrepancies.push(
        lineProblems.length
          ? { ...lineProblems[0], problem: `${lineProblems[0].problem} (and the file does not match its SHA-256 in the manifest)` }
          : { file: stream.file, problem: 'the file does not match its SHA-256 or size in the manifest' },
      );
    } else {
      discrepancies.push(...lineProblems);
    }
    parsed.set(stream.streamId, { file: stream.file, events, broken: lineProblems.length > 0 });
  }
  for (const path of checksumFailed) discrepancies.push({ file: path, problem: 'the file does not match its SHA-256 or size in the manifest' });

  // Scores: each recorded score recomputed with its own algorithm and model version.
  const models = new Map<string, ModelVersionState>();
  for (const model of manifest.modelVersions) {
    const stream = parsed.get(model.streamId);
    if (!stream) continue;
    let state = modelVersionDecider.initialState();
    for (const { event } of stream.events) state = modelVersionDecider.evolve(state, archivedAs<ModelVersionEvent>(event));
    models.set(`${model.key}@${model.version}`, state);
  }
  let scoresChecked = 0;
  for (const assessment of manifest.assessments) {
    const stream = parsed.get(assessment.streamId);
    if (!stream) continue;
    const { events: recorded, lineOf } = assessmentEvents(assessment.assessmentId, stream, parsed);
    for (const { line, event: archived } of stream.events) {
      const event = archivedAs<AssessmentEvent>(archived);
      if (event.type !== 'ScoreCalculated' && event.type !== 'ScoreRecalculated') continue;
      scoresChecked += 1;
      const { score } = event.data;
      const model = models.get(`${score.model.key}@${score.model.version}`);
      if (!model || model.status === 'none' || model.status === 'draft') {
        discrepancies.push({ file: stream.file, line, problem: `the model version ${score.model.key}@${score.model.version} it was scored with is not in the export (published)` });
        continue;
      }
      if (!SCORING_ALGORITHMS[score.algorithm]) {
        discrepancies.push({ file: stream.file, line, problem: `unknown scoring algorithm ${score.algorithm}` });
        continue;
      }
      // The score's cut: every response stream it read must hold, at the version it read, the very
      // event it saw. A stream whose chain broke has its discrepancy reported already, at its line.
      let cutHolds = true;
      for (const cut of event.data.responses ?? []) {
        const response = parsed.get(cut.streamId);
        if (response?.broken) {
          cutHolds = false;
          continue;
        }
        const at = lineOf.get(`${cut.streamId}#${cut.version}`);
        if (!response || !at) {
          discrepancies.push({ file: stream.file, line, problem: `the score read ${cut.streamId} up to version ${cut.version}, which the export does not hold` });
          cutHolds = false;
        } else if (at.hash !== cut.hash) {
          discrepancies.push({ file: response.file, line: at.line, problem: `the event at version ${cut.version} is not the one the score at ${stream.file} line ${line} read` });
          cutHolds = false;
        }
      }
      if (!cutHolds) continue;
      const answers = answersOf(recorded, event.data);
      const recomputed = scoreWith(score.algorithm, model.document, score.model.contentHash, event.type === 'ScoreRecalculated' ? mapAnswers(answers, event.data.mapping) : answers);
      // Most scores replay exactly: one comparison of canonical texts, the itemised diff only when they differ.
      const differences = sameJson(score, recomputed) ? [] : scoreDifferences(score, recomputed);
      if (differences.length) {
        const d = differences[0];
        discrepancies.push({
          file: stream.file,
          line,
          problem: `the recorded score differs from its recomputation at ${d.path}: recorded ${JSON.stringify(d.recorded)}, recomputed ${JSON.stringify(d.replayed)}${differences.length > 1 ? ` (${differences.length} differences)` : ''}`,
        });
      }
    }
  }

  const checkpoint = manifest.checkpoint ? checkAnchor(manifest.checkpoint, contents, parsed, options.publicKey, discrepancies) : null;
  const manifestSignature = await checkManifestSignature(directory, manifestBytes, present, options.publicKey, discrepancies);
  return report({ filesChecked: contents.size, streamsChecked: parsed.size, eventsChecked, scoresChecked, checkpoint, manifestSignature });
}

/**
 * The platform's signature over the manifest: with it, a stream left out of a copy (its file and
 * its manifest entries with it) shows, which the files and chains alone cannot. Checked with the key
 * given (the platform's published key), else with the one the export carries; with a key given,
 * an export without a signature is a discrepancy, since anyone could have taken it off.
 */
async function checkManifestSignature(
  directory: string,
  manifest: Buffer,
  present: readonly string[],
  trusted: PublicJwk | undefined,
  discrepancies: Discrepancy[],
): Promise<ArchiveVerifyReport['manifestSignature']> {
  if (!present.includes(MANIFEST_SIGNATURE_FILE)) {
    if (trusted) discrepancies.push({ file: MANIFEST_FILE, problem: `the manifest is not signed, though a key (${trusted.kid}) was given to check it with` });
    return null;
  }
  let signed: ManifestSignature;
  try {
    signed = JSON.parse(await readFile(join(directory, MANIFEST_SIGNATURE_FILE), 'utf8')) as ManifestSignature;
  } catch (error) {
    discrepancies.push({ file: MANIFEST_SIGNATURE_FILE, problem: `the manifest's signature cannot be read: ${(error as Error).message}` });
    return null;
  }
  const key = trusted ?? signed.publicKey;
  if (!key || !manifestSignatureHolds(signed, manifest, key)) {
    discrepancies.push({ file: MANIFEST_SIGNATURE_FILE, problem: `the manifest's signature does not hold for key ${key?.kid ?? '(none)'}: files were added, removed or changed after the export` });
    return null;
  }
  return { keyId: key.kid };
}

/**
 * The export against the signed checkpoint it is anchored in: the signature holds (with the key the
 * caller trusts, else the one in the export), each stream's audit path leads from its head there to
 * the signed root, and that head is the event the stream file holds at that version.
 */
function checkAnchor(
  anchor: NonNullable<ArchiveManifest['checkpoint']>,
  contents: Map<string, Buffer>,
  parsed: Map<string, ParsedStream>,
  trusted: PublicJwk | undefined,
  discrepancies: Discrepancy[],
): ArchiveVerifyReport['checkpoint'] {
  const bytes = contents.get(anchor.file);
  if (!bytes) return null;
  const signed = JSON.parse(bytes.toString('utf8')) as SignedCheckpoint & { publicKey?: PublicJwk };
  const key = trusted ?? signed.publicKey;
  if (!key) discrepancies.push({ file: anchor.file, problem: "no public key to check the checkpoint's signature with (give the platform's key)" });
  else if (!checkpointSignatureHolds(signed, key)) discrepancies.push({ file: anchor.file, problem: `the checkpoint's signature does not hold for key ${key.kid}` });
  let proven = 0;
  for (const proof of anchor.proofs) {
    let root: string | null = null;
    try {
      root = rootFromInclusionProof(leafHash(proof.head), proof.index, signed.statement.streams, proof.path).toString('hex');
    } catch {
      root = null;
    }
    if (root !== signed.statement.root) {
      discrepancies.push({ file: MANIFEST_FILE, problem: `the audit path of ${proof.streamId} does not lead to the root checkpoint ${signed.statement.sequence} signed` });
      continue;
    }
    const stream = parsed.get(proof.streamId);
    // A stream whose chain is broken has its discrepancy reported already, at its line.
    if (!stream || stream.broken) continue;
    const at = stream.events.find((e) => e.event.version === proof.head.version);
    if (!at || at.event.hash !== proof.head.hash) {
      discrepancies.push({
        file: stream.file,
        ...(at ? { line: at.line } : {}),
        problem: `the event at version ${proof.head.version} is not the one checkpoint ${signed.statement.sequence} covered: the stream was rewritten`,
      });
      continue;
    }
    proven += 1;
  }
  return { sequence: signed.statement.sequence, keyId: signed.statement.keyId, streamsProven: proven };
}

/** The assessment a response stream belongs to, or '' for a stream id that is not one. */
function responseOf(streamId: string): string {
  try {
    return parseResponseStreamId(streamId).assessmentId;
  } catch {
    return '';
  }
}

/**
 * The assessment's events as the platform reads them to score: its own stream and the response
 * stream of every respondent it invited, merged in the order they were appended (their global
 * position); and where each response event is (`stream#version`), to check a score's cut.
 */
function assessmentEvents(assessmentId: string, own: ParsedStream, parsed: Map<string, ParsedStream>) {
  const merged: { position: number; recorded: RecordedAssessmentEvent }[] = [];
  const lineOf = new Map<string, { line: number; hash: string }>();
  const read = new Set<string>();
  const add = (event: ArchivedEvent, streamId?: string) => {
    const recorded: RecordedAssessmentEvent = { version: event.version, eventId: event.eventId, hash: event.hash, event: archivedAs<AssessmentEvent>(event) };
    if (streamId) recorded.streamId = streamId;
    merged.push({ position: event.position, recorded });
  };
  for (const { event: archived } of own.events) {
    add(archived);
    const event = archivedAs<AssessmentEvent>(archived);
    if (event.type !== 'RespondentInvitedToAssessment') continue;
    const streamId = responseStreamId(assessmentId, event.data.respondentId);
    if (read.has(streamId)) continue;
    read.add(streamId);
    for (const { line, event: answered } of parsed.get(streamId)?.events ?? []) {
      add(answered, streamId);
      lineOf.set(`${streamId}#${answered.version}`, { line, hash: answered.hash });
    }
  }
  merged.sort((a, b) => a.position - b.position);
  return { events: merged.map((m) => m.recorded), lineOf };
}

function checkLink(event: ArchivedEvent, streamId: string, expected: number, previous: Buffer): string | undefined {
  if (event.streamId !== streamId) return `the event belongs to stream ${event.streamId}, not ${streamId}`;
  if (event.version !== expected) return event.version > expected ? `version ${expected} is missing` : `version ${event.version} appears twice`;
  const content = contentHash({ eventId: event.eventId, type: event.type, schemaVersion: event.schemaVersion, data: event.data, metadata: event.metadata });
  if (content.toString('hex') !== event.contentHash) return 'the event content does not match its content hash';
  if (event.previousHash !== previous.toString('hex')) return 'the previous-hash link does not match the preceding event';
  if (linkHash(previous, content, event.version, new Date(event.recordedAt)).toString('hex') !== event.hash) return 'the link hash does not match the event';
  return undefined;
}

function readIfThere(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

async function listFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(directory, join(e.parentPath, e.name)).split(sep).join('/'));
}

/** Manifest order (the manifest first, then its files in order), then line. */
function orderDiscrepancies(discrepancies: Discrepancy[], manifest: ArchiveManifest | undefined): Discrepancy[] {
  const rank = new Map<string, number>([[MANIFEST_FILE, -1]]);
  manifest?.files.forEach((f, i) => rank.set(f.path, i));
  const rankOf = (d: Discrepancy) => rank.get(d.file) ?? Number.MAX_SAFE_INTEGER;
  return [...discrepancies].sort((a, b) => rankOf(a) - rankOf(b) || (a.line ?? 0) - (b.line ?? 0));
}
