import { readFile, writeFile } from 'node:fs/promises';
import type { Pool } from 'pg';
import type { AppConfig } from '@maatlat/shared/config';
import { organisationsFeature } from '@maatlat/organisations/feature';
import { archiveFeature, CHECKPOINT_SEQUENCE, type ArchiveServices, type PublicJwk, type ScoreInclusionProof } from '@maatlat/archive/feature';
import { UsageError, type CommandResult } from './commands';
import { withFeatures } from './features';

/** The archive's services (with the organisations an export names): no model catalogue, no key-encryption keys needed. */
const withArchive = <T>(config: AppConfig, work: (context: { pool: Pool; services: ArchiveServices }) => Promise<T>) =>
  withFeatures(config, [organisationsFeature, archiveFeature], work);

/** `archive export --organisation ID OUT_DIR`: the organisation's complete event history, for the archive. */
export async function archiveExport(config: AppConfig, organisationId: string | undefined, directory: string | undefined, options: { retention?: string }): Promise<CommandResult> {
  if (!organisationId || !directory) throw new UsageError('archive export needs --organisation ID and an output directory');
  if (options.retention !== undefined && !archiveFeature.offline.RETENTION_PATTERN.test(options.retention)) {
    throw new UsageError(`--retention must be an ISO 8601 duration such as P20Y, P10Y or P6M, not "${options.retention}"`);
  }
  return withArchive(config, async ({ pool, services }) => {
    const started = Date.now();
    const summary = await services.archiveExports.exportTo(pool, organisationId, directory, { retention: options.retention });
    return {
      output: [
        `exported organisation ${organisationId} to ${directory}: ${summary.streams} stream(s), ${summary.events} event(s), ${summary.files} file(s), ${summary.bytes} bytes in ${Date.now() - started} ms`,
        `manifest.json SHA-256 ${summary.manifestSha256}`,
      ].join('\n'),
      exitCode: 0,
    };
  });
}

/** `archive verify DIR`: no database, no network; exit code 2 with the first discrepancy by file and line. */
export async function archiveVerify(directory: string | undefined, options: { json?: boolean; publicKey?: string }): Promise<CommandResult> {
  if (!directory) throw new UsageError('archive verify needs the directory of an export');
  const report = await archiveFeature.offline.verifyArchive(directory, { publicKey: options.publicKey ? await readPublicKey(options.publicKey) : undefined });
  const exitCode = report.ok ? 0 : 2;
  if (options.json) return { output: JSON.stringify(report, null, 2), exitCode };
  if (report.ok) {
    return {
      output: `verified: ${directory}, ${report.filesChecked} file(s) match the manifest, ${report.streamsChecked} hash chain(s) intact (${report.eventsChecked} events), ${report.scoresChecked} score(s) recomputed exactly${
        report.checkpoint ? `, ${report.checkpoint.streamsProven} stream head(s) proven in signed checkpoint ${report.checkpoint.sequence} (key ${report.checkpoint.keyId})` : ', no checkpoint covers it'
      }${report.manifestSignature ? `; the manifest (every file) signed with key ${report.manifestSignature.keyId}` : '; the manifest is not signed'}`,
      exitCode,
    };
  }
  const where = (d: { file: string; line?: number }) => (d.line ? `${d.file}:${d.line}` : d.file);
  const lines = [`DISCREPANCY: ${where(report.first!)}: ${report.first!.problem}`];
  for (const d of report.discrepancies.slice(1, 20)) lines.push(`  also ${where(d)}: ${d.problem}`);
  return { output: lines.join('\n'), exitCode };
}

/** `checkpoint create [--out FILE]`: a signed checkpoint of the whole log now; the file keeps the covered heads. */
export async function createCheckpoint(config: AppConfig, options: { out?: string }): Promise<CommandResult> {
  return withArchive(config, async ({ pool, services }) => {
    const started = Date.now();
    const file = await services.checkpoints.recordAsFile(pool);
    if (options.out) await writeFile(options.out, `${JSON.stringify(file)}\n`);
    const { statement } = file;
    return {
      output: [
        `checkpoint ${statement.sequence}: ${statement.streams} stream(s) up to position ${statement.logPosition.position}, root ${statement.root}, signed with key ${statement.keyId} in ${Date.now() - started} ms`,
        ...(options.out ? [`written to ${options.out} (with the heads it covers)`] : []),
      ].join('\n'),
      exitCode: 0,
    };
  });
}

/**
 * `verify --checkpoint FILE [--sequence N] [--public-key JWK_FILE]`: the current log still holds
 * exactly what the checkpoint covered; exit code 2 when not. Any copy will do: a file of `checkpoint
 * create`, the API's answer, an export's, a score proof, the open dataset's list (`checkpointFromCopy`).
 */
