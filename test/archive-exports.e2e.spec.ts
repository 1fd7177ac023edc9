import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mintLocalToken } from '@maatlat/access';
import { SHIPPED_MODELS } from '@maatlat/model-catalogue/domain';
import { verifyArchive } from '@maatlat/archive/data-access';
import { archiveExportStreamId } from '@maatlat/archive/domain';
import { startPlatform, TEST_ISSUER_SECRET as SECRET, type TestPlatform } from './support/platform';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The archival export as an API job: a coordinator asks, the worker's job writes and packs it, the
 * downloaded .tar.gz unpacks to an export the offline verifier passes, with the SHA-256 the status
 * gives; the export itself is on the record in the organisation's history.
 */
describe('archival exports over the API, run by the worker', () => {
  let platform: TestPlatform;
  const http = () => platform.http();
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const dir = mkdtempSync(join(tmpdir(), 'archive-exports-'));

  beforeAll(async () => {
    platform = await startPlatform({ worker: true, env: { SIGNING_KEY: `c1:${'3b'.repeat(32)}` } });
  });
  afterAll(async () => {
    await platform?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const download = (path: string, token: Record<string, string>) =>
    http()
      .get(path)
      .set(token)
      .buffer(true)
      .parse((response, done) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => done(null, Buffer.concat(chunks)));
      });

  it('a coordinator gets a verified archive with the SHA-256 the status reports; an auditor of another organisation gets 403', async () => {
    const admin = bearer(await mintLocalToken(SECRET, { subject: 'admin', roles: ['platform-admin'], organisations: [] }));
    await http().post('/v1/model-versions').set(admin).send({ document: SHIPPED_MODELS['2026.1'] }).expect(201);
    await http().post('/v1/model-versions/datagedreven-overheid/2026.1/publish').set(admin).send({ legalBasis: 'Woo', effectiveFrom: '2026-01-01' }).expect(200);
    const organisationId = (await http().post('/v1/organisations').set(admin).send({ name: 'Gemeente Archiefstad', organisationType: 'municipality', sizeBand: 'small' }).expect(201)).body.organisationId as string;
    const otherId = (await http().post('/v1/organisations').set(admin).send({ name: 'Gemeente Elders', organisationType: 'municipality', sizeBand: 'small' }).expect(201)).body.organisationId as string;
    const coordinator = bearer(await mintLocalToken(SECRET, { subject: 'coordinator-archiefstad', roles: ['coordinator'], organisations: [organisationId] }));
    const auditor = bearer(await mintLocalToken(SECRET, { subject: 'auditor-archiefstad', roles: ['auditor'], organisations: [organisationId] }));
    const otherAuditor = bearer(await mintLocalToken(SECRET, { subject: 'auditor-elders', roles: ['auditor'], organisations: [otherId] }));
    const respondentOnly = bearer(await mintLocalToken(SECRET, { subject: 'someone', roles: ['benchmark-reader'], organisations: [organisationId] }));

    // A history with a scored assessment: the verifier recomputes its score from the answers.
    const respondents = `/v1/organisations/${organisationId}/respondents`;
    const respondentId = (await http().post(respondents).set(coordinator).send({ name: 'Ada Archief', email: 'ada@archiefstad.example.nl' }).expect(201)).body.respondentId as string;
    const assessmentId = (
      await http()
        .post('/v1/assessments')
        .set(coordinator)
        .send({ organisationId, scope: { kind: 'organisation' }, period: '2026', model: { key: 'datagedreven-overheid', version: '2026.1' }, layers: ['strategic'] })
        .expect(201)
    ).body.assessmentId as string;
    await http().post(`/v1/assessments/${assessmentId}/invitations`).set(coordinator).send({ respondentId, layer: 'strategic' }).expect(201);
    const { token } = (await http().post(`${respondents}/${respondentId}/invitations`).set(coordinator).send({ assessmentId, layer: 'strategic' }).expect(201)).body;
    await http().put(`/v1/assessments/${assessmentId}/answers/F01-Q1`).set(bearer(token)).send({ level: 3 }).expect(200);
    await http().put(`/v1/assessments/${assessmentId}/answers/F01-Q2`).set(bearer(token)).send({ level: 2 }).expect(200);
    await http().post(`/v1/assessments/${assessmentId}/submit`).set(bearer(token)).expect(200);
    await http().post(`/v1/assessments/${assessmentId}/close`).set(coordinator).expect(200);
    await http().post('/v1/checkpoints').set(admin).expect(201);

    // Others are refused: an auditor of another organisation, a role without exports, no token.
    await http().post(`/v1/organisations/${organisationId}/archive-exports`).set(otherAuditor).expect(403);
    await http().post(`/v1/organisations/${organisationId}/archive-exports`).set(respondentOnly).expect(403);
    await http().post(`/v1/organisations/${organisationId}/archive-exports`).expect(401);
    await http().post('/v1/organisations/00000000-0000-7000-8000-000000000000/archive-exports').set(admin).expect(404);

    // The retention the MDTO records get is the organisation's to give (its selection list); nothing else is taken.
    const refused = await http().post(`/v1/organisations/${organisationId}/archive-exports`).set(coordinator).send({ retention: '20 years' }).expect(400);
    expect(refused.body.errors).toEqual([{ field: 'retention', problem: expect.stringContaining('ISO 8601 duration') }]);
    await http().post(`/v1/organisations/${organisationId}/archive-exports`).set(coordinator).send({ retention: 'P10Y', format: 'zip' }).expect(400);
    const asked = await http().post(`/v1/organisations/${organisationId}/archive-exports`).set(coordinator).send({ retention: 'P10Y' }).expect(202);
    const { exportId } = asked.body as { exportId: string };
    expect(asked.body).toMatchObject({ organisationId, status: 'queued', requestedBy: 'coordinator-archiefstad', retention: 'P10Y', sha256: null, bytes: null });
    expect(asked.headers.location).toBe(`/v1/organisations/${organisationId}/archive-exports/${exportId}`);
    await http().get(asked.headers.location).set(otherAuditor).expect(403);
    await download(`${asked.headers.location}/file`, otherAuditor).expect(403);

    let status = asked.body as { status: string; sha256: string | null; bytes: number | null; manifestSha256: string | null };
    for (let i = 0; i < 300 && (status.status === 'queued' || status.status === 'running'); i++) {
      await sleep(100);
      status = (await http().get(asked.headers.location).set(auditor).expect(200)).body;
    }
    expect(status).toMatchObject({ status: 'done', reason: null });
    expect(status.sha256).toMatch(/^[0-9a-f]{64}$/);

    const file = await download(`${asked.headers.location}/file`, auditor).expect(200).expect('Content-Type', /^application\/gzip/);
    const archive = file.body as Buffer;
    expect(archive.length).toBe(status.bytes);
    expect(createHash('sha256').update(archive).digest('hex')).toBe(status.sha256);
    expect(file.headers['x-archive-sha256']).toBe(status.sha256);

    // Unpacked with the system's tar: one folder, the layout `archive export` writes, verified offline.
    const tarball = join(dir, 'export.tar.gz');
    writeFileSync(tarball, archive);
    execFileSync('tar', ['-xzf', tarball, '-C', dir]);
    expect(readdirSync(dir).sort()).toEqual([`archive-${organisationId}`, 'export.tar.gz']);
    const unpacked = join(dir, `archive-${organisationId}`);
    expect(createHash('sha256').update(execFileSync('cat', [join(unpacked, 'manifest.json')])).digest('hex')).toBe(status.manifestSha256);
    const report = await verifyArchive(unpacked);
    expect({ ok: report.ok, first: report.first }).toEqual({ ok: true, first: null });
    expect(report.scoresChecked).toBeGreaterThanOrEqual(1);
    expect(report.checkpoint).not.toBeNull();
    const dossier = readdirSync(join(unpacked, 'mdto')).find((f) => f.endsWith('.informatieobject.mdto.xml'))!;
    expect(readFileSync(join(unpacked, 'mdto', dossier), 'utf8')).toContain('<termijnLooptijd>P10Y</termijnLooptijd>');
    // The request is in the export (its stream is the organisation's), and the export is on the record.
    expect(readdirSync(join(unpacked, 'streams'))).toContain(`${archiveExportStreamId(organisationId)}.jsonl`);
    const { rows } = await platform.database.pool.query<{ type: string; data: { sha256?: string }; actor: string }>(
      `SELECT type, data, metadata->>'actor' AS actor FROM events WHERE stream_id = $1 ORDER BY version`,
      [archiveExportStreamId(organisationId)],
    );
    expect(rows.map((r) => [r.type, r.actor])).toEqual([
      ['ArchiveExportRequested', 'coordinator-archiefstad'],
      ['ArchiveExported', 'system:archive'],
    ]);
    expect(rows[1].data.sha256).toBe(status.sha256);
  });
});
