import { randomUUID } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandMetadata } from '@maatlat/shared/domain';
import { contentHash, genesisHash, linkHash, PostgresEventStore, verifyEventStore } from '@maatlat/shared/event-store';
import { createTestDatabase, rewriteStreamWithChain, testConfig, type TestDatabase } from '@maatlat/shared/testing';
import { ModelCatalogue } from '@maatlat/model-catalogue/data-access';
import { SHIPPED_MODELS } from '@maatlat/model-catalogue/domain';
import { Organisations } from '@maatlat/organisations/data-access';
import { PersonalDataVault, Respondents } from '@maatlat/respondents/data-access';
import { assessmentsFeature } from '@maatlat/assessments/feature';
import { CheckpointSigner, leafHash, MANIFEST_FILE, MANIFEST_SIGNATURE_FILE, MerkleTree, SUBTREE_LEVEL, type ArchiveManifest, type ArchivedEvent } from '@maatlat/archive/domain';
import { checkpointFile, checkScoreInclusionProof, findCheckpoint, headsAt, proofsInLatestCheckpoint, recordCheckpoint, scoreInclusionProof, verifyCheckpoint } from './checkpoints';
import { exportArchive } from './export-archive';
import { verifyArchive } from './verify-archive';

const KEY = 'datagedreven-overheid';
const meta = (actor = 'coordinator-cor'): CommandMetadata => ({ now: new Date(), actor, correlationId: randomUUID() });