export async function verifyCheckpointFile(config: AppConfig, path: string, options: { json?: boolean; sequence?: string; publicKey?: string }): Promise<CommandResult> {
  if (options.sequence !== undefined && !CHECKPOINT_SEQUENCE.test(options.sequence)) throw new UsageError(`--sequence must be a checkpoint's number (1, 2, …), not "${options.sequence}"`);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`${path} is not a readable JSON file: ${(error as Error).message}`);
  }
  const copy = archiveFeature.offline.checkpointFromCopy(json, options.sequence === undefined ? undefined : Number(options.sequence));
  if (typeof copy === 'string') throw new UsageError(`${path} is not a copy of a checkpoint: ${copy}`);
  const publicKey = options.publicKey ? await readPublicKey(options.publicKey, copy.statement.keyId) : undefined;
  if (!publicKey && !copy.publicKey && !config.signingKey) {
    throw new UsageError(`${path} carries no public key for key ${copy.statement.keyId}: give --public-key FILE (a JWK, or the key set at /.well-known/maatlat-keys)`);
  }
  const result = await withArchive(config, ({ pool, services }) => services.checkpoints.verifyFile(pool, copy, publicKey));
  const exitCode = result.ok ? 0 : 2;
  if (options.json) return { output: JSON.stringify(result, null, 2), exitCode };
  if (result.ok) return { output: `verified: the log holds exactly what checkpoint ${result.sequence} covered (${result.streamsCovered} stream(s)), signature valid`, exitCode };
  return { output: [`CHECKPOINT ${result.sequence} DOES NOT HOLD:`, ...result.problems.map((p) => `  ${p}`), ...result.streams.map((s) => `  ${s.streamId}: ${s.problem}`)].join('\n'), exitCode };
}

/** `proof --assessment ID [--checkpoint SEQ] [--with-event]`: an inclusion proof of the assessment's latest score event, as JSON. */
export async function scoreProof(config: AppConfig, assessmentId: string | undefined, sequence: string | undefined, options: { withEvent?: boolean } = {}): Promise<CommandResult> {
  if (!assessmentId) throw new UsageError('proof needs --assessment ID');
  if (sequence !== undefined && !CHECKPOINT_SEQUENCE.test(sequence)) throw new UsageError(`--checkpoint must be a checkpoint's number (1, 2, …), not "${sequence}"`);
  return withArchive(config, async ({ pool, services }) => {
    try {
      return { output: JSON.stringify(await services.checkpoints.scoreProofUnchecked(pool, assessmentId, sequence === undefined ? undefined : Number(sequence), options.withEvent), null, 1), exitCode: 0 };
    } catch (error) {
      if ((error as { code?: string }).code !== 'checkpoint.not-found') throw error;
      throw new UsageError(sequence === undefined ? 'no checkpoint has been recorded yet: run checkpoint create' : `there is no checkpoint ${sequence}`);
    }
  });
}

/** `proof verify FILE --public-key JWK_FILE`: checks a score's inclusion proof offline. */
export async function verifyScoreProof(path: string | undefined, keyPath: string | undefined): Promise<CommandResult> {
  if (!path || !keyPath) throw new UsageError("proof verify needs the proof's file and --public-key FILE (a JWK, or the key set cli keys public prints)");
  const proof = JSON.parse(await readFile(path, 'utf8')) as ScoreInclusionProof;
  const keys = JSON.parse(await readFile(keyPath, 'utf8')) as PublicJwk | { keys: PublicJwk[] };
  const key = 'keys' in keys ? keys.keys.find((k) => k.kid === proof.checkpoint.statement.keyId) : keys;
  if (!key) return { output: `no key ${proof.checkpoint.statement.keyId} in ${keyPath}`, exitCode: 2 };
  const problems = archiveFeature.offline.checkScoreInclusionProof(proof, key);
  if (problems.length === 0) {
    return { output: `verified: score event ${proof.event.version} of ${proof.event.streamId} is in the log checkpoint ${proof.checkpoint.statement.sequence} covers (root ${proof.checkpoint.statement.root})`, exitCode: 0 };
  }
  return { output: ['PROOF DOES NOT HOLD:', ...problems.map((p) => `  ${p}`)].join('\n'), exitCode: 2 };
}

/** A JWK, or a key set (as `keys public` prints it): the key with the id asked for, else its first. */
async function readPublicKey(path: string, keyId?: string): Promise<PublicJwk> {
  const keys = JSON.parse(await readFile(path, 'utf8')) as PublicJwk | { keys: PublicJwk[] };
  return 'keys' in keys ? (keys.keys.find((k) => k.kid === keyId) ?? keys.keys[0]) : keys;
}

/** `keys public`: the checkpoint key's public half as a JWK set, to publish and to check checkpoints and proofs with. */
export async function publicKeys(config: AppConfig): Promise<CommandResult> {
  return withArchive(config, async ({ services }) => ({ output: JSON.stringify({ keys: [services.checkpoints.signingKey()] }, null, 2), exitCode: 0 }));
}
