/**
 * Archive benchmark: export and offline verification of an organisation with 20 assessments of
 * ~3,000 events each (targets: export >= 50,000 events/s, verify >= 30,000 events/s with every
 * score recomputed), as on a platform with SIGNING_KEY (anchored in a checkpoint, the manifest
 * signed, both checked with the platform's key), each against a baseline measured in the same run (reading the same events
 * bare from PostgreSQL; SHA-256 of the same files); then a signed checkpoint over 1,000,000
 * streams (filler streams inserted in bulk with SQL, one event each), the check of the log
 * against it, and the size and check time of a score's inclusion proof (by default the event's
 * link only; with the score event's data as well). The export's third baseline is the file system:
 * the same files written again and nothing else (creating a file is the larger part of writing one
 * here, and an export is a file per stream). Rates are also given per CPU-second of this
 * process, less sensitive to a shared machine's load (the export's PostgreSQL time not included).
 * Scale down for a quick look: CHECKPOINT_STREAMS=100000 ASSESSMENTS=4 npm run bench:archive
 * Each round's figures as well: BENCH_VERBOSE=1 npm run bench:archive
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { createTestDatabase, prepareTemplateDatabase, testConfig } from '@maatlat/shared/testing';
import { PostgresEventStore } from '@maatlat/shared/event-store';
import type { CommandMetadata } from '@maatlat/shared/domain';
import { SHIPPED_MODELS } from '@maatlat/model-catalogue/domain';
import { ModelCatalogue } from '@maatlat/model-catalogue/data-access';
import { Organisations } from '@maatlat/organisations/data-access';
import { PersonalDataVault, Respondents } from '@maatlat/respondents/data-access';
import { assessmentsFeature } from '@maatlat/assessments/feature';
import { CheckpointSigner } from '@maatlat/archive/domain';
import { checkpointFile, checkScoreInclusionProof, exportArchive, recordCheckpoint, scoreInclusionProof, verifyArchive, verifyCheckpoint } from '@maatlat/archive/data-access';

const ASSESSMENTS = Number(process.env.ASSESSMENTS ?? 20);
const RESPONDENTS = Number(process.env.RESPONDENTS ?? 73);
const CHECKPOINT_STREAMS = Number(process.env.CHECKPOINT_STREAMS ?? 1_000_000);
const ROUNDS = 3;
const meta = (actor = 'bench'): CommandMetadata => ({ now: new Date(), actor, correlationId: randomUUID() });

const median = (samples: number[]) => [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)];
/** Wall time, and this process's CPU time (user + system): less sensitive to a shared machine's load. */
async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; cpuMs: number; result: T }> {
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const result = await work();
  const used = process.cpuUsage(cpu);
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, cpuMs: (used.user + used.system) / 1000, result };
}

