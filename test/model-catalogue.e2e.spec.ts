import { createHash } from 'node:crypto';
import { mintLocalToken } from '@maatlat/access';
import { canonicalJson } from '@maatlat/shared/domain';
import { eventually, type TestDatabase } from '@maatlat/shared/testing';
import { SHIPPED_CROSSWALKS, SHIPPED_MODELS } from '@maatlat/model-catalogue/domain';
import { startPlatform, TEST_ISSUER_SECRET as SECRET, type TestPlatform } from './support/platform';
const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value));

describe('model catalogue, as an administrator uses it', () => {
  let platform: TestPlatform;
  let database: TestDatabase;
  let adminToken: string;
  const admin = () => ({ Authorization: `Bearer ${adminToken}` });
  const http = () => platform.http();
  const eventCount = async () => Number((await database.pool.query('SELECT count(*) AS n FROM events')).rows[0].n);

  beforeAll(async () => {
    platform = await startPlatform({ worker: true });
    database = platform.database;
    adminToken = await mintLocalToken(SECRET, { subject: 'beheerder-anna', roles: ['platform-admin'], organisations: [] });
  });
  afterAll(() => platform?.stop());

  it('lets only a platform administrator change the catalogue; every role may read it', async () => {
    expect((await http().get('/v1/model-versions').expect(401)).body.detail).toBe('a bearer token is required');
    expect((await http().get('/v1/model-versions').set('Authorization', 'Bearer not.a.token').expect(401)).body.detail).toBe('the token is malformed');
    const coordinator = await mintLocalToken(SECRET, { subject: 'coordinator-1', roles: ['coordinator'], organisations: ['org-1'] });
    const refused = await http().post('/v1/model-versions').set('Authorization', `Bearer ${coordinator}`).send({ document: SHIPPED_MODELS['2026.1'] }).expect(403);
    expect(refused.body.detail).toBe('this endpoint needs one of the roles: platform-admin');
    await http().get('/v1/model-versions').set('Authorization', `Bearer ${coordinator}`).expect(200);
  });

  describe('bad input: a 400 naming the problem, and nothing stored', () => {
    it.each<[string, () => unknown, RegExp]>([
      ['a level 6 rubric', () => { const d = copy(SHIPPED_MODELS['2026.1']); (d.factors[0].questions[0].rubric[5] as { level: number }).level = 6; return { document: d }; }, /document\$\.factors\[0\]\.questions\[0\]\.rubric\[5\]\.level: must be <= 5/],
      ['duplicate ids', () => { const d = copy(SHIPPED_MODELS['2026.1']); d.factors[1].id = 'F01'; return { document: d }; }, /document\$\.factors\[1\]\.id: factor id "F01" is already used/],
      ['an unknown field in the document', () => ({ document: { ...copy(SHIPPED_MODELS['2026.1']), owner: 'x' } }), /document\$: has an unknown field "owner"/],
      ['an unknown field in the request', () => ({ document: SHIPPED_MODELS['2026.1'], colour: 'red' }), /property colour should not exist/],
      ['neither a document nor a copy', () => ({ reason: 'nothing' }), /document must be an object/],
    ])('%s', async (_, body, message) => {
      const before = await eventCount();
      const response = await http().post('/v1/model-versions').set(admin()).send(body() as object).expect(400);
      expect(response.body.detail).toMatch(message);
      expect(await eventCount()).toBe(before);
    });

    it('malformed JSON', async () => {
      const before = await eventCount();
      const response = await http().post('/v1/model-versions').set(admin()).set('Content-Type', 'application/json').send('{"document": {').expect(400);
      expect(response.body.status).toBe(400);
      expect(response.body.code).toBe('request.malformed-json');
      expect(JSON.stringify(response.body)).not.toMatch(/at .*\.js/);
      expect(await eventCount()).toBe(before);
    });
  });

  it('drafts, publishes, refuses changes to a published version, publishes a successor with its crosswalk, diffs and retires', async () => {
    const v2026 = SHIPPED_MODELS['2026.1'];
    const drafted = await http().post('/v1/model-versions').set(admin()).set('Idempotency-Key', 'draft-2026-1').send({ document: v2026, reason: 'initial model' }).expect(201);
    expect(drafted.body).toMatchObject({ key: 'datagedreven-overheid', version: '2026.1', status: 'draft', revision: 1, contentHash: null });
    // A retried request with the same Idempotency-Key changes nothing.
    const retried = await http().post('/v1/model-versions').set(admin()).set('Idempotency-Key', 'draft-2026-1').send({ document: v2026, reason: 'initial model' }).expect(201);
    expect(retried.body).toMatchObject({ status: 'draft', revision: 1 });

    const published = await http()
      .post('/v1/model-versions/datagedreven-overheid/2026.1/publish')
      .set(admin())
      .send({ legalBasis: 'Wet open overheid; AVG; Archiefwet 1995', effectiveFrom: '2026-01-01' })
      .expect(200);
    expect(published.body).toMatchObject({
      status: 'published',
      contentHash: createHash('sha256').update(canonicalJson(v2026)).digest('hex'),
      legalBasis: 'Wet open overheid; AVG; Archiefwet 1995',
      effectiveFrom: '2026-01-01',
      predecessor: null,
    });

    const refused = await http().put('/v1/model-versions/datagedreven-overheid/2026.1').set(admin()).send({ document: v2026 }).expect(409);
    expect(refused.body.detail).toBe('datagedreven-overheid@2026.1 is published and can never change; to change it, draft a new version');

    // The successor: a draft, a crosswalk that misses a question (refused), the right one, then publish.
    await http().post('/v1/model-versions').set(admin()).send({ document: SHIPPED_MODELS['2027.1'] }).expect(201);
    const crosswalk = SHIPPED_CROSSWALKS['2026.1->2027.1'];
    const broken = { ...crosswalk, questions: crosswalk.questions.map((q) => (q.from === 'F03-Q1' ? { from: 'F03-Q1', to: [{ id: 'F03-Q9', weight: 1 }] } : q)) };
    const missing = await http().put('/v1/model-versions/datagedreven-overheid/2027.1/crosswalk').set(admin()).send({ crosswalk: broken }).expect(400);
    expect(missing.body.detail).toMatch(/crosswalk\$\.questions\[\d+\]\.to\[0\]\.id: "F03-Q9" is not a question of datagedreven-overheid@2027\.1/);
    expect((await http().get('/v1/model-versions/datagedreven-overheid/2027.1/crosswalk').set(admin()).expect(200)).body.crosswalk).toBeNull();
    await http().put('/v1/model-versions/datagedreven-overheid/2027.1/crosswalk').set(admin()).send({ crosswalk }).expect(200);
    const successor = await http()
      .post('/v1/model-versions/datagedreven-overheid/2027.1/publish')
      .set(admin())
      .send({ legalBasis: 'AI-verordening art. 26, 27 en 49; Algoritmeregister', effectiveFrom: '2027-01-01' })
      .expect(200);
    expect(successor.body).toMatchObject({ status: 'published', predecessor: 'datagedreven-overheid@2026.1' });

    const diff = await http().get('/v1/model-versions/datagedreven-overheid/diff?from=2026.1&to=2027.1').set(admin()).expect(200);
    expect(diff.body.factors).toMatchObject({ added: ['F07a', 'F07b'], removed: ['F07'] });
    expect(diff.body.questions.removed).toContain('F05-Q2');

    const retired = await http().post('/v1/model-versions/datagedreven-overheid/2026.1/retire').set(admin()).send({ reason: 'superseded by 2027.1' }).expect(200);
    expect(retired.body.status).toBe('retired');
    expect((await http().get('/v1/model-versions/datagedreven-overheid/2026.1').set(admin()).expect(200)).body.status).toBe('retired');

    const copied = await http().post('/v1/model-versions').set(admin()).send({ copyFrom: 'datagedreven-overheid@2027.1', version: '2028.1' }).expect(201);
    expect(copied.body).toMatchObject({ version: '2028.1', status: 'draft' });
    expect(copied.body.document.factors).toEqual(SHIPPED_MODELS['2027.1'].factors);

    await eventually(async () => {
      const list = await http().get('/v1/model-versions?key=datagedreven-overheid').set(admin()).expect(200);
      expect(list.body.map((v: { version: string; status: string }) => [v.version, v.status])).toEqual([
        ['2028.1', 'draft'],
        ['2027.1', 'published'],
        ['2026.1', 'retired'],
      ]);
    });

    const timeline = await database.pool.query(`SELECT type, metadata->>'actor' AS actor, metadata->>'reason' AS reason FROM events WHERE stream_id = 'modelversion-datagedreven-overheid@2026.1' ORDER BY version`);
    expect(timeline.rows).toEqual([
      { type: 'ModelVersionDrafted', actor: 'beheerder-anna', reason: 'initial model' },
      { type: 'ModelVersionPublished', actor: 'beheerder-anna', reason: null },
      { type: 'ModelVersionRetired', actor: 'beheerder-anna', reason: 'superseded by 2027.1' },
    ]);
  });

  it('answers 404 for a version that does not exist and 400 for a malformed version', async () => {
    await http().get('/v1/model-versions/datagedreven-overheid/2099.1').set(admin()).expect(404);
    const bad = await http().get('/v1/model-versions/datagedreven-overheid/latest').set(admin()).expect(400);
    expect(bad.body.detail).toBe('version: must be a version written YYYY.N, e.g. 2026.1');
  });
});
