import { createHash, randomUUID } from 'node:crypto';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandMetadata } from '@maatlat/shared/domain';
import { contentHash, genesisHash, linkHash, PostgresEventStore } from '@maatlat/shared/event-store';
import { createTestDatabase, testConfig, type TestDatabase } from '@maatlat/shared/testing';
import { ModelCatalogue } from '@maatlat/model-catalogue/data-access';
import { SHIPPED_MODELS } from '@maatlat/model-catalogue/domain';
import { Chains, Organisations } from '@maatlat/organisations/data-access';
import { PersonalDataVault, Respondents } from '@maatlat/respondents/data-access';
import { assessmentsFeature } from '@maatlat/assessments/feature';
import { answersOf, CURRENT_SCORING_ALGORITHM, responseStreamId, scoreWith, type AssessmentEvent } from '@maatlat/assessments/domain';
import { MANIFEST_FILE, streamFile, type ArchivedEvent, type ArchiveManifest } from '@maatlat/archive/domain';
import { exportArchive } from './export-archive';
import { verifyArchive } from './verify-archive';

const KEY = 'datagedreven-overheid';
const meta = (actor = 'coordinator-cor'): CommandMetadata => ({ now: new Date(), actor, correlationId: randomUUID() });
const PEOPLE = [
  { name: 'Wilhelmina Achterberg-Zwaneveld', email: 'w.achterberg@gemeente-archief.example.nl' },
  { name: 'Jeroen Oudenallen', email: 'j.oudenallen@gemeente-archief.example.nl' },
  { name: 'Fatima el Khadiri', email: 'f.elkhadiri@gemeente-archief.example.nl' },
];
const JUSTIFICATION = 'Het zaaksysteem is in 2024 vervangen door een archiefwaardige opvolger.';

async function readLines(dir: string, file: string): Promise<string[]> {
  return (await readFile(join(dir, file), 'utf8')).split('\n').filter((l) => l !== '');
}

/** Rewrites the manifest's record of a file after it was changed on purpose. */
async function rehash(dir: string, file: string, manifest: ArchiveManifest): Promise<void> {
  const bytes = await readFile(join(dir, file));
  const entry = manifest.files.find((f) => f.path === file)!;
  entry.sha256 = createHash('sha256').update(bytes).digest('hex');
  entry.bytes = bytes.length;
  await writeFile(join(dir, MANIFEST_FILE), JSON.stringify(manifest));
}