describe('signed checkpoints of the log', () => {
  let database: TestDatabase;
  let organisations: Organisations;
  let organisationId: string;
  let assessmentId: string;
  let work: string;
  const signer = new CheckpointSigner('platform-1', Buffer.alloc(32, 42));

  beforeAll(async () => {
    database = await createTestDatabase({ maxConnections: 6 });
    work = await mkdtemp(join(tmpdir(), 'maatlat-checkpoint-'));
    const store = new PostgresEventStore(database.db, database.pool);
    const config = testConfig({ DATABASE_URL: database.url });
    const catalogue = new ModelCatalogue(database.db, store);
    organisations = new Organisations(database.db, store);
    const vault = PersonalDataVault.fromConfig(database.db, config);
    const respondents = new Respondents(database.db, store, vault);
    const { assessments } = assessmentsFeature.createServices(database.db, store, config, { catalogue, organisations, respondents, vault });
    await catalogue.draft({ document: SHIPPED_MODELS['2026.1'] }, meta('admin'));
    await catalogue.publish(KEY, '2026.1', { legalBasis: 'Woo', effectiveFrom: '2026-01-01' }, meta('admin'));
    organisationId = (await organisations.register({ name: 'Provincie Ankerland', organisationType: 'province', sizeBand: 'large' }, meta('admin'))).organisationId;
    const questions = SHIPPED_MODELS['2026.1'].factors.flatMap((f) => f.questions.map((q) => q.id));
    assessmentId = (await assessments.open({ organisationId, scope: { kind: 'organisation', organisationId }, period: '2026', model: { key: KEY, version: '2026.1' }, layers: ['strategic', 'operational'] }, meta())).assessmentId;
    for (const [i, layer] of (['strategic', 'operational'] as const).entries()) {
      const { respondentId } = await respondents.register(organisationId, { name: `Persoon ${i}`, email: `p${i}@ankerland.example.nl` }, meta());
      await assessments.invite(assessmentId, respondentId, layer, meta());
      await assessments.recordAnswers(assessmentId, respondentId, questions.map((questionId, q) => ({ questionId, answer: { level: (i + q) % 6 } })), meta(respondentId), { submit: true });
    }
    await assessments.close(assessmentId, meta());
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
    await database.drop();
  });

  /** What someone with full database access does: rewrites an event and recomputes the stream's chain and head. */
  async function withClient<T>(work: (client: import('pg').PoolClient) => Promise<T>): Promise<T> {
    const client = await database.pool.connect();
    try {
      return await work(client);
    } finally {
      client.release();
    }
  }

  it('a checkpoint covers every stream head at a settled place in the log, signed', async () => {
    const checkpoint = await recordCheckpoint(database.pool, signer, new Date('2026-12-03T13:00:00Z'));
    const { rows } = await database.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM streams');
    expect(checkpoint.statement).toMatchObject({ format: 'maatlat-checkpoint/1', sequence: 1, streams: rows[0].n, keyId: 'platform-1', root: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(checkpoint.heads.map((h) => h.streamId)).toContain(`assessment-${assessmentId}`);
    const again = await recordCheckpoint(database.pool, signer);
    expect(again.statement.sequence).toBe(2);
    expect(again.statement.root).toBe(checkpoint.statement.root);
  });

  it('asked for on demand, a checkpoint waits a moment for what was committed before to settle, and no longer than it is told', async () => {
    // A transaction with an id, still running: every event committed after it is not settled yet.
    const holding = await database.pool.connect();
    try {
      await holding.query('BEGIN');
      await holding.query('SELECT pg_current_xact_id()');
      const { organisationId: later } = await organisations.register({ name: 'Na de Start', organisationType: 'municipality', sizeBand: 'small' }, meta('admin'));
      const started = Date.now();
      const behind = await recordCheckpoint(database.pool, signer, new Date(), 300);
      expect(Date.now() - started).toBeGreaterThanOrEqual(300);
      expect(behind.heads.map((h) => h.streamId)).not.toContain(`organisation-${later}`);
      setTimeout(() => void holding.query('COMMIT'), 200);
      const covering = await recordCheckpoint(database.pool, signer, new Date(), 10_000);
      expect(covering.heads.map((h) => h.streamId)).toContain(`organisation-${later}`);
    } finally {
      holding.release();
    }
  });

  it('verify --checkpoint: the log still holds what it covered, after more is appended', async () => {
    const checkpoint = await recordCheckpoint(database.pool, signer);
    const file = checkpointFile(checkpoint, signer.publicJwk, checkpoint.heads);
    await organisations.register({ name: 'Later Geregistreerd', organisationType: 'municipality', sizeBand: 'small' }, meta('admin'));
    await organisations.addUnit(organisationId, { parentUnitId: null, name: 'Directie Data', kind: 'department' }, meta());
    expect(await verifyCheckpoint(database.pool, file)).toMatchObject({ ok: true, signature: 'valid', streams: [], problems: [] });
    const forged = { ...file, statement: { ...file.statement, root: 'ee'.repeat(32) } };
    expect(await verifyCheckpoint(database.pool, forged)).toMatchObject({ ok: false, signature: 'invalid' });
  });

  it('an inclusion proof of a score event checks against the checkpoint with the public key alone', async () => {
    const checkpoint = await recordCheckpoint(database.pool, signer);
    const proof = await scoreInclusionProof(database.pool, checkpoint, assessmentId);
    expect(proof.event.type).toBe('ScoreCalculated');
    expect(proof.treeSize).toBe(checkpoint.statement.streams);
    // Small by default: the event's link, not the score itself.
    expect(proof.event).not.toHaveProperty('data');
    expect(proof.auditPath.length).toBeLessThanOrEqual(Math.ceil(Math.log2(proof.treeSize)));
    expect(checkScoreInclusionProof(JSON.parse(JSON.stringify(proof)), signer.publicJwk)).toEqual([]);
    const otherContent = { ...proof, event: { ...proof.event, contentHash: 'ab'.repeat(32) } };
    expect(checkScoreInclusionProof(otherContent, signer.publicJwk)).toContain('the score event does not give its recorded link hash');

    // With the score: its data and metadata must give the content hash the link holds.
    const full = await scoreInclusionProof(database.pool, checkpoint, assessmentId, { withEvent: true });
    expect(full.event.data).toMatchObject({ score: expect.any(Object) });
    expect(checkScoreInclusionProof(JSON.parse(JSON.stringify(full)), signer.publicJwk)).toEqual([]);
    const changed = JSON.parse(JSON.stringify(full));
    changed.event.data.score.overall.score += 1;
    expect(checkScoreInclusionProof(changed, signer.publicJwk)).toContain("the score event's data and metadata do not give its content hash");
    expect(checkScoreInclusionProof(proof, new CheckpointSigner('platform-1', Buffer.alloc(32, 1)).publicJwk)).toContain("the checkpoint's signature does not hold for key platform-1");
    const moved = { ...proof, leafIndex: (proof.leafIndex + 1) % proof.treeSize };
    expect(checkScoreInclusionProof(moved, signer.publicJwk)).toContain('the audit path does not lead to the signed root');
  });

  it('an export is anchored in the latest checkpoint, and a stream rewritten with its chain recomputed is caught offline', async () => {
    await recordCheckpoint(database.pool, signer);
    const dir = join(work, 'export');
    await exportArchive(database.pool, organisationId, dir, { publicKey: signer.publicJwk });
    const report = await verifyArchive(dir);
    expect(report).toMatchObject({ ok: true, checkpoint: { keyId: 'platform-1', streamsProven: expect.any(Number) } });
    const manifest = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')) as ArchiveManifest;
    expect(report.checkpoint!.streamsProven).toBe(manifest.checkpoint!.proofs.length);
    expect(manifest.checkpoint!.proofs.map((p) => p.streamId)).toContain(`assessment-${assessmentId}`);

    // A forger rewrites the organisation's stream in the copy, chain, head and checksums included.
    const forged = join(work, 'forged');
    await cp(dir, forged, { recursive: true });
    const stream = manifest.streams.find((s) => s.streamId === `organisation-${organisationId}`)!;
    const events = (await readFile(join(forged, stream.file), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as ArchivedEvent);
    (events[0].data as { name: string }).name = 'Provincie Vervalst';
    let previous = genesisHash(stream.streamId);
    for (const event of events) {
      const content = contentHash(event);
      event.contentHash = content.toString('hex');
      event.previousHash = previous.toString('hex');
      previous = linkHash(previous, content, event.version, new Date(event.recordedAt));
      event.hash = previous.toString('hex');
    }
    stream.head.hash = previous.toString('hex');
    const text = events.map((e) => `${JSON.stringify(e)}\n`).join('');
    await writeFile(join(forged, stream.file), text);
    const entry = manifest.files.find((f) => f.path === stream.file)!;
    entry.sha256 = (await import('node:crypto')).createHash('sha256').update(text).digest('hex');
    entry.bytes = Buffer.byteLength(text);
    await writeFile(join(forged, MANIFEST_FILE), JSON.stringify(manifest));
    const forgedReport = await verifyArchive(forged, { publicKey: signer.publicJwk });
    expect(forgedReport.ok).toBe(false);
    expect(forgedReport.discrepancies).toContainEqual({ file: stream.file, line: events.length, problem: expect.stringMatching(/is not the one checkpoint \d+ covered: the stream was rewritten$/) });
  });

  it('a signed manifest answers for the set of files: a stream left out of a copy shows offline, which the chains and checkpoint alone miss', async () => {
    await recordCheckpoint(database.pool, signer);
    const dir = join(work, 'signed-export');
    expect(await exportArchive(database.pool, organisationId, dir, { signer })).toMatchObject({ signed: true });
    expect(await verifyArchive(dir, { publicKey: signer.publicJwk })).toMatchObject({ ok: true, manifestSignature: { keyId: 'platform-1' } });
    expect(await verifyArchive(dir)).toMatchObject({ ok: true, manifestSignature: { keyId: 'platform-1' } });

    // A copy without one respondent's stream: its file, its manifest entries and its proof taken out.
    const manifest = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')) as ArchiveManifest;
    const left = manifest.streams.find((s) => s.streamId.startsWith('respondent-'))!;
    const pruned = join(work, 'pruned-export');
    await cp(dir, pruned, { recursive: true });
    await rm(join(pruned, left.file));
    const without: ArchiveManifest = {
      ...manifest,
      files: manifest.files.filter((f) => f.path !== left.file),
      streams: manifest.streams.filter((s) => s.streamId !== left.streamId),
      checkpoint: { ...manifest.checkpoint!, proofs: manifest.checkpoint!.proofs.filter((p) => p.streamId !== left.streamId) },
    };
    await writeFile(join(pruned, MANIFEST_FILE), `${JSON.stringify(without, null, 1)}\n`);
    const withKey = await verifyArchive(pruned, { publicKey: signer.publicJwk });
    expect(withKey.ok).toBe(false);
    expect(withKey.discrepancies).toEqual([{ file: MANIFEST_SIGNATURE_FILE, problem: expect.stringContaining("the manifest's signature does not hold for key platform-1") }]);
    expect((await verifyArchive(pruned)).ok).toBe(false);
    // Taking the signature off too: with the platform's key given, an unsigned manifest is refused.
    await rm(join(pruned, MANIFEST_SIGNATURE_FILE));
    expect((await verifyArchive(pruned, { publicKey: signer.publicJwk })).discrepancies).toEqual([{ file: MANIFEST_FILE, problem: expect.stringContaining('the manifest is not signed') }]);
  });

  it('a stream rewritten in the database with its chain recomputed: verify passes, the checkpoint check names the stream', async () => {
    const checkpoint = await recordCheckpoint(database.pool, signer);
    const file = JSON.parse(JSON.stringify(checkpointFile(checkpoint, signer.publicJwk, checkpoint.heads)));
    const streamId = `organisation-${organisationId}`;
    await rewriteStreamWithChain(database.pool, { contentHash, genesisHash, linkHash }, streamId, (data) => {
      data.name = 'Provincie Herschreven';
    });
    expect(await verifyEventStore(database.db)).toMatchObject({ ok: true, breaks: [] });
    const result = await verifyCheckpoint(database.pool, file);
    expect(result.ok).toBe(false);
    expect(result.signature).toBe('valid');
    expect(result.streams).toEqual([{ streamId, problem: expect.stringContaining('the stream was rewritten') }]);
    expect(result.coveredHeads).toBe('file');
    // A copy without the heads (the API's, the open dataset's, an export's): the heads the platform
    // kept, changes since the checkpoint before, give the signed root and name the stream; for the
    // first checkpoint too, many checkpoints before the stream was rewritten.
    const { heads: _heads, publicKey: _key, ...withoutHeads } = file;
    const first = (await findCheckpoint(database.pool, 1))!;
    for (const copy of [withoutHeads, first]) {
      const named = await verifyCheckpoint(database.pool, copy, signer.publicJwk);
      expect(named).toMatchObject({ ok: false, signature: 'valid', coveredHeads: 'platform' });
      expect(named.streams).toEqual([{ streamId, problem: expect.stringContaining('the stream was rewritten') }]);
    }
    // Without a key to check it with, the signature is not taken on trust.
    expect(await verifyCheckpoint(database.pool, withoutHeads)).toMatchObject({ ok: false, problems: expect.arrayContaining([expect.stringContaining('no public key')]) });
    // A forger who also rewrites the kept head: the kept heads no longer give the signed root, so
    // they are not used; the root still differs, though no stream can be named.
    await withClient(async (client) => {
      await client.query('BEGIN');
      await client.query("SET LOCAL session_replication_role = 'replica'");
      await client.query('UPDATE log_checkpoint_heads SET hash = s.head_hash FROM streams s WHERE s.stream_id = $1 AND log_checkpoint_heads.stream_id = $1', [streamId]);
      await client.query('COMMIT');
    });
    const unnamed = await verifyCheckpoint(database.pool, withoutHeads, signer.publicJwk);
    expect(unnamed).toMatchObject({ ok: false, streams: [], coveredHeads: 'none' });
    expect(unnamed.problems).toEqual([expect.stringContaining('not the signed'), expect.stringContaining('cannot be named')]);
  });

  it('a checkpoint keeps only the heads that changed since the one before', async () => {
    const before = await recordCheckpoint(database.pool, signer);
    await organisations.addUnit(organisationId, { parentUnitId: null, name: `Afdeling ${randomUUID().slice(0, 8)}`, kind: 'department' }, meta());
    const next = await recordCheckpoint(database.pool, signer);
    const { rows } = await database.pool.query<{ stream_id: string; version: string }>('SELECT stream_id, version::text FROM log_checkpoint_heads WHERE sequence = $1', [next.statement.sequence]);
    const changed = next.heads.filter((h) => !before.heads.some((b) => b.streamId === h.streamId && b.version === h.version && b.hash === h.hash));
    expect(changed.length).toBeGreaterThan(0);
    expect(rows.map((r) => [r.stream_id, Number(r.version)]).sort()).toEqual(changed.map((h) => [h.streamId, h.version]).sort());
  });

  it("a proof over many streams reads only its subtree: the same audit path as the whole tree's, and refused when that subtree was rewritten", async () => {
    // Streams with valid chains that sort before the assessment, so its head lands in the third subtree of 1,024.
    const fillers = Array.from({ length: 2500 }, (_, i) => `assessment-00000000-filler-${String(i).padStart(5, '0')}`);
    const recordedAt = new Date();
    const rows = fillers.map((streamId) => {
      const eventId = randomUUID();
      const metadata = { actor: 'filler', correlationId: 'filler' };
      const content = contentHash({ eventId, type: 'FillerRecorded', schemaVersion: 1, data: {}, metadata });
      const previous = genesisHash(streamId);
      return { streamId, eventId, content, previous, hash: linkHash(previous, content, 1, recordedAt) };
    });
    await database.pool.query(
      `WITH f AS (SELECT * FROM unnest($1::text[], $2::uuid[], $3::bytea[], $4::bytea[], $5::bytea[]) AS f(stream_id, event_id, content_hash, previous_hash, hash)),
            e AS (INSERT INTO events (stream_id, version, event_id, type, schema_version, data, metadata, recorded_at, content_hash, previous_hash, hash)
                  SELECT stream_id, 1, event_id, 'FillerRecorded', 1, '{}'::jsonb, '{"actor":"filler","correlationId":"filler"}'::jsonb, $6, content_hash, previous_hash, hash FROM f)
       INSERT INTO streams (stream_id, category, version, head_hash, created_at, last_recorded_at) SELECT stream_id, 'filler', 1, hash, $6, $6 FROM f`,
      [rows.map((r) => r.streamId), rows.map((r) => r.eventId), rows.map((r) => r.content), rows.map((r) => r.previous), rows.map((r) => r.hash), recordedAt],
    );
    expect(await verifyEventStore(database.db)).toMatchObject({ ok: true });

    const checkpoint = await recordCheckpoint(database.pool, signer);
    const { rows: kept } = await database.pool.query('SELECT subtree, leaves FROM log_checkpoint_subtrees WHERE sequence = $1 ORDER BY subtree', [checkpoint.statement.sequence]);
    expect(kept.map((k) => k.leaves)).toEqual([1024, 1024, checkpoint.statement.streams - 2048]);
    const proof = await scoreInclusionProof(database.pool, checkpoint, assessmentId);
    expect(Math.floor(proof.leafIndex / 2 ** SUBTREE_LEVEL)).toBe(2);
    const heads = await headsAt(database.pool, checkpoint.statement.logPosition);
    expect(proof.auditPath).toEqual(new MerkleTree(heads.map(leafHash)).proof(proof.leafIndex));
    expect(checkScoreInclusionProof(JSON.parse(JSON.stringify(proof)), signer.publicJwk)).toEqual([]);

    // An export's proofs come from the subtrees of its streams only, and are the whole tree's.
    const whole = new MerkleTree(heads.map(leafHash));
    const exported = [fillers[3], fillers[1500], `assessment-${assessmentId}`, `organisation-${organisationId}`];
    const anchored = await withClient((client) => proofsInLatestCheckpoint(client, exported));
    expect(anchored!.proofs.map((p) => p.streamId).sort()).toEqual([...exported].sort());
    for (const p of anchored!.proofs) {
      expect(heads[p.index]).toEqual(p.head);
      expect(p.path).toEqual(whole.proof(p.index));
    }

    // A checkpoint recorded before subtrees were kept: the proof is made from every head, the same.
    const older = await recordCheckpoint(database.pool, signer);
    const client = await database.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query("SET LOCAL session_replication_role = 'replica'");
      await client.query('DELETE FROM log_checkpoint_subtrees WHERE sequence = $1', [older.statement.sequence]);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    const fromEveryHead = await scoreInclusionProof(database.pool, older, assessmentId);
    expect({ leafIndex: fromEveryHead.leafIndex, auditPath: fromEveryHead.auditPath }).toEqual({ leafIndex: proof.leafIndex, auditPath: proof.auditPath });

    // A stream of the same subtree rewritten with its chain recomputed: no proof against the checkpoint.
    await rewriteStreamWithChain(database.pool, { contentHash, genesisHash, linkHash }, fillers[fillers.length - 1], (data) => {
      data.rewritten = true;
    });
    await expect(scoreInclusionProof(database.pool, checkpoint, assessmentId)).rejects.toThrow(`the log no longer matches checkpoint ${checkpoint.statement.sequence}`);
  });
});
