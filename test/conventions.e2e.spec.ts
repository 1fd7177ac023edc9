import { mintLocalToken } from '@maatlat/access';
import { SHIPPED_MODELS } from '@maatlat/model-catalogue/domain';
import { startPlatform, TEST_ISSUER_SECRET as SECRET, type TestPlatform } from './support/platform';

/** Every key of a JSON value, at any depth, except inside free-form documents (model content). */
function keysOf(value: unknown, skip: ReadonlySet<string>, keys: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((item) => keysOf(item, skip, keys));
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      keys.push(key);
      if (!skip.has(key)) keysOf(item, skip, keys);
    }
  }
  return keys;
}

describe('one convention for every feature, over HTTP', () => {
  let platform: TestPlatform;
  let admin: Record<string, string>;
  const http = () => platform.http();

  beforeAll(async () => {
    platform = await startPlatform();
    admin = { Authorization: `Bearer ${await mintLocalToken(SECRET, { subject: 'admin', roles: ['platform-admin'], organisations: [] })}` };
  });
  afterAll(() => platform?.stop());

  it('gives every mutable resource an ETag, takes it back as If-Match, and refuses a stale one with 409 naming the current revision', async () => {
    const organisation = await http().post('/v1/organisations').set(admin).send({ name: 'Gemeente Zwolle', organisationType: 'municipality', sizeBand: 'medium' }).expect(201);
    const organisationId = organisation.body.organisationId as string;
    expect(organisation.headers.etag).toBe('"1"');

    const read = await http().get(`/v1/organisations/${organisationId}`).set(admin).expect(200);
    expect(read.headers.etag).toBe('"1"');
    await http().patch(`/v1/organisations/${organisationId}`).set({ ...admin, 'If-Match': '"1"' }).send({ sizeBand: 'large' }).expect(200);
    const stale = await http().patch(`/v1/organisations/${organisationId}`).set({ ...admin, 'If-Match': '"1"' }).send({ sizeBand: 'small' }).expect(409);
    expect(stale.body.details).toMatchObject({ expectedVersion: 1, actualVersion: 2 });
    await http().post(`/v1/organisations/${organisationId}/units`).set({ ...admin, 'If-Match': '"1"' }).send({ name: 'Team Data', kind: 'team' }).expect(409);
    await http().patch(`/v1/organisations/${organisationId}`).set({ ...admin, 'If-Match': 'twelve' }).send({ sizeBand: 'small' }).expect(400);

    const draft = await http().post('/v1/model-versions').set(admin).send({ document: SHIPPED_MODELS['2026.1'] }).expect(201);
    expect(draft.headers.etag).toBe(`"${draft.body.revision}"`);
    await http().put('/v1/model-versions/datagedreven-overheid/2026.1').set({ ...admin, 'If-Match': '"7"' }).send({ document: SHIPPED_MODELS['2026.1'] }).expect(409);
    await http().post('/v1/model-versions/datagedreven-overheid/2026.1/publish').set({ ...admin, 'If-Match': `"${draft.body.revision}"` }).send({ legalBasis: 'Woo', effectiveFrom: '2026-01-01' }).expect(200);

    const respondent = await http().post(`/v1/organisations/${organisationId}/respondents`).set(admin).send({ name: 'Ria Respondent', email: 'ria@example.nl' }).expect(201);
    await http().post(`/v1/organisations/${organisationId}/respondents/${respondent.body.respondentId}/erasure`).set({ ...admin, 'If-Match': '"5"' }).send({}).expect(409);
    expect((await http().get(`/v1/organisations/${organisationId}/respondents/${respondent.body.respondentId}`).set(admin).expect(200)).body.personal).toEqual({ name: 'Ria Respondent', email: 'ria@example.nl' });

    const assessment = await http()
      .post('/v1/assessments')
      .set(admin)
      .send({ organisationId, scope: { kind: 'organisation' }, period: '2026', model: { key: 'datagedreven-overheid', version: '2026.1' }, layers: ['strategic'] })
      .expect(201);
    expect(assessment.headers.etag).toBe('"1"');
    await http().post(`/v1/assessments/${assessment.body.assessmentId}/close`).set({ ...admin, 'If-Match': '"0"' }).expect(409);
    await http().post(`/v1/assessments/${assessment.body.assessmentId}/close`).set({ ...admin, 'If-Match': '"1"' }).expect(200);
  });

  it('answers in camelCase views everywhere, never read-model rows', async () => {
    const organisation = await http().post('/v1/organisations').set(admin).send({ name: 'Provincie Drenthe', organisationType: 'province', sizeBand: 'small' }).expect(201);
    const organisationId = organisation.body.organisationId as string;
    const unit = await http().post(`/v1/organisations/${organisationId}/units`).set(admin).send({ name: 'Afdeling Data', kind: 'department' }).expect(201);
    const chain = await http().post('/v1/chains').set(admin).send({ name: 'Keten Water', description: 'waterbeheer' }).expect(201);
    await http().post(`/v1/chains/${chain.body.chainId}/members`).set(admin).send({ organisationId, unitId: unit.body.unitId }).expect(201);
    // Lists come from read models, which the worker keeps; this platform has none, so build them here.
    const { ProjectionRunner, PostgresEventStore } = await import('@maatlat/shared/event-store');
    const { projectionsOf } = await import('@maatlat/shared/features');
    const { API_FEATURES } = await import('../apps/api/src/features');
    const { db, pool } = platform.database;
    await new ProjectionRunner(db, pool, new PostgresEventStore(db, pool), projectionsOf(API_FEATURES)).catchUp();

    const documents = new Set(['document', 'crosswalk']);
    for (const path of ['/v1/organisations', `/v1/organisations/${organisationId}`, `/v1/organisations/${organisationId}/tree`, '/v1/chains', `/v1/chains/${chain.body.chainId}`, '/v1/model-versions']) {
      const body = (await http().get(path).set(admin).expect(200)).body;
      expect(Array.isArray(body) ? body.length : 1).toBeGreaterThan(0);
      const snakeCase = keysOf(body, documents).filter((key) => key.includes('_'));
      expect({ path, snakeCase }).toEqual({ path, snakeCase: [] });
    }
  });

  it('documents If-Match on every change of a mutable resource in the OpenAPI', async () => {
    const document = (await http().get('/v1/openapi.json').expect(200)).body as { paths: Record<string, Record<string, { parameters?: { name: string; in: string; required?: boolean }[] }>> };
    // Changes of an existing resource: any PUT or PATCH, and a POST on a path that names one.
    // Not changes of one: creating a respondent in an organisation, replaying a score or a published
    // benchmark (verify), asking for a report (each is a new report of the assessment as it stands),
    // asking for an archival export (each is a new export of the organisation's history as it stands).
    // Publishing a benchmark appends an edition to the model, period and level's stream: it is checked.
    const notChanges = new Set([
      'post /organisations/{organisationId}/respondents',
      'post /assessments/{assessmentId}/verify',
      'post /benchmarks/{period}/verify',
      'post /assessments/{assessmentId}/reports',
      'post /organisations/{organisationId}/archive-exports',
    ]);
    const missing: string[] = [];
    let checked = 0;
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const change = method === 'put' || method === 'patch' || (method === 'post' && path.includes('{'));
        if (!change || notChanges.has(`${method} ${path}`)) continue;
        checked += 1;
        const ifMatch = operation.parameters?.find((p) => p.in === 'header' && p.name.toLowerCase() === 'if-match');
        if (!ifMatch || ifMatch.required) missing.push(`${method} ${path}`);
      }
    }
    expect(checked).toBeGreaterThan(15);
    expect(missing).toEqual([]);
  });
});