describe('archival export and offline verification', () => {
  let database: TestDatabase;
  let work: string;
  let exported: string;
  let organisationId: string;
  let otherOrganisationId: string;
  let assessmentId: string;
  let erased: string;
  let respondentIds: string[];
  let legacy: { assessmentId: string; exported: string };

  beforeAll(async () => {
    database = await createTestDatabase({ maxConnections: 6 });
    work = await mkdtemp(join(tmpdir(), 'maatlat-archive-'));
    const store = new PostgresEventStore(database.db, database.pool);
    const config = testConfig({ DATABASE_URL: database.url });
    const catalogue = new ModelCatalogue(database.db, store);
    const organisations = new Organisations(database.db, store);
    const vault = PersonalDataVault.fromConfig(database.db, config);
    const respondents = new Respondents(database.db, store, vault);
    const { assessments } = assessmentsFeature.createServices(database.db, store, config, { catalogue, organisations, respondents, vault });
    await catalogue.draft({ document: SHIPPED_MODELS['2026.1'] }, meta('admin'));
    await catalogue.publish(KEY, '2026.1', { legalBasis: 'Woo; Archiefwet 1995', effectiveFrom: '2026-01-01' }, meta('admin'));
    organisationId = (await organisations.register({ name: 'Gemeente Archiefstad', organisationType: 'municipality', sizeBand: 'medium' }, meta('admin'))).organisationId;
    otherOrganisationId = (await organisations.register({ name: 'Waterschap Elders', organisationType: 'water-board', sizeBand: 'small' }, meta('admin'))).organisationId;
    await respondents.register(otherOrganisationId, { name: 'Elders Persoon', email: 'elders@waterschap.example.nl' }, meta());

    const questions = SHIPPED_MODELS['2026.1'].factors.flatMap((f) => f.questions.map((q) => q.id));
    assessmentId = (await assessments.open({ organisationId, scope: { kind: 'organisation', organisationId }, period: '2026', model: { key: KEY, version: '2026.1' }, layers: ['strategic', 'tactical', 'operational'] }, meta())).assessmentId;
    const ids: string[] = [];
    for (const [i, person] of PEOPLE.entries()) {
      const { respondentId } = await respondents.register(organisationId, person, meta());
      ids.push(respondentId);
      await assessments.invite(assessmentId, respondentId, (['strategic', 'tactical', 'operational'] as const)[i], meta());
      await assessments.recordAnswer(assessmentId, respondentId, { questionId: questions[0], answer: { level: 3 }, justification: `${JUSTIFICATION} (${person.name})` }, meta(respondentId));
      await assessments.recordAnswers(assessmentId, respondentId, questions.slice(1).map((questionId, q) => ({ questionId, answer: q % 7 === 0 ? { dontKnow: true as const } : { level: (i + q) % 6 } })), meta(respondentId), { submit: true });
    }
    await assessments.close(assessmentId, meta());
    respondentIds = ids;
    erased = ids[0];
    await respondents.erase(organisationId, erased, meta());

    exported = join(work, 'export');
    await exportArchive(database.pool, organisationId, exported, { now: new Date('2026-12-03T12:00:00Z') });

    // An assessment answered before response streams: its answers and score in its own stream, as
    // the platform recorded them then (opened and invited through the service, the rest as stored).
    const legacyId = (await assessments.open({ organisationId: otherOrganisationId, scope: { kind: 'organisation', organisationId: otherOrganisationId }, period: '2025', model: { key: KEY, version: '2026.1' }, layers: ['strategic'] }, meta())).assessmentId;
    const { respondentId: legacyRespondent } = await respondents.register(otherOrganisationId, { name: 'Vroeger Persoon', email: 'vroeger@waterschap.example.nl' }, meta());
    await assessments.invite(legacyId, legacyRespondent, 'strategic', meta());
    const streamId = `assessment-${legacyId}`;
    const at = { actor: legacyRespondent, correlationId: randomUUID(), tenantId: otherOrganisationId, now: new Date() };
    await store.append(
      streamId,
      2,
      questions.map((questionId, q) => ({ eventId: randomUUID(), type: 'AnswerRecorded', data: { respondentId: legacyRespondent, questionId, answer: { level: q % 6 }, justification: null, evidence: [] } })),
      at,
    );
    await store.append(streamId, 2 + questions.length, [{ eventId: randomUUID(), type: 'AssessmentClosed', data: { assessmentId: legacyId } }], { ...at, actor: 'coordinator-cor' });
    const stored = await store.readStream<AssessmentEvent>(streamId, { withHashes: true });
    const opened = stored[0].data as Extract<AssessmentEvent, { type: 'AssessmentOpened' }>['data'];
    const model = await catalogue.get(KEY, '2026.1');
    const score = scoreWith(CURRENT_SCORING_ALGORITHM, model.document, opened.model.contentHash, answersOf(stored.map((e) => ({ version: e.version, eventId: e.eventId, hash: e.hash!, event: { type: e.type, data: e.data } as AssessmentEvent }))));
    await store.append(streamId, stored.length, [{ eventId: randomUUID(), type: 'ScoreCalculated', data: { score, answersUpToVersion: stored.length } }], { ...at, actor: 'coordinator-cor' });
    legacy = { assessmentId: legacyId, exported: join(work, 'legacy') };
    await exportArchive(database.pool, otherOrganisationId, legacy.exported);
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
    await database.drop();
  });

  /** A fresh copy of the export to alter. */
  const copy = async () => {
    const dir = join(work, randomUUID());
    await cp(exported, dir, { recursive: true });
    return { dir, manifest: JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')) as ArchiveManifest };
  };

  it('exports every stream recorded for the organisation, the model version used, MDTO records and a manifest', async () => {
    const manifest = JSON.parse(await readFile(join(exported, MANIFEST_FILE), 'utf8')) as ArchiveManifest;
    const streamIds = manifest.streams.map((s) => s.streamId);
    expect(streamIds).toEqual(
      expect.arrayContaining([
        `organisation-${organisationId}`,
        `assessment-${assessmentId}`,
        `modelversion-${KEY}@2026.1`,
        ...PEOPLE.map(() => expect.stringMatching(/^respondent-/)),
        ...respondentIds.map((id) => responseStreamId(assessmentId, id)),
      ]),
    );
    expect(streamIds).toHaveLength(9);
    expect(streamIds.some((id) => id.includes(otherOrganisationId))).toBe(false);
    // Every name one that any file system takes (a response stream's ':' is not one of them on Windows).
    expect(manifest.files.map((f) => f.path).filter((path) => !/^[A-Za-z0-9._%/-]+$/.test(path))).toEqual([]);
    expect(manifest.streams.filter((s) => s.streamId.startsWith('response-')).map((s) => s.file).sort()).toEqual(
      respondentIds.map((id) => `streams/response-${assessmentId}%3A${id}.jsonl`).sort(),
    );
    expect(manifest).toMatchObject({
      format: 'maatlat-archive/1',
      organisationId,
      organisationName: 'Gemeente Archiefstad',
      scoringAlgorithms: [{ id: 'maatlat-scoring/v1', scoreEvents: 1 }],
      modelVersions: [{ key: KEY, version: '2026.1' }],
      assessments: [{ assessmentId, period: '2026', mdto: [`mdto/${assessmentId}.informatieobject.mdto.xml`, `mdto/${assessmentId}.bestand.mdto.xml`] }],
    });
    const assessmentStream = manifest.streams.find((s) => s.streamId === `assessment-${assessmentId}`)!;
    const lines = await readLines(exported, assessmentStream.file);
    expect(lines).toHaveLength(assessmentStream.events);
    expect(JSON.parse(lines[lines.length - 1]).hash).toBe(assessmentStream.head.hash);
    const file = manifest.files.find((f) => f.path === assessmentStream.file)!;
    expect(file.sha256).toBe(createHash('sha256').update(await readFile(join(exported, file.path))).digest('hex'));

    const informatieobject = await readFile(join(exported, `mdto/${assessmentId}.informatieobject.mdto.xml`), 'utf8');
    expect(informatieobject).toContain('<MDTO xmlns="https://www.nationaalarchief.nl/mdto"><informatieobject>');
    expect(informatieobject).toContain(`<identificatieKenmerk>${assessmentId}</identificatieKenmerk>`);
    expect(informatieobject).toContain('<termijnLooptijd>P20Y</termijnLooptijd>');
    expect(informatieobject).toContain(
      `<archiefvormer><verwijzingNaam>Gemeente Archiefstad</verwijzingNaam><verwijzingIdentificatie><identificatieKenmerk>${organisationId}</identificatieKenmerk>`,
    );
    const bestand = await readFile(join(exported, `mdto/${assessmentId}.bestand.mdto.xml`), 'utf8');
    expect(bestand).toContain(`<checksumWaarde>${file.sha256}</checksumWaarde>`);
    expect(bestand).toContain(`<omvang>${file.bytes}</omvang>`);
    expect(bestand).toContain(`<isRepresentatieVan><verwijzingNaam>assessment ${assessmentId}</verwijzingNaam><verwijzingIdentificatie><identificatieKenmerk>${assessmentId}</identificatieKenmerk>`);
    // The dossier names each respondent's answers too (their checksums are in the manifest).
    for (const respondentId of respondentIds) {
      expect(informatieobject).toContain(`<heeftRepresentatie><verwijzingNaam>streams/response-${assessmentId}%3A${respondentId}.jsonl</verwijzingNaam>`);
    }
  });

  it('read in small batches (many groups, large streams in pages, each read while the last is written): the same files', async () => {
    const again = join(work, 'small-batches');
    const summary = await exportArchive(database.pool, organisationId, again, { now: new Date('2026-12-03T12:00:00Z'), batchSize: 3 });
    const manifest = await readFile(join(exported, MANIFEST_FILE), 'utf8');
    expect(await readFile(join(again, MANIFEST_FILE), 'utf8')).toBe(manifest);
    expect(summary.events).toBe((JSON.parse(manifest) as ArchiveManifest).streams.reduce((sum, s) => sum + s.events, 0));
    expect((await verifyArchive(again)).ok).toBe(true);
  });

  it('verifies offline: files, hash chains and every recorded score', async () => {
    const report = await verifyArchive(exported);
    expect(report).toMatchObject({ ok: true, first: null, discrepancies: [], scoresChecked: 1, streamsChecked: 9 });
    expect(report.eventsChecked).toBeGreaterThan(3 * 41);
  });

  it('the answers are in the response streams, and the score cites each at its version', async () => {
    const manifest = JSON.parse(await readFile(join(exported, MANIFEST_FILE), 'utf8')) as ArchiveManifest;
    const own = (await readLines(exported, streamFile(`assessment-${assessmentId}`))).map((l) => JSON.parse(l) as ArchivedEvent);
    expect(own.some((e) => e.type === 'AnswerRecorded')).toBe(false);
    const score = own.find((e) => e.type === 'ScoreCalculated')!.data as { responses: { streamId: string; version: number; hash: string }[] };
    expect(score.responses.map((r) => r.streamId).sort()).toEqual(respondentIds.map((id) => responseStreamId(assessmentId, id)).sort());
    for (const cut of score.responses) {
      expect(manifest.streams.find((s) => s.streamId === cut.streamId)!.head).toEqual({ version: cut.version, hash: cut.hash });
    }
  });

  it('an assessment answered before response streams: its score is recomputed from the answers in its own stream', async () => {
    const report = await verifyArchive(legacy.exported);
    expect(report).toMatchObject({ ok: true, discrepancies: [], scoresChecked: 1 });
    const file = streamFile(`assessment-${legacy.assessmentId}`);
    const lines = await readLines(legacy.exported, file);
    const at = lines.findIndex((l) => l.includes('"type":"AnswerRecorded"') && l.includes('"level": 3'));
    const { dir, manifest } = await (async () => {
      const target = join(work, randomUUID());
      await cp(legacy.exported, target, { recursive: true });
      return { dir: target, manifest: JSON.parse(await readFile(join(target, MANIFEST_FILE), 'utf8')) as ArchiveManifest };
    })();
    const { line } = await forge(dir, manifest, `assessment-${legacy.assessmentId}`, () => at, (event) => {
      (event.data as { answer: { level: number } }).answer.level = 5;
    });
    expect(line).toBe(at + 1);
    const altered = await verifyArchive(dir);
    expect(altered.discrepancies).toEqual([{ file, line: lines.length, problem: expect.stringMatching(/^the recorded score differs from its recomputation at /) }]);
  });

  it('holds no plaintext personal data: the erased respondent and the others only sealed', async () => {
    const files = (await readdir(exported, { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
    const text = (await Promise.all(files.map((e) => readFile(join(e.parentPath, e.name), 'utf8')))).join('\n');
    for (const person of PEOPLE) {
      expect(text).not.toContain(person.name);
      expect(text).not.toContain(person.email);
      expect(text).not.toContain(person.email.split('@')[0]);
    }
    expect(text).not.toContain(JUSTIFICATION.slice(0, 30));
    const lines = await readLines(exported, streamFile(`respondent-${erased}`));
    expect(lines.map((l) => JSON.parse(l).type)).toEqual(['RespondentRegistered', 'RespondentErased']);
    expect(JSON.parse(lines[0]).data.personal).toMatchObject({ alg: 'A256GCM', ciphertext: expect.any(String) });
  });

  it('a byte changed in an event: the file and line are named', async () => {
    const { dir } = await copy();
    const file = streamFile(responseStreamId(assessmentId, respondentIds[1]));
    const lines = await readLines(dir, file);
    const at = lines.findIndex((l) => l.includes('"type":"AnswerRecorded"') && l.includes('"level": 4'));
    lines[at] = lines[at].replace('"level": 4', '"level": 5');
    await writeFile(join(dir, file), `${lines.join('\n')}\n`);
    const report = await verifyArchive(dir);
    expect(report.ok).toBe(false);
    expect(report.first).toEqual({ file, line: at + 1, problem: 'the event content does not match its content hash (and the file does not match its SHA-256 in the manifest)' });
  });

  it('a line removed: the gap is named at its line, even with the manifest rewritten to match', async () => {
    const { dir, manifest } = await copy();
    const file = streamFile(responseStreamId(assessmentId, respondentIds[2]));
    const lines = await readLines(dir, file);
    lines.splice(10, 1);
    await writeFile(join(dir, file), `${lines.join('\n')}\n`);
    await rehash(dir, file, manifest);
    const report = await verifyArchive(dir);
    expect(report.first).toEqual({ file, line: 11, problem: 'version 11 is missing' });
  });

  it('a file swapped for another: named at its first line', async () => {
    const { dir, manifest } = await copy();
    const [a, b] = manifest.streams.filter((s) => s.category === 'response');
    await writeFile(join(dir, a.file), await readFile(join(exported, b.file)));
    const report = await verifyArchive(dir);
    expect(report.first).toEqual({ file: a.file, line: 1, problem: `the event belongs to stream ${b.streamId}, not ${a.streamId} (and the file does not match its SHA-256 in the manifest)` });
  });

  /** A forger's rewrite of one event: every link from it on, the head and the file hash recomputed. */
  const forge = async (dir: string, manifest: ArchiveManifest, streamId: string, pick: (events: ArchivedEvent[]) => number, change: (event: ArchivedEvent) => void) => {
    const stream = manifest.streams.find((s) => s.streamId === streamId)!;
    const events = (await readLines(dir, stream.file)).map((l) => JSON.parse(l) as ArchivedEvent);
    const at = pick(events);
    change(events[at]);
    let previous = at === 0 ? genesisHash(stream.streamId) : Buffer.from(events[at - 1].hash, 'hex');
    for (const event of events.slice(at)) {
      const content = contentHash(event);
      event.contentHash = content.toString('hex');
      event.previousHash = previous.toString('hex');
      previous = linkHash(previous, content, event.version, new Date(event.recordedAt));
      event.hash = previous.toString('hex');
    }
    stream.head.hash = previous.toString('hex');
    await writeFile(join(dir, stream.file), events.map((e) => `${JSON.stringify(e)}\n`).join(''));
    await rehash(dir, stream.file, manifest);
    return { file: stream.file, line: at + 1, lines: events.length };
  };

  it('a changed score, with its hash chain and the manifest recomputed: the recomputation names it', async () => {
    const { dir, manifest } = await copy();
    const { file, line } = await forge(dir, manifest, `assessment-${assessmentId}`, (events) => events.findIndex((e) => e.type === 'ScoreCalculated'), (event) => {
      const score = (event.data as { score: { overall: { score: number } } }).score;
      score.overall.score = Math.round((score.overall.score + 0.5) * 100) / 100;
    });
    const report = await verifyArchive(dir);
    expect(report.first).toEqual({ file, line, problem: expect.stringMatching(/^the recorded score differs from its recomputation at \$\.overall\.score: recorded /) });
    expect(report.discrepancies).toHaveLength(1);
  });

  it('a changed answer in a response stream, with its hash chain and the manifest recomputed: the score no longer cites it', async () => {
    const { dir, manifest } = await copy();
    const streamId = responseStreamId(assessmentId, respondentIds[2]);
    const { file, lines } = await forge(dir, manifest, streamId, (events) => events.findIndex((e) => e.type === 'AnswerRecorded' && (e.data as { answer: { level?: number } }).answer.level === 1), (event) => {
      (event.data as { answer: { level: number } }).answer.level = 5;
    });
    const report = await verifyArchive(dir);
    expect(report.ok).toBe(false);
    expect(report.discrepancies).toEqual([{ file, line: lines, problem: expect.stringMatching(/^the event at version \d+ is not the one the score at streams\/assessment-.* line \d+ read$/) }]);
  });

  it("a changed answer and the score's cut rewritten to match: the recomputation names the score", async () => {
    const { dir, manifest } = await copy();
    const streamId = responseStreamId(assessmentId, respondentIds[2]);
    await forge(dir, manifest, streamId, (events) => events.findIndex((e) => e.type === 'AnswerRecorded' && (e.data as { answer: { level?: number } }).answer.level === 1), (event) => {
      (event.data as { answer: { level: number } }).answer.level = 5;
    });
    const head = manifest.streams.find((s) => s.streamId === streamId)!.head;
    const { file, line } = await forge(dir, manifest, `assessment-${assessmentId}`, (events) => events.findIndex((e) => e.type === 'ScoreCalculated'), (event) => {
      const cut = (event.data as { responses: { streamId: string; hash: string }[] }).responses.find((r) => r.streamId === streamId)!;
      cut.hash = head.hash;
    });
    const report = await verifyArchive(dir);
    expect(report.discrepancies).toEqual([{ file, line, problem: expect.stringMatching(/^the recorded score differs from its recomputation at /) }]);
  });

  it('a file missing and one added are named', async () => {
    const { dir, manifest } = await copy();
    await rm(join(dir, manifest.assessments[0].mdto[1]));
    await writeFile(join(dir, 'streams/extra.jsonl'), '{}\n');
    const report = await verifyArchive(dir);
    expect(report.discrepancies).toEqual(
      expect.arrayContaining([
        { file: manifest.assessments[0].mdto[1], problem: 'the file is missing' },
        { file: 'streams/extra.jsonl', problem: 'the file is not in the manifest' },
      ]),
    );
  });

  it('fails, naming the cause, when a file cannot be written, and writes no manifest', async () => {
    const blocked = join(work, 'blocked');
    const manifest = JSON.parse(await readFile(join(exported, MANIFEST_FILE), 'utf8')) as ArchiveManifest;
    // A folder where a stream's file belongs: writing that file fails.
    await mkdir(join(blocked, manifest.streams[manifest.streams.length - 1].file), { recursive: true });
    await expect(exportArchive(database.pool, organisationId, blocked)).rejects.toMatchObject({ code: 'EISDIR' });
    await expect(readFile(join(blocked, MANIFEST_FILE))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses an organisation it does not know', async () => {
    await expect(exportArchive(database.pool, randomUUID(), join(work, 'none'))).rejects.toMatchObject({ code: expect.stringContaining('not-found') });
  });
});

describe('archival export of an organisation in a chain', () => {
  let database: TestDatabase;
  let work: string;

  beforeAll(async () => {
    database = await createTestDatabase({ maxConnections: 4 });
    work = await mkdtemp(join(tmpdir(), 'maatlat-archive-chain-'));
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
    await database.drop();
  });

  it("holds every chain a unit of the organisation is or was a member of, whole, and no other organisation's chain", async () => {
    const store = new PostgresEventStore(database.db, database.pool);
    const organisations = new Organisations(database.db, store);
    const chains = new Chains(database.db, store, organisations);
    const unitOf = async (name: string) => {
      const { organisationId } = await organisations.register({ name, organisationType: 'municipality', sizeBand: 'small' }, meta('admin'));
      const { unitId } = await organisations.addUnit(organisationId, { parentUnitId: null, name: 'Werk en Inkomen', kind: 'department' }, meta('admin'));
      return { organisationId, unitId };
    };
    const [member, former, outsider] = [await unitOf('Gemeente Ketenstad'), await unitOf('Gemeente Uitgetreden'), await unitOf('Gemeente Elders')];
    const { chainId } = await chains.form({ name: 'Keten Werk en Inkomen', description: 'Gemeenten en UWV' }, meta('admin'));
    await chains.addMember(chainId, member, meta('admin'));
    await chains.addMember(chainId, former, meta('admin'));
    await chains.removeMember(chainId, former, meta('admin'));
    const { chainId: otherChain } = await chains.form({ name: 'Keten Elders', description: 'Alleen anderen' }, meta('admin'));
    await chains.addMember(otherChain, outsider, meta('admin'));

    const streamsIn = async (organisationId: string) => {
      const dir = join(work, organisationId);
      await exportArchive(database.pool, organisationId, dir);
      expect((await verifyArchive(dir)).ok).toBe(true);
      const manifest = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')) as ArchiveManifest;
      return { dir, streams: manifest.streams.map((s) => s.streamId) };
    };
    const ofMember = await streamsIn(member.organisationId);
    expect(ofMember.streams).toEqual(expect.arrayContaining([`organisation-${member.organisationId}`, `chain-${chainId}`]));
    expect(ofMember.streams).not.toContain(`chain-${otherChain}`);
    // The whole chain, the other members' events included: 1 formed, 2 added, 1 removed.
    expect(await readLines(ofMember.dir, streamFile(`chain-${chainId}`))).toHaveLength(4);
    expect((await streamsIn(former.organisationId)).streams).toContain(`chain-${chainId}`);
    const ofOutsider = await streamsIn(outsider.organisationId);
    expect(ofOutsider.streams).toContain(`chain-${otherChain}`);
    expect(ofOutsider.streams).not.toContain(`chain-${chainId}`);
  });
});
