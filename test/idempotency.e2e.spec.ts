import type { INestApplication } from '@nestjs/common';
import { IdempotencyKeyCleanup, mintLocalToken } from '@maatlat/access';
import { SHIPPED_CROSSWALKS, SHIPPED_MODELS } from '@maatlat/model-catalogue/domain';
import { PostgresEventStore, ProjectionRunner } from '@maatlat/shared/event-store';
import { projectionsOf } from '@maatlat/shared/features';
import { API_FEATURES } from '../apps/api/src/features';
import { routesOf } from './support/routes';
import { startPlatform, TEST_ISSUER_SECRET as SECRET, type TestPlatform } from './support/platform';

/** Every write route the API serves, as `POST /organisations` (the version prefix left out). */
const writeRoutesOf = (api: INestApplication) =>
  routesOf(api)
    .map((route) => ({ method: route.method.toUpperCase(), path: route.path.replace(/^\/v1(?=\/)/, '') }))
    .filter((route) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(route.method));

/** One valid request to a route, made against resources of its own, and another body for the same key. */
interface Scenario {
  path: string;
  body?: object;
  otherBody: object;
  token: string;
}

describe('Idempotency-Key on every write route', () => {
  let platform: TestPlatform;
  let admin: string;
  let organisationId: string;
  const http = () => platform.http();
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  const eventCount = async () => Number((await platform.database.pool.query('SELECT count(*) AS n FROM events')).rows[0].n);
  let sequence = 0;
  const unique = () => `${++sequence}`;

  async function created(path: string, body: object, token = admin): Promise<Record<string, any>> {
    const response = await http().post(path).set(auth(token)).send(body);
    if (response.status >= 300) throw new Error(`${path}: ${response.status} ${response.text}`);
    return response.body;
  }
  const unit = async () => (await created(`/v1/organisations/${organisationId}/units`, { name: `Team ${unique()}`, kind: 'team' })).unitId as string;
  const chain = async () => (await created('/v1/chains', { name: `Keten ${unique()}`, description: 'idempotent' })).chainId as string;
  const respondent = async () => (await created(`/v1/organisations/${organisationId}/respondents`, { name: 'Ida Idempotent', email: `ida${unique()}@example.nl` })).respondentId as string;
  const assessment = async () =>
    (await created('/v1/assessments', { organisationId, scope: { kind: 'organisation' }, period: `2026-${unique()}`, model: { key: 'datagedreven-overheid', version: '2026.1' }, layers: ['strategic'] }))
      .assessmentId as string;
  /** A draft of a model of its own (its first version: published without a crosswalk); its path. */
  const draft = async () => {
    const key = `idempotent-${unique()}`;
    await created('/v1/model-versions', { document: { ...SHIPPED_MODELS['2026.1'], key } });
    return `/v1/model-versions/${key}/2026.1`;
  };
  /** A respondent invited to an assessment, with the invitation's token. */
  const invited = async () => {
    const assessmentId = await assessment();
    const respondentId = await respondent();
    await created(`/v1/assessments/${assessmentId}/invitations`, { respondentId, layer: 'strategic' });
    const { token, invitationId } = await created(`/v1/organisations/${organisationId}/respondents/${respondentId}/invitations`, { assessmentId, layer: 'strategic' });
    return { assessmentId, respondentId, token: token as string, invitationId: invitationId as string };
  };

  /** A benchmark period of its own with one closed (scored) assessment in it: its path prefix. */
  const scoredPeriod = async () => {
    const period = `${2030 + Number(unique())}`;
    const { assessmentId } = await created('/v1/assessments', { organisationId, scope: { kind: 'organisation' }, period, model: { key: 'datagedreven-overheid', version: '2026.1' }, layers: ['strategic'] });
    await created(`/v1/assessments/${assessmentId}/close`, {});
    // Benchmarks read the insights read model (and the catalogue's): bring them up to date, as a worker would.
    const { db, pool } = platform.database;
    await new ProjectionRunner(db, pool, new PostgresEventStore(db, pool), projectionsOf(API_FEATURES)).catchUp();
    return `/v1/benchmarks/${period}`;
  };

  /** A coordinator of the organisation (publishing results is theirs). */
  const coordinator = () => mintLocalToken(SECRET, { subject: `coordinator-${unique()}`, roles: ['coordinator'], organisations: [organisationId] });
  const SCENARIOS: Record<string, () => Promise<Scenario>> = {
    'POST /organisations': async () => ({ path: '/v1/organisations', body: { name: 'Gemeente Eenmaal', organisationType: 'municipality', sizeBand: 'small' }, otherBody: { name: 'Gemeente Andermaal', organisationType: 'municipality', sizeBand: 'small' }, token: admin }),
    'PATCH /organisations/:organisationId': async () => {
      const id = (await created('/v1/organisations', { name: `Gemeente ${unique()}`, organisationType: 'municipality', sizeBand: 'small' })).organisationId;
      return { path: `/v1/organisations/${id}`, body: { sizeBand: 'large' }, otherBody: { sizeBand: 'medium' }, token: admin };
    },
    'POST /organisations/:organisationId/units': async () => ({ path: `/v1/organisations/${organisationId}/units`, body: { name: 'Team Eenmaal', kind: 'team' }, otherBody: { name: 'Team Andermaal', kind: 'team' }, token: admin }),
    'PATCH /organisations/:organisationId/units/:unitId': async () => ({ path: `/v1/organisations/${organisationId}/units/${await unit()}`, body: { name: 'Hernoemd' }, otherBody: { name: 'Anders' }, token: admin }),
    'POST /organisations/:organisationId/units/:unitId/move': async () => {
      const [child, parent] = [await unit(), await unit()];
      return { path: `/v1/organisations/${organisationId}/units/${child}/move`, body: { toParentUnitId: parent }, otherBody: { toParentUnitId: null }, token: admin };
    },
    'POST /organisations/:organisationId/units/:unitId/close': async () => ({ path: `/v1/organisations/${organisationId}/units/${await unit()}/close`, otherBody: { note: 'another request' }, token: admin }),
    'POST /chains': async () => ({ path: '/v1/chains', body: { name: 'Keten Eenmaal', description: 'eens' }, otherBody: { name: 'Keten Andermaal', description: 'eens' }, token: admin }),
    'POST /chains/:chainId/members': async () => {
      const [chainId, unitId] = [await chain(), await unit()];
      return { path: `/v1/chains/${chainId}/members`, body: { organisationId, unitId }, otherBody: { organisationId, unitId: await unit() }, token: admin };
    },
    'POST /chains/:chainId/members/remove': async () => {
      const [chainId, unitId] = [await chain(), await unit()];
      await created(`/v1/chains/${chainId}/members`, { organisationId, unitId });
      return { path: `/v1/chains/${chainId}/members/remove`, body: { organisationId, unitId }, otherBody: { organisationId, unitId: await unit() }, token: admin };
    },
    'POST /model-versions': async () => ({ path: '/v1/model-versions', body: { copyFrom: 'datagedreven-overheid@2026.1', version: '2029.1' }, otherBody: { copyFrom: 'datagedreven-overheid@2026.1', version: '2029.2' }, token: admin }),
    'PUT /model-versions/:key/:version': async () => {
      const path = await draft();
      const document = { ...SHIPPED_MODELS['2026.1'], key: path.split('/')[3] };
      return { path, body: { document, reason: 'typo' }, otherBody: { document, reason: 'another typo' }, token: admin };
    },
    'PUT /model-versions/:key/:version/crosswalk': async () => {
      await created('/v1/model-versions', { document: SHIPPED_MODELS['2027.1'] });
      const crosswalk = SHIPPED_CROSSWALKS['2026.1->2027.1'];
      return { path: '/v1/model-versions/datagedreven-overheid/2027.1/crosswalk', body: { crosswalk }, otherBody: { crosswalk, reason: 'again' }, token: admin };
    },
    'POST /model-versions/:key/:version/publish': async () => ({
      path: `${await draft()}/publish`,
      body: { legalBasis: 'Woo', effectiveFrom: '2030-01-01' },
      otherBody: { legalBasis: 'Woo', effectiveFrom: '2030-02-01' },
      token: admin,
    }),
    'POST /model-versions/:key/:version/retire': async () => {
      const path = await draft();
      await created(`${path}/publish`, { legalBasis: 'Woo', effectiveFrom: '2030-01-01' });
      return { path: `${path}/retire`, body: { reason: 'superseded' }, otherBody: { reason: 'withdrawn' }, token: admin };
    },
    'POST /assessments': async () => ({
      path: '/v1/assessments',
      body: { organisationId, scope: { kind: 'organisation' }, period: '2027', model: { key: 'datagedreven-overheid', version: '2026.1' }, layers: ['strategic'] },
      otherBody: { organisationId, scope: { kind: 'organisation' }, period: '2028', model: { key: 'datagedreven-overheid', version: '2026.1' }, layers: ['strategic'] },
      token: admin,
    }),
    'POST /assessments/:assessmentId/invitations': async () => ({ path: `/v1/assessments/${await assessment()}/invitations`, body: { respondentId: await respondent(), layer: 'strategic' }, otherBody: { respondentId: await respondent(), layer: 'strategic' }, token: admin }),
    'PUT /assessments/:assessmentId/answers/:questionId': async () => {
      const { assessmentId, token } = await invited();
      return { path: `/v1/assessments/${assessmentId}/answers/F01-Q1`, body: { level: 3 }, otherBody: { level: 4 }, token };
    },
    'POST /assessments/:assessmentId/submit': async () => {
      const { assessmentId, token } = await invited();
      return { path: `/v1/assessments/${assessmentId}/submit`, otherBody: { note: 'another request' }, token };
    },
    'POST /assessments/:assessmentId/close': async () => ({ path: `/v1/assessments/${await assessment()}/close`, otherBody: { note: 'another request' }, token: admin }),
    'POST /assessments/:assessmentId/verify': async () => ({ path: `/v1/assessments/${await assessment()}/verify`, otherBody: { note: 'another request' }, token: admin }),
    'POST /benchmarks/:period/publish': async () => ({
      path: `${await scoredPeriod()}/publish`,
      body: { modelKey: 'datagedreven-overheid' },
      otherBody: { modelKey: 'datagedreven-overheid', level: 'unit' },
      token: admin,
    }),
    'POST /benchmarks/:period/verify': async () => {
      const benchmark = await scoredPeriod();
      await created(`${benchmark}/publish`, { modelKey: 'datagedreven-overheid' });
      return { path: `${benchmark}/verify?modelKey=datagedreven-overheid&edition=latest`, otherBody: { note: 'another request' }, token: admin };
    },
    'POST /assessments/:assessmentId/reports': async () => {
      const assessmentId = await assessment();
      await http().post(`/v1/assessments/${assessmentId}/close`).set(auth(admin)).send({}).expect(200);
      return { path: `/v1/assessments/${assessmentId}/reports`, body: { lang: 'nl', audience: 'public' }, otherBody: { lang: 'en' }, token: admin };
    },
    'POST /reports/verify': async () => ({ path: '/v1/reports/verify', body: { pdf: Buffer.from(`%PDF-1.7 ${unique()}`).toString('base64') }, otherBody: { pdf: Buffer.from('%PDF-1.7 other').toString('base64') }, token: admin }),
    'POST /organisations/:organisationId/archive-exports': async () => ({ path: `/v1/organisations/${organisationId}/archive-exports`, otherBody: { note: 'another request' }, token: await coordinator() }),
    'POST /checkpoints': async () => ({ path: '/v1/checkpoints', otherBody: { note: 'another request' }, token: admin }),
    'POST /assessments/:assessmentId/publication': async () => {
      const assessmentId = await assessment();
      await created(`/v1/assessments/${assessmentId}/close`, {});
      return { path: `/v1/assessments/${assessmentId}/publication`, otherBody: { note: 'another request' }, token: await coordinator() };
    },
    'DELETE /assessments/:assessmentId/publication': async () => {
      const assessmentId = await assessment();
      await created(`/v1/assessments/${assessmentId}/close`, {});
      const token = await coordinator();
      await created(`/v1/assessments/${assessmentId}/publication`, {}, token);
      return { path: `/v1/assessments/${assessmentId}/publication`, otherBody: { note: 'another request' }, token };
    },
    'POST /recalculations': async () => ({
      path: '/v1/recalculations',
      body: { modelKey: 'datagedreven-overheid', modelVersion: '2026.1', algorithm: 'maatlat-scoring/v1' },
      otherBody: { modelKey: 'datagedreven-overheid', modelVersion: '2030.1', algorithm: 'maatlat-scoring/v1' },
      token: admin,
    }),
    'POST /organisations/:organisationId/respondents': async () => ({
      path: `/v1/organisations/${organisationId}/respondents`,
      body: { name: 'Eenmalig Geregistreerd', email: 'eenmalig@example.nl' },
      otherBody: { name: 'Tweemaal Geregistreerd', email: 'eenmalig@example.nl' },
      token: admin,
    }),
    'POST /organisations/:organisationId/respondents/:respondentId/invitations': async () => {
      const [assessmentId, respondentId] = [await assessment(), await respondent()];
      return { path: `/v1/organisations/${organisationId}/respondents/${respondentId}/invitations`, body: { assessmentId, layer: 'strategic' }, otherBody: { assessmentId: await assessment(), layer: 'strategic' }, token: admin };
    },
    'POST /organisations/:organisationId/respondents/:respondentId/invitations/:invitationId/revocation': async () => {
      const { respondentId, invitationId } = await invited();
      return { path: `/v1/organisations/${organisationId}/respondents/${respondentId}/invitations/${invitationId}/revocation`, body: { reason: 'left' }, otherBody: { reason: 'moved' }, token: admin };
    },
    'POST /organisations/:organisationId/respondents/:respondentId/erasure': async () => ({
      path: `/v1/organisations/${organisationId}/respondents/${await respondent()}/erasure`,
      body: { reason: 'verzoek' },
      otherBody: { reason: 'ander verzoek' },
      token: admin,
    }),
  };

  beforeAll(async () => {
    // With a signing key: checkpoints are taken on demand too.
    platform = await startPlatform({ env: { SIGNING_KEY: `c1:${'2b'.repeat(32)}` } });
    admin = await mintLocalToken(SECRET, { subject: 'admin', roles: ['platform-admin'], organisations: [] });
    await created('/v1/model-versions', { document: SHIPPED_MODELS['2026.1'] });
    await http().post('/v1/model-versions/datagedreven-overheid/2026.1/publish').set(auth(admin)).send({ legalBasis: 'Woo', effectiveFrom: '2026-01-01' }).expect(200);
    organisationId = (await created('/v1/organisations', { name: 'Gemeente Idempotent', organisationType: 'municipality', sizeBand: 'medium' })).organisationId;
  });
  afterAll(() => platform?.stop());

  it('has a scenario for every write route the router lists', () => {
    const routes = writeRoutesOf(platform.api).map((r) => `${r.method} ${r.path}`);
    expect(routes.length).toBeGreaterThanOrEqual(20);
    // The demo sign-in is public and records nothing: a token minted again is as good as the first.
    // The demo respondent sign-in is public too (no caller to key a replay on): each sign-in is a
    // fresh demo respondent with an invitation of its own, and only while the local issuer is on.
    const exempt = new Set(['POST /demo/sessions', 'POST /demo/respondent-sessions']);
    expect(routes.filter((route) => !SCENARIOS[route] && !exempt.has(route))).toEqual([]);
  });

  it.each(Object.keys(SCENARIOS))('%s: an identical replay gets the first response and writes nothing; another request under the key is a 422', async (route) => {
    const method = route.split(' ')[0].toLowerCase() as 'post' | 'put' | 'patch' | 'delete';
    const scenario = await SCENARIOS[route]();
    const key = `key-${route.replace(/ /g, "_")}`;
    const send = (body: object | undefined) => {
      const call = http()[method](scenario.path).set({ ...auth(scenario.token), 'Idempotency-Key': key });
      return body === undefined ? call : call.send(body);
    };

    const first = await send(scenario.body);
    expect({ route, status: first.status, problem: first.status >= 300 ? first.body : undefined }).toEqual({ route, status: first.status < 300 ? first.status : 'a success', problem: undefined });
    const events = await eventCount();

    const replay = await send(scenario.body);
    expect({ status: replay.status, body: replay.body }).toEqual({ status: first.status, body: first.body });
    expect(replay.headers['idempotent-replayed']).toBe('true');
    if (first.headers.etag) expect(replay.headers.etag).toBe(first.headers.etag);
    expect(await eventCount()).toBe(events);

    const other = await send(scenario.otherBody);
    expect({ status: other.status, code: other.body.code }).toEqual({ status: 422, code: 'idempotency-key.reused' });
    expect(await eventCount()).toBe(events);
  });

  it('keeps no personal data and no token among the responses it stores', async () => {
    const { rows } = await platform.database.pool.query(`SELECT string_agg(t::text, '\n') AS text FROM idempotency_keys t`);
    expect(rows[0].text).toContain('key-POST_/organisations/:organisationId/respondents');
    for (const secret of ['Eenmalig Geregistreerd', 'eenmalig@example.nl', 'Ida Idempotent', 'eyJ']) expect(rows[0].text).not.toContain(secret);
  });

  it('keeps keys apart per caller: the same key from another caller is a request of its own', async () => {
    const body = { name: 'Team Per Beller', kind: 'team' };
    const coordinator = await mintLocalToken(SECRET, { subject: 'coordinator-idem', roles: ['coordinator'], organisations: [organisationId] });
    const mine = await http().post(`/v1/organisations/${organisationId}/units`).set({ ...auth(admin), 'Idempotency-Key': 'shared-key' }).send(body).expect(201);
    const theirs = await http().post(`/v1/organisations/${organisationId}/units`).set({ ...auth(coordinator), 'Idempotency-Key': 'shared-key' }).send(body).expect(201);
    expect(theirs.body.unitId).not.toBe(mine.body.unitId);
  });

  it('lets a request that failed be retried with its key, and refuses a malformed key', async () => {
    const path = `/v1/organisations/${organisationId}/units`;
    await http().post(path).set({ ...auth(admin), 'Idempotency-Key': 'after-a-conflict', 'If-Match': '"1"' }).send({ name: 'Team Later', kind: 'team' }).expect(409);
    const current = (await http().get(`/v1/organisations/${organisationId}`).set(auth(admin)).expect(200)).headers.etag;
    await http().post(path).set({ ...auth(admin), 'Idempotency-Key': 'after-a-conflict', 'If-Match': current }).send({ name: 'Team Later', kind: 'team' }).expect(201);
    const malformed = await http().post(path).set({ ...auth(admin), 'Idempotency-Key': 'x'.repeat(201) }).send({ name: 'Team Lang', kind: 'team' }).expect(400);
    expect(malformed.body.errors).toEqual([{ field: 'Idempotency-Key', problem: 'must be 1 to 200 visible ASCII characters' }]);
  });

  it('forgets a key past its retention (IDEMPOTENCY_KEY_RETENTION_HOURS, 24 by default): free for a new request, purged by the cleanup; a key within it still replays', async () => {
    const path = `/v1/organisations/${organisationId}/units`;
    const post = (key: string, name: string) => http().post(path).set({ ...auth(admin), 'Idempotency-Key': key }).send({ name, kind: 'team' });
    const age = (key: string, hours: number) => platform.database.pool.query(`UPDATE idempotency_keys SET created_at = now() - make_interval(hours => $2) WHERE key = $1`, [key, hours]);
    const keys = async () => (await platform.database.pool.query(`SELECT key FROM idempotency_keys WHERE key LIKE '%-retention' ORDER BY key`)).rows.map((r) => r.key);

    const kept = await post('within-retention', 'Team Bewaard').expect(201);
    const first = await post('past-retention', 'Team Verlopen').expect(201);
    await age('within-retention', 23);
    await age('past-retention', 25);
    // Past its retention, before any cleanup: another request under the key is simply a new one.
    const reused = await post('past-retention', 'Team Nieuw').expect(201);
    expect(reused.headers['idempotent-replayed']).toBeUndefined();
    expect(reused.body.unitId).not.toBe(first.body.unitId);
    const replayed = await post('past-retention', 'Team Nieuw').expect(201);
    expect([replayed.headers['idempotent-replayed'], replayed.body]).toEqual(['true', reused.body]);

    await age('past-retention', 25);
    expect(await platform.api.get(IdempotencyKeyCleanup).purgeExpired()).toBe(1);
    expect(await keys()).toEqual(['within-retention']);
    const events = await eventCount();
    const stillKept = await post('within-retention', 'Team Bewaard').expect(201);
    expect([stillKept.headers['idempotent-replayed'], stillKept.body]).toEqual(['true', kept.body]);
    // Purged, the key is free again; the very first request sent again is still that command, so nothing is added twice.
    const again = await post('past-retention', 'Team Verlopen').expect(201);
    expect(again.headers['idempotent-replayed']).toBeUndefined();
    expect(again.body.unitId).toBe(first.body.unitId);
    expect(await eventCount()).toBe(events);
    const names = (await http().get(`/v1/organisations/${organisationId}`).set(auth(admin)).expect(200)).body.units.map((u: { name: string }) => u.name);
    expect(names.filter((n: string) => ['Team Verlopen', 'Team Nieuw', 'Team Bewaard'].includes(n)).sort()).toEqual(['Team Bewaard', 'Team Nieuw', 'Team Verlopen']);
  });

  it('opens one assessment and starts one recalculation however often the same request is sent, even past the HTTP layer', async () => {
    const open = { organisationId, scope: { kind: 'organisation' }, period: '2031', model: { key: 'datagedreven-overheid', version: '2026.1' }, layers: ['strategic'] };
    const first = await http().post('/v1/assessments').set({ ...auth(admin), 'Idempotency-Key': 'open-2031' }).send(open).expect(201);
    // The stored response gone (as after a crash before it was kept): the id derived from the key finds the first.
    await platform.database.pool.query(`DELETE FROM idempotency_keys WHERE key = 'open-2031'`);
    const again = await http().post('/v1/assessments').set({ ...auth(admin), 'Idempotency-Key': 'open-2031' }).send(open).expect(201);
    expect(again.body.assessmentId).toBe(first.body.assessmentId);
    const { rows } = await platform.database.pool.query(`SELECT count(*)::int AS n FROM events WHERE type = 'AssessmentOpened' AND data->>'period' = '2031'`);
    expect(rows).toEqual([{ n: 1 }]);

    const upgrade = { modelKey: 'datagedreven-overheid', modelVersion: '2026.1', algorithm: 'maatlat-scoring/v1' };
    const ids = new Set<string>();
    for (let i = 0; i < 3; i++) ids.add((await http().post('/v1/recalculations').set(auth(admin)).send(upgrade).expect(201)).body.recalculationId);
    expect(ids.size).toBe(1);
    const missing = await http().post('/v1/recalculations').set(auth(admin)).send({ ...upgrade, modelVersion: '2099.1' }).expect(404);
    expect(missing.body.code).toBe('model-version.not-found');
  });
});