async function main(): Promise<void> {
  await prepareTemplateDatabase();
  const database = await createTestDatabase({ maxConnections: 8 });
  const { db, pool } = database;
  const work = await mkdtemp(join(tmpdir(), 'maatlat-bench-archive-'));
  try {
    const store = new PostgresEventStore(db, pool);
    const config = testConfig({ DATABASE_URL: database.url });
    const catalogue = new ModelCatalogue(db, store);
    const organisations = new Organisations(db, store);
    const vault = PersonalDataVault.fromConfig(db, config);
    const respondents = new Respondents(db, store, vault);
    const { assessments } = assessmentsFeature.createServices(db, store, config, { catalogue, organisations, respondents, vault });
    await catalogue.draft({ document: SHIPPED_MODELS['2026.1'] }, meta());
    await catalogue.publish('datagedreven-overheid', '2026.1', { legalBasis: 'Woo', effectiveFrom: '2026-01-01' }, meta());
    const { organisationId } = await organisations.register({ name: 'Archiefgemeente', organisationType: 'municipality', sizeBand: 'large' }, meta());
    const questions = SHIPPED_MODELS['2026.1'].factors.flatMap((f) => f.questions.map((q) => q.id));
    const made = Date.now();
    const people: string[] = [];
    for (let i = 0; i < RESPONDENTS; i++) people.push((await respondents.register(organisationId, { name: `Respondent ${i}`, email: `r${i}@example.nl` }, meta())).respondentId);
    let firstAssessment = '';
    for (let a = 0; a < ASSESSMENTS; a++) {
      const { assessmentId } = await assessments.open(
        { organisationId, scope: { kind: 'organisation', organisationId }, period: `${2026 + Math.floor(a / 4)}-${a}`, model: { key: 'datagedreven-overheid', version: '2026.1' }, layers: ['strategic', 'tactical', 'operational'] },
        meta(),
      );
      firstAssessment ||= assessmentId;
      for (const [i, respondentId] of people.entries()) {
        await assessments.invite(assessmentId, respondentId, (['strategic', 'tactical', 'operational'] as const)[i % 3], meta());
        await assessments.recordAnswers(assessmentId, respondentId, questions.map((questionId, q) => ({ questionId, answer: (i + q + a) % 11 === 0 ? { dontKnow: true as const } : { level: (i + q + a) % 6 } })), meta(respondentId), { submit: true });
      }
      await assessments.close(assessmentId, meta());
    }
    // An assessment's events: its own stream (opened, invitations, closed, scored) and one response
    // stream per respondent (the answers and the submission).
    const { rows: counted } = await pool.query<{ own: number; responses: number }>(
      `SELECT count(*) FILTER (WHERE stream_id LIKE 'assessment-%')::int AS own, count(*) FILTER (WHERE stream_id LIKE 'response-%')::int AS responses FROM events`,
    );
    const perAssessment = Math.round((counted[0].own + counted[0].responses) / ASSESSMENTS);
    console.log(
      `organisation: ${ASSESSMENTS} assessments of ${perAssessment} events each (${Math.round(counted[0].own / ASSESSMENTS)} in the assessment's stream, ` +
        `${Math.round(counted[0].responses / ASSESSMENTS)} in its ${RESPONDENTS} response streams), made in ${((Date.now() - made) / 1000).toFixed(0)} s`,
    );

    // Export and verify, in turns with their baselines so that a slow spell falls on both.
    const exportMs: number[] = [];
    const exportCpuMs: number[] = [];
    const verifyCpuMs: number[] = [];
    const readMs: number[] = [];
    const verifyMs: number[] = [];
    const hashMs: number[] = [];
    const writeMs: number[] = [];
    let events = 0;
    let scores = 0;
    let bytes = 0;
    // As on a platform with SIGNING_KEY: the export anchored in the latest checkpoint (an audit path
    // per stream) and its manifest signed; verify checks both with the platform's key.
    const signer = new CheckpointSigner('bench', Buffer.alloc(32, 9));
    await recordCheckpoint(pool, signer);
    for (let round = 0; round <= ROUNDS; round++) {
      const dir = join(work, `export-${round}`);
      const exported = await timed(() => exportArchive(pool, organisationId, dir, { signer }));
      const bare = await timed(() => pool.query(`SELECT stream_id, version, data::text, metadata::text, content_hash, previous_hash, hash FROM events WHERE metadata->>'tenantId' = $1 ORDER BY stream_id, version`, [organisationId]));
      const verified = await timed(() => verifyArchive(dir, { publicKey: signer.publicJwk }));
      if (!verified.result.ok) throw new Error(`verify failed: ${JSON.stringify(verified.result.first)}`);
      if (!verified.result.checkpoint || !verified.result.manifestSignature) throw new Error('the export was not anchored in the checkpoint and signed');
      const files = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
      const hashed = await timed(async () => {
        for (const f of files) createHash('sha256').update(await readFile(join(f.parentPath, f.name))).digest();
      });
      // The file system's share: the same files (names, folders and bytes) written again and nothing else, the way the export writes them.
      const copies = await Promise.all(files.map(async (f) => ({ path: join(`${dir}-rewritten`, relative(dir, join(f.parentPath, f.name))), bytes: await readFile(join(f.parentPath, f.name)) })));
      const rewritten = await timed(async () => {
        for (const folder of new Set(copies.map((c) => dirname(c.path)))) mkdirSync(folder, { recursive: true });
        for (const copy of copies) writeFileSync(copy.path, copy.bytes);
      });
      // Kept until the end: see the note on deleting below.
      if (process.env.BENCH_VERBOSE) console.log(`  round ${round}: export ${exported.ms.toFixed(0)} ms (cpu ${exported.cpuMs.toFixed(0)}), bare ${bare.ms.toFixed(0)}, verify ${verified.ms.toFixed(0)}, write ${rewritten.ms.toFixed(0)}`);
      if (round === 0) continue; // warm-up
      exportMs.push(exported.ms);
      exportCpuMs.push(exported.cpuMs);
      verifyCpuMs.push(verified.cpuMs);
      readMs.push(bare.ms);
      verifyMs.push(verified.ms);
      hashMs.push(hashed.ms);
      writeMs.push(rewritten.ms);
      events = exported.result.events;
      bytes = exported.result.bytes;
      scores = verified.result.scoresChecked;
      // Not deleted here: ext4 without a journal does not reuse an inode deleted in the last minute
      // (five, while its table block is unwritten) and steps past each such inode for every file it
      // creates; 3,000 files deleted before an export made its files take a second instead of 0.1 s.
      // The export and its file baseline are measured without the bench's own deletions before them.
    }
    const exportRate = events / (median(exportMs) / 1000);
    const verifyRate = events / (median(verifyMs) / 1000);
    const exportCpuRate = events / (median(exportCpuMs) / 1000);
    const verifyCpuRate = events / (median(verifyCpuMs) / 1000);
    console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} on ${cpus().length} CPUs`);
    console.log(`export: ${events} events, ${(bytes / 1e6).toFixed(1)} MB in ${median(exportMs).toFixed(0)} ms = ${Math.round(exportRate)} events/s (target 50000); bare read of the same events ${median(readMs).toFixed(0)} ms (export/bare ${(median(exportMs) / median(readMs)).toFixed(2)}); writing the same files alone ${median(writeMs).toFixed(0)} ms (export/write ${(median(exportMs) / median(writeMs)).toFixed(2)}); this process's CPU ${median(exportCpuMs).toFixed(0)} ms = ${Math.round(exportCpuRate)} events per CPU-second (PostgreSQL's share not included)`);
    console.log(`verify offline: ${events} events, ${scores} scores recomputed in ${median(verifyMs).toFixed(0)} ms = ${Math.round(verifyRate)} events/s (target 30000); SHA-256 of the files alone ${median(hashMs).toFixed(0)} ms (verify/hash ${(median(verifyMs) / median(hashMs)).toFixed(1)}); CPU ${median(verifyCpuMs).toFixed(0)} ms = ${Math.round(verifyCpuRate)} events per CPU-second`);

    // A signed checkpoint over many streams: filler streams, one event each, inserted in bulk.
    const fillStarted = Date.now();
    const { rows: existing } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM streams');
    const missing = Math.max(0, CHECKPOINT_STREAMS - existing[0].n);
    for (let from = 0; from < missing; from += 250_000) {
      const to = Math.min(missing, from + 250_000) - 1;
      await pool.query(
        `WITH g AS (SELECT i, 'filler-' || i AS id, sha256(convert_to('filler' || i, 'UTF8')) AS h FROM generate_series($1::int, $2::int) AS i),
              e AS (INSERT INTO events (stream_id, version, event_id, type, schema_version, data, metadata, recorded_at, content_hash, previous_hash, hash)
                    SELECT id, 1, gen_random_uuid(), 'FillerRecorded', 1, '{}'::jsonb, '{"actor":"bench","correlationId":"filler"}'::jsonb, now(), h, h, h FROM g)
         INSERT INTO streams (stream_id, category, version, head_hash, created_at, last_recorded_at)
         SELECT id, 'filler', 1, h, now(), now() FROM g`,
        [from, to],
      );
    }
    await pool.query('VACUUM (ANALYZE) events');
    await pool.query('VACUUM (ANALYZE) streams');
    console.log(`checkpoint store: ${missing} filler streams added in ${((Date.now() - fillStarted) / 1000).toFixed(0)} s`);
    const checkpointRuns: number[] = [];
    let checkpoint!: Awaited<ReturnType<typeof recordCheckpoint>>;
    for (let i = 0; i < 2; i++) {
      const run = await timed(() => recordCheckpoint(pool, signer));
      checkpointRuns.push(run.ms);
      checkpoint = run.result;
    }
    // The first keeps every filler stream's head (all new since the checkpoint before); the second, on an unchanged log, keeps none.
    const [checkpointMs, checkpointUnchangedMs] = checkpointRuns;
    const { rows: keptHeads } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM log_checkpoint_heads WHERE sequence = $1', [checkpoint.statement.sequence - 1]);
    const verifyCheckpointRun = await timed(() => verifyCheckpoint(pool, checkpointFile(checkpoint, signer.publicJwk, checkpoint.heads)));
    if (!verifyCheckpointRun.result.ok) throw new Error(`checkpoint check failed: ${JSON.stringify(verifyCheckpointRun.result.problems)}`);
    console.log(`checkpoint over ${checkpoint.statement.streams} streams: recorded and signed in ${checkpointMs.toFixed(0)} ms keeping the ${keptHeads[0].n} heads new since the checkpoint before, ${checkpointUnchangedMs.toFixed(0)} ms again with none changed; the log checked against it in ${verifyCheckpointRun.ms.toFixed(0)} ms`);

    // The organisation's export again, now that the platform holds a million streams: anchored in
    // this checkpoint, it reads the heads of its own streams' subtrees only, not every stream's.
    const largeStoreMs: number[] = [];
    for (let i = 0; i < 3; i++) {
      const run = await timed(() => exportArchive(pool, organisationId, join(work, `export-large-store-${i}`), { signer }));
      if (run.result.events !== events) throw new Error(`the export on the large store holds ${run.result.events} events, not ${events}`);
      largeStoreMs.push(run.ms);
    }
    const largeStoreRate = events / (median(largeStoreMs) / 1000);
    console.log(`export on the store of ${checkpoint.statement.streams} streams: ${events} events in ${median(largeStoreMs).toFixed(0)} ms = ${Math.round(largeStoreRate)} events/s (median of 3, anchored in that checkpoint)`);

    const proofRun = await timed(() => scoreInclusionProof(pool, checkpoint, firstAssessment));
    const proof = JSON.parse(JSON.stringify(proofRun.result));
    const proofBytes = Buffer.byteLength(JSON.stringify(proof));
    const full = JSON.parse(JSON.stringify(await scoreInclusionProof(pool, checkpoint, firstAssessment, { withEvent: true })));
    const withEvent = Buffer.byteLength(JSON.stringify(full));
    const fullChecks: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = process.hrtime.bigint();
      const problems = checkScoreInclusionProof(full, signer.publicJwk);
      fullChecks.push(Number(process.hrtime.bigint() - started) / 1e6);
      if (problems.length) throw new Error(`proof with the event failed: ${problems.join('; ')}`);
    }
    const checks: number[] = [];
    for (let i = 0; i < 50; i++) {
      const started = process.hrtime.bigint();
      const problems = checkScoreInclusionProof(proof, signer.publicJwk);
      checks.push(Number(process.hrtime.bigint() - started) / 1e6);
      if (problems.length) throw new Error(`proof failed: ${problems.join('; ')}`);
    }
    console.log(
      `inclusion proof of a score event: ${proofBytes} bytes (audit path ${proof.auditPath.length} hashes, ${proof.chain.length} later link(s)), made in ${proofRun.ms.toFixed(0)} ms, checked in ${median(checks).toFixed(2)} ms (median of 50); with the score event's data (withEvent) ${withEvent} bytes, checked in ${median(fullChecks).toFixed(1)} ms`,
    );

    console.log(
      JSON.stringify({
        bench: 'archive',
        assessments: ASSESSMENTS,
        eventsPerAssessment: perAssessment,
        events,
        exportEventsPerSecond: Math.round(exportRate),
        exportOnLargeStoreEventsPerSecond: Math.round(largeStoreRate),
        exportVsBareRead: Number((median(exportMs) / median(readMs)).toFixed(2)),
        exportVsFileWrites: Number((median(exportMs) / median(writeMs)).toFixed(2)),
        exportEventsPerCpuSecond: Math.round(exportCpuRate),
        verifyEventsPerSecond: Math.round(verifyRate),
        verifyVsSha256: Number((median(verifyMs) / median(hashMs)).toFixed(1)),
        verifyEventsPerCpuSecond: Math.round(verifyCpuRate),
        loadAverage1m: Number(loadavg()[0].toFixed(2)),
        scoresRecomputed: scores,
        exportTargetMet: exportRate >= 50_000,
        verifyTargetMet: verifyRate >= 30_000,
        checkpointStreams: checkpoint.statement.streams,
        checkpointMs: Math.round(checkpointMs),
        checkpointUnchangedMs: Math.round(checkpointUnchangedMs),
        checkpointVerifyMs: Math.round(verifyCheckpointRun.ms),
        proofBytes,
        proofBytesWithEvent: withEvent,
        proofAuditPathHashes: proof.auditPath.length,
        proofMakeMs: Math.round(proofRun.ms),
        proofCheckMs: Number(median(checks).toFixed(3)),
      }),
    );
  } finally {
    await rm(work, { recursive: true, force: true });
    await database.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
