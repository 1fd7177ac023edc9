import { parse } from 'yaml';
import { mintLocalToken } from '@maatlat/access';
import { SHIPPED_CROSSWALKS, SHIPPED_MODELS } from '@maatlat/model-catalogue/domain';
import { Reports } from '@maatlat/reports/feature';
import { ArchiveExports } from '@maatlat/archive/feature';
import { checkScoreInclusionProof } from '@maatlat/archive/data-access';
import { ContractChecker } from './support/contract';
import { startPlatform, TEST_ISSUER_SECRET as SECRET, type TestPlatform } from './support/platform';

type Operation = { responses: Record<string, { $ref?: string; content?: Record<string, { schema?: { $ref?: string } }> }> };
type Document = { info: { version: string }; paths: Record<string, Record<string, Operation>>; components: { responses: Record<string, Operation['responses'][string]> } };

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

function operationsOf(document: Document): [string, Operation][] {
  return Object.entries(document.paths).flatMap(([path, item]) => METHODS.filter((method) => item[method]).map((method) => [`${method.toUpperCase()} ${path}`, item[method]] as [string, Operation]));
}

/**
 * Every documented operation driven through a representative flow, each response held to the
 * document the API serves (test/support/contract.ts does the holding, for every end-to-end suite).
 */
describe('the OpenAPI contract, held to every response', () => {
  let platform: TestPlatform;
  let document: Document;
  const http = () => platform.http();
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    platform = await startPlatform({ env: { SIGNING_KEY: `c1:${'2a'.repeat(32)}` } });
    document = (await http().get('/v1/openapi.json').expect(200)).body;
  });
  afterAll(() => platform?.stop());

  it('publishes the same document as JSON and YAML, under the version prefix, with the version in every header', async () => {
    const yaml = await http().get('/v1/openapi.yaml').expect(200).expect('Content-Type', /^application\/yaml/);
    expect(parse(yaml.text)).toEqual(document);
    expect(yaml.headers['api-version']).toBe(document.info.version);
    for (const path of ['/health', '/ready', '/v1/organisations', '/organisations', '/v1/no-such-thing']) {
      expect({ path, version: (await http().get(path)).headers['api-version'] }).toEqual({ path, version: document.info.version });
    }
    // The unversioned resource paths are gone: a client learns so from a problem, not a hang.
    const old = await http().get('/organisations').expect(404);
    expect(old.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  });

  it('types the success and the error responses of every operation (100%)', () => {
    const resolve = (response: Operation['responses'][string]) => (response.$ref ? document.components.responses[response.$ref.split('/').pop()!] : response);
    const operations = operationsOf(document);
    const untyped = operations.flatMap(([key, operation]) => {
      const responses = Object.entries(operation.responses).map(([status, response]) => [Number(status), resolve(response)] as const);
      const successes = responses.filter(([status]) => status < 300);
      const errors = responses.filter(([status]) => status >= 400);
      const typed = (response: Operation['responses'][string], mediaType?: string) =>
        Object.entries(response.content ?? {}).some(([type, content]) => (!mediaType || type === mediaType) && content.schema);
      const problems: string[] = [];
      if (successes.length === 0 || !successes.every(([, response]) => typed(response))) problems.push(`${key}: a success without a schema`);
      // The readiness probe's 503 carries its report, as its 200 does; every other error is a Problem.
      for (const [status, response] of errors) {
        const problem = response.content?.['application/problem+json']?.schema?.$ref === '#/components/schemas/Problem';
        if (!problem && !(key === 'GET /ready' && status === 503 && typed(response, 'application/json'))) problems.push(`${key}: ${status} is not a Problem`);
      }
      return problems;
    });
    expect({ operations: operations.length, untyped }).toEqual({ operations: operations.length, untyped: [] });
    expect(operations.length).toBeGreaterThanOrEqual(46);
  });

  it('catches what breaks the contract: an undocumented status or field, a wrong type or media type, a missing API-Version', () => {
    const checker = new ContractChecker(document as never);
    const organisation = { organisationId: 'o-1', name: 'Gemeente Ede', organisationType: 'municipality', sizeBand: 'medium', revision: 1, units: [] };
    const send = (status: number, body: unknown, contentType = 'application/json; charset=utf-8', apiVersion = document.info.version) =>
      checker.check({ method: 'GET', path: '/v1/organisations/o-1', status, contentType, apiVersion, body: Buffer.from(JSON.stringify(body)) });
    send(200, organisation);
    send(200, { ...organisation, organisation_id: 'o-1' });
    send(200, { ...organisation, revision: '1' });
    send(418, {});
    send(404, { status: 404 }, 'application/json');
    send(200, organisation, 'application/json', '0.0.1');
    expect(checker.report.validated).toBe(1);
    expect(checker.report.violations).toEqual([
      expect.stringContaining('must NOT have additional properties (organisation_id)'),
      expect.stringContaining('body/revision must be integer'),
      expect.stringContaining('does not document status 418'),
      expect.stringContaining('content type "application/json" is not one of application/problem+json'),
      expect.stringContaining('API-Version is "0.0.1"'),
    ]);
  });

  it('answers every documented operation as documented, in one flow from a model to a verified assessment', async () => {
    const admin = bearer(await mintLocalToken(SECRET, { subject: 'admin', roles: ['platform-admin'], organisations: [] }));
    await http().get('/health').expect(200);
    await http().get('/ready').expect(200);

    // The model catalogue: two versions, a crosswalk between them, a diff.
    const draft = (await http().post('/v1/model-versions').set(admin).send({ document: SHIPPED_MODELS['2026.1'] }).expect(201)).body;
    await http().put('/v1/model-versions/datagedreven-overheid/2026.1').set({ ...admin, 'If-Match': `"${draft.revision}"` }).send({ document: SHIPPED_MODELS['2026.1'], reason: 'typo' }).expect(200);
    await http().post('/v1/model-versions/datagedreven-overheid/2026.1/publish').set(admin).send({ legalBasis: 'Woo', effectiveFrom: '2026-01-01' }).expect(200);
    await http().post('/v1/model-versions').set(admin).send({ document: SHIPPED_MODELS['2027.1'] }).expect(201);
    await http().put('/v1/model-versions/datagedreven-overheid/2027.1/crosswalk').set(admin).send({ crosswalk: SHIPPED_CROSSWALKS['2026.1->2027.1'] }).expect(200);
    await http().get('/v1/model-versions/datagedreven-overheid/2027.1/crosswalk').set(admin).expect(200);
    await http().get('/v1/model-versions/datagedreven-overheid/2026.1').set(admin).expect(200);
    await http().get('/v1/model-versions/datagedreven-overheid/diff?from=2026.1&to=2027.1').set(admin).expect(200);

    // An organisation with units, a chain, respondents.
    const organisationId = (await http().post('/v1/organisations').set(admin).send({ name: 'Waterschap Contract', organisationType: 'water-board', sizeBand: 'medium' }).expect(201)).body.organisationId as string;
    const coordinator = bearer(await mintLocalToken(SECRET, { subject: 'coordinator', roles: ['coordinator'], organisations: [organisationId] }));
    const auditor = bearer(await mintLocalToken(SECRET, { subject: 'auditor', roles: ['auditor'], organisations: [organisationId] }));
    await http().get(`/v1/organisations/${organisationId}`).set(auditor).expect(200);
    await http().patch(`/v1/organisations/${organisationId}`).set(admin).send({ sizeBand: 'large' }).expect(200);
    const unitId = (await http().post(`/v1/organisations/${organisationId}/units`).set(coordinator).send({ name: 'Afdeling Keringen', kind: 'department' }).expect(201)).body.unitId as string;
    const teamId = (await http().post(`/v1/organisations/${organisationId}/units`).set(coordinator).send({ name: 'Team Data', kind: 'team', parentUnitId: null }).expect(201)).body.unitId as string;
    await http().patch(`/v1/organisations/${organisationId}/units/${teamId}`).set(coordinator).send({ name: 'Team Data en Analyse' }).expect(200);
    await http().post(`/v1/organisations/${organisationId}/units/${teamId}/move`).set(coordinator).send({ toParentUnitId: unitId }).expect(200);
    await http().post(`/v1/organisations/${organisationId}/units/${teamId}/close`).set(coordinator).expect(200);
    const chainId = (await http().post('/v1/chains').set(admin).send({ name: 'Keten Water', description: 'waterbeheer' }).expect(201)).body.chainId as string;
    await http().post(`/v1/chains/${chainId}/members`).set(coordinator).send({ organisationId, unitId }).expect(201);
    await http().get(`/v1/chains/${chainId}`).set(auditor).expect(200);
    await http().post(`/v1/chains/${chainId}/members/remove`).set(coordinator).send({ organisationId, unitId }).expect(200);
    const respondents = `/v1/organisations/${organisationId}/respondents`;
    const respondentId = (await http().post(respondents).set(coordinator).send({ name: 'Rosa Respondent', email: 'rosa@example.nl' }).expect(201)).body.respondentId as string;
    const leaver = (await http().post(respondents).set(coordinator).send({ name: 'Lex Leaver', email: 'lex@example.nl' }).expect(201)).body.respondentId as string;
    await http().post(`${respondents}/${leaver}/erasure`).set(coordinator).send({ reason: 'verzoek van betrokkene' }).expect(200);
    await http().get(respondents).set(coordinator).expect(200);
    await http().get(`${respondents}/${respondentId}`).set(coordinator).expect(200);
    await http().get(`${respondents}/${leaver}/access-export`).set(coordinator).expect(200);

    // The demo sign-in (the local issuer is on in these tests).
    const personas = (await http().get('/v1/demo/personas').expect(200)).body as { role: string }[];
    expect(personas[0]).toEqual({ role: 'platform-admin', organisationId: null, organisationName: null });
    const demo = (await http().post('/v1/demo/sessions').send({ role: 'coordinator', organisationId }).expect(201)).body;
    await http().get(`/v1/organisations/${organisationId}`).set(bearer(demo.token)).expect(200);

    // An assessment from opening to verification.
    const assessmentId = (
      await http()
        .post('/v1/assessments')
        .set(coordinator)
        .send({ organisationId, scope: { kind: 'organisation' }, period: '2026', model: { key: 'datagedreven-overheid', version: '2026.1' }, layers: ['strategic'] })
        .expect(201)
    ).body.assessmentId as string;
    // The demo respondent persona: invited to an open assessment (one of its own here), with the invitation's token.
    const demoAssessment = (
      await http()
        .post('/v1/assessments')
        .set(coordinator)
        .send({ organisationId, scope: { kind: 'organisation' }, period: '2026-demo', model: { key: 'datagedreven-overheid', version: '2026.1' }, layers: ['tactical'] })
        .expect(201)
    ).body.assessmentId as string;
    const demoRespondent = (await http().post('/v1/demo/respondent-sessions').send({ organisationId, assessmentId: demoAssessment }).expect(201)).body;
    expect(demoRespondent).toMatchObject({ assessmentId: demoAssessment, layer: 'tactical' });
    await http().get(`/v1/assessments/${demoAssessment}/my-response`).set(bearer(demoRespondent.token)).expect(200);
    await http().post(`/v1/assessments/${assessmentId}/invitations`).set(coordinator).send({ respondentId, layer: 'strategic' }).expect(201);
    const { token } = (await http().post(`${respondents}/${respondentId}/invitations`).set(coordinator).send({ assessmentId, layer: 'strategic' }).expect(201)).body;
    const spare = (await http().post(`${respondents}/${respondentId}/invitations`).set(coordinator).send({ assessmentId, layer: 'strategic' }).expect(201)).body;
    await http().post(`${respondents}/${respondentId}/invitations/${spare.invitationId}/revocation`).set(coordinator).send({ reason: 'sent twice' }).expect(200);
    await http().put(`/v1/assessments/${assessmentId}/answers/F01-Q1`).set(bearer(token)).send({ level: 4, justification: 'Vastgesteld beleid.', evidence: [{ kind: 'url', reference: 'https://example.nl/beleid', title: 'Beleid' }] }).expect(200);
    await http().put(`/v1/assessments/${assessmentId}/answers/F01-Q2`).set(bearer(token)).send({ dontKnow: true }).expect(200);
    const own = await http().get(`/v1/assessments/${assessmentId}/my-response`).set(bearer(token)).expect(200);
    expect(own.body.answers).toEqual([
      { questionId: 'F01-Q1', answer: { level: 4 }, revision: 1 },
      { questionId: 'F01-Q2', answer: { dontKnow: true }, revision: 1 },
    ]);
    await http().post(`/v1/assessments/${assessmentId}/submit`).set(bearer(token)).expect(200);
    await http().post(`/v1/assessments/${assessmentId}/close`).set(coordinator).expect(200);
    await http().get(`/v1/assessments/${assessmentId}`).set(auditor).expect(200);
    await http().get(`/v1/assessments/${assessmentId}?asOf=${encodeURIComponent(new Date().toISOString())}`).set(auditor).expect(200);
    await http().get(`/v1/assessments/${assessmentId}/scores`).set(auditor).expect(200);
    await http().get(`/v1/assessments/${assessmentId}/scores/explain`).set(auditor).expect(200);
    await http().get(`/v1/assessments/${assessmentId}/scores/explain?factor=F01`).set(auditor).expect(200);
    await http().get(`/v1/assessments/${assessmentId}/events`).set(auditor).expect(200);
    await http().post(`/v1/assessments/${assessmentId}/verify`).set(auditor).expect(200);
    await http().get(`/v1/assessments/${assessmentId}/score-events`).set(auditor).expect(200);
    await http().get(`/v1/organisations/${organisationId}/assessments`).set(auditor).expect(200);

    // Signed checkpoints: the key for anyone, one on demand, a score's inclusion proof against it.
    const keys = (await http().get('/.well-known/maatlat-keys').expect(200)).body;
    expect(keys.keys).toEqual([expect.objectContaining({ kty: 'OKP', crv: 'Ed25519', kid: 'c1' })]);
    await http().get('/v1/checkpoints/latest').expect(404);
    const checkpoint = (await http().post('/v1/checkpoints').set(admin).expect(201)).body;
    // Every checkpoint, without a token (the open dataset carries them too): the list, the latest, one by number.
    expect((await http().get('/v1/checkpoints').expect(200)).body).toEqual([checkpoint]);
    expect((await http().get('/v1/checkpoints/latest').expect(200)).body).toEqual(checkpoint);
    expect((await http().get(`/v1/checkpoints/${checkpoint.statement.sequence}`).expect(200)).body).toEqual(checkpoint);
    expect((await http().get(`/v1/checkpoints?before=${checkpoint.statement.sequence}`).expect(200)).body).toEqual([]);
    await http().get('/v1/checkpoints/999').expect(404);
    expect((await http().get('/v1/checkpoints/1.0').expect(400)).body.errors).toEqual([expect.objectContaining({ field: 'sequence' })]);
    expect((await http().get('/v1/checkpoints?limit=0').expect(400)).body.errors).toEqual([expect.objectContaining({ field: 'limit' })]);
    const proof = (await http().get(`/v1/assessments/${assessmentId}/score-proof?checkpoint=${checkpoint.statement.sequence}`).set(auditor).expect(200)).body;
    expect(proof).toMatchObject({ checkpoint, event: { streamId: `assessment-${assessmentId}`, type: 'ScoreCalculated' } });
    expect(checkScoreInclusionProof(proof, keys.keys[0])).toEqual([]);
    await http().get(`/v1/assessments/${assessmentId}/score-proof`).set(coordinator).expect(200);
    const full = (await http().get(`/v1/assessments/${assessmentId}/score-proof?withEvent=true`).set(auditor).expect(200)).body;
    expect(full.event.data).toBeDefined();
    expect(checkScoreInclusionProof(full, keys.keys[0])).toEqual([]);
    await http().get(`/v1/assessments/${assessmentId}/score-proof?withEvent=yes`).set(auditor).expect(400);
    await http().get(`/v1/assessments/${assessmentId}/score-proof?checkpoint=abc`).set(auditor).expect(400);

    // Woo open data: publish, the public dataset without a token (latest and by version), withdraw.
    await http().get('/open-data').expect(404);
    expect((await http().get(`/v1/assessments/${assessmentId}/publication`).set(auditor).expect(200)).body).toEqual({ assessmentId, organisationId, status: 'unpublished', revision: 0, changes: [] });
    const published = (await http().post(`/v1/assessments/${assessmentId}/publication`).set(coordinator).expect(201)).body;
    expect(published).toMatchObject({ assessmentId, organisationId, status: 'published', datasetVersion: 1, by: expect.any(String), at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    const metadata = (await http().get('/open-data').expect(200).expect('Content-Type', /^application\/ld\+json/)).body;
    expect(JSON.stringify(metadata)).toContain('dcat:Dataset');
    const results = await http().get('/open-data/results.csv').expect(200).expect('Content-Type', /^text\/csv/);
    expect(results.text).toContain(organisationId);
    expect(results.text).not.toContain('rosa@example.nl');
    await http().get('/open-data/dataset.json').expect(200);
    const [latest] = (await http().get('/open-data/versions').expect(200)).body;
    await http().get(`/open-data/versions/${latest.contentId}`).expect(200);
    await http().get('/open-data/versions/1/benchmarks.csv').expect(200);
    await http().post(`/v1/assessments/${assessmentId}/publication`).set(coordinator).expect(409);
    await http().delete(`/v1/assessments/${assessmentId}/publication`).set({ ...coordinator, 'If-Match': `"${published.revision + 1}"` }).expect(409);
    expect((await http().delete(`/v1/assessments/${assessmentId}/publication`).set({ ...coordinator, 'If-Match': `"${published.revision}"` }).expect(200)).body).toMatchObject({ status: 'withdrawn', datasetVersion: 2 });
    const record = await http().get(`/v1/assessments/${assessmentId}/publication`).set(auditor).expect(200).expect('ETag', `"${published.revision + 1}"`);
    expect(record.body).toMatchObject({ status: 'withdrawn', revision: published.revision + 1 });
    expect(record.body.changes).toEqual([
      { change: 'published', by: published.by, at: published.at },
      { change: 'withdrawn', by: published.by, at: expect.any(String) },
    ]);
    expect((await http().get('/open-data/versions/2/results.csv').expect(200)).text).not.toContain(organisationId);
    expect((await http().get('/open-data/versions/1/results.csv').expect(200)).text).toBe(results.text);
    await http().get('/open-data/versions/nope').expect(400);

    // Recalculation, and the retirement of a version; then the lists, from their read models.
    const recalculation = (await http().post('/v1/recalculations').set(admin).send({ modelKey: 'datagedreven-overheid', modelVersion: '2026.1', algorithm: 'maatlat-scoring/v1' }).expect(201)).body;
    await http().get(`/v1/recalculations/${recalculation.recalculationId}`).set(admin).expect(200);
    await http().get('/v1/recalculations').set(admin).expect(200);
    await http().post('/v1/model-versions/datagedreven-overheid/2027.1/publish').set(admin).send({ legalBasis: 'AI-verordening', effectiveFrom: '2027-01-01' }).expect(200);
    await http().post('/v1/model-versions/datagedreven-overheid/2026.1/retire').set(admin).send({ reason: 'superseded by 2027.1' }).expect(200);
    const { ProjectionRunner, PostgresEventStore } = await import('@maatlat/shared/event-store');
    const { projectionsOf } = await import('@maatlat/shared/features');
    const { API_FEATURES } = await import('../apps/api/src/features');
    const { db, pool } = platform.database;
    await new ProjectionRunner(db, pool, new PostgresEventStore(db, pool), projectionsOf(API_FEATURES)).catchUp();
    expect((await http().get('/v1/model-versions').set(admin).expect(200)).body).toHaveLength(2);
    expect((await http().get('/v1/organisations').set(admin).expect(200)).body).toHaveLength(1);
    expect((await http().get(`/v1/organisations/${organisationId}/tree`).set(auditor).expect(200)).body).toHaveLength(2);
    expect((await http().get('/v1/chains').set(admin).expect(200)).body).toHaveLength(1);
    // Insights, from their read model too: trends (an organisation's and a chain's) and benchmarks.
    await http().get(`/v1/organisations/${organisationId}/trends`).set(auditor).expect(200);
    await http().get(`/v1/chains/${chainId}/trends`).set(admin).expect(200);
    await http().get('/v1/benchmarks?modelKey=datagedreven-overheid&period=2026&groupBy=all').set(admin).expect(200);
    await http().get(`/v1/organisations/${organisationId}/benchmark-position?modelKey=datagedreven-overheid&period=2026`).set(auditor).expect(200);
    await http().post('/v1/benchmarks/2026/publish').set(admin).send({ modelKey: 'datagedreven-overheid' }).expect(200);
    await http().get('/v1/benchmarks?modelKey=datagedreven-overheid&period=2026&published=latest').set(admin).expect(200);
    await http().post('/v1/benchmarks/2026/verify?modelKey=datagedreven-overheid').set(admin).expect(200);
    // Reports: the HTML, a PDF asked for and printed by its job (run here in-process), its status, file and check.
    await http().get(`/v1/assessments/${assessmentId}/report?lang=en`).set(auditor).expect(200).expect('Content-Type', /^text\/html/);
    // An older score chosen (here the closing one) by version for the HTML, by event id for a PDF; an unknown one is a 400.
    const [closingScore] = (await http().get(`/v1/assessments/${assessmentId}/score-events`).set(admin).expect(200)).body;
    await http().get(`/v1/assessments/${assessmentId}/report?scoreEvent=${closingScore.version}`).set(auditor).expect(200).expect('Content-Type', /^text\/html/);
    await http().get(`/v1/assessments/${assessmentId}/report?scoreEvent=999999`).set(auditor).expect(400);
    const report = (await http().post(`/v1/assessments/${assessmentId}/reports`).set(coordinator).send({ lang: 'nl', audience: 'public', scoreEvent: closingScore.eventId }).expect(202)).body;
    expect(report.scoreEvent).toBe(closingScore.version);
    await platform.api.get(Reports).generate(report.reportId, assessmentId, { now: new Date(), actor: 'system:reports', correlationId: 'contract' });
    expect((await http().get(`/v1/assessments/${assessmentId}/reports`).set(auditor).expect(200)).body).toHaveLength(1);
    expect((await http().get(`/v1/assessments/${assessmentId}/reports/${report.reportId}`).set(coordinator).expect(200)).body.status).toBe('done');
    const pdf = await http().get(`/v1/assessments/${assessmentId}/reports/${report.reportId}/pdf`).set(auditor).buffer(true).parse((response, done) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => done(null, Buffer.concat(chunks)));
    }).expect(200);
    expect((await http().post('/v1/reports/verify').set(auditor).send({ pdf: (pdf.body as Buffer).toString('base64') }).expect(200)).body.valid).toBe(true);
    await http().get(`/v1/assessments/${assessmentId}/report?lang=fr`).set(auditor).expect(400);

    // An archival export: asked for, its file refused until done, made by its job (run here in-process), then fetched.
    const archiveExport = await http().post(`/v1/organisations/${organisationId}/archive-exports`).set(coordinator).expect(202);
    expect(archiveExport.headers.location).toBe(`/v1/organisations/${organisationId}/archive-exports/${archiveExport.body.exportId}`);
    await http().get(`${archiveExport.headers.location}/file`).set(auditor).expect(422);
    await platform.api.get(ArchiveExports).generate(archiveExport.body.exportId, organisationId, { now: new Date(), actor: 'system:archive', correlationId: 'contract' });
    expect((await http().get(archiveExport.headers.location).set(auditor).expect(200)).body.status).toBe('done');
    await http().get(`${archiveExport.headers.location}/file`).set(auditor).buffer(true).parse((response, done) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => done(null, Buffer.concat(chunks)));
    }).expect(200).expect('Content-Type', /^application\/gzip/);

    // Some refusals, each a documented Problem.
    await http().get('/v1/organisations').expect(401);
    await http().post('/v1/organisations').set(coordinator).send({}).expect(403);
    await http().post('/v1/organisations').set(admin).send({ name: '' }).expect(400);
    await http().post(`/v1/assessments/${assessmentId}/close`).set(coordinator).expect(422);
    await http().patch(`/v1/organisations/${organisationId}`).set({ ...admin, 'If-Match': '"1"' }).send({ sizeBand: 'small' }).expect(409);
    await http().post('/v1/chains').set(admin).set('Content-Type', 'text/plain').send('Keten').expect(415);

    const { validated, violations, succeeded } = platform.contract;
    const unanswered = operationsOf(document)
      .map(([key]) => key)
      .filter((key) => !succeeded.has(key));
    console.info(`OpenAPI contract: ${validated} responses validated, ${succeeded.size} of ${operationsOf(document).length} operations answered with a documented success`);
    expect({ violations, unanswered }).toEqual({ violations: [], unanswered: [] });
  });
});
