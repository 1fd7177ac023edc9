import { eventually } from '@maatlat/shared/testing';
import { SHIPPED_MODELS } from '@maatlat/model-catalogue/domain';
import { mintLocalToken } from '@maatlat/access';
import { startPlatform, TEST_ISSUER_SECRET as SECRET, type TestPlatform } from './support/platform';

describe('insights over HTTP: trends and benchmarks', () => {
  let platform: TestPlatform;
  const http = () => platform.http();
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  let organisationId: string;
  let coordinator: string;
  let admin: string;

  async function closedAssessment(period: string, levels: number[]): Promise<string> {
    const assessmentId = (
      await http().post('/v1/assessments').set(bearer(coordinator)).send({ organisationId, scope: { kind: 'organisation' }, period, model: { key: 'datagedreven-overheid', version: '2026.1' }, layers: ['tactical'] }).expect(201)
    ).body.assessmentId;
    for (const [i, level] of levels.entries()) {
      const respondentId = (await http().post(`/v1/organisations/${organisationId}/respondents`).set(bearer(coordinator)).send({ name: `R ${period} ${i}`, email: `r${period}${i}@example.nl` }).expect(201)).body.respondentId;
      await http().post(`/v1/assessments/${assessmentId}/invitations`).set(bearer(coordinator)).send({ respondentId, layer: 'tactical' }).expect(201);
      const { token } = (await http().post(`/v1/organisations/${organisationId}/respondents/${respondentId}/invitations`).set(bearer(coordinator)).send({ assessmentId, layer: 'tactical' }).expect(201)).body;
      for (const questionId of ['F01-Q1', 'F02-Q1']) await http().put(`/v1/assessments/${assessmentId}/answers/${questionId}`).set(bearer(token)).send({ level }).expect(200);
    }
    await http().post(`/v1/assessments/${assessmentId}/close`).set(bearer(coordinator)).expect(200);
    return assessmentId;
  }

  beforeAll(async () => {
    platform = await startPlatform({ worker: true, maxConnections: 30 });
    admin = await mintLocalToken(SECRET, { subject: 'admin', roles: ['platform-admin'], organisations: [] });
    await http().post('/v1/model-versions').set(bearer(admin)).send({ document: SHIPPED_MODELS['2026.1'] }).expect(201);
    await http().post('/v1/model-versions/datagedreven-overheid/2026.1/publish').set(bearer(admin)).send({ legalBasis: 'Woo', effectiveFrom: '2026-01-01' }).expect(200);
    organisationId = (await http().post('/v1/organisations').set(bearer(admin)).send({ name: 'Gemeente Trend', organisationType: 'municipality', sizeBand: 'small' }).expect(201)).body.organisationId;
    coordinator = await mintLocalToken(SECRET, { subject: 'coordinator-trend', roles: ['coordinator'], organisations: [organisationId] });
  });
  afterAll(() => platform?.stop());

  it('draws the trend with cited score events, the change labelled from its interval, and refuses bad filters naming them', async () => {
    const first = await closedAssessment('2025', [1, 1, 1]);
    const second = await closedAssessment('2026', [4, 4, 4]);
    const trends = await eventually(
      async () => {
        const body = (await http().get(`/v1/organisations/${organisationId}/trends`).set(bearer(coordinator)).expect(200)).body;
        expect(body.series[0]?.points).toHaveLength(2);
        return body;
      },
      { timeoutMs: 20_000 },
    );
    const [series] = trends.series;
    expect(series).toMatchObject({ scope: { kind: 'organisation', organisationId }, modelKey: 'datagedreven-overheid', modelVersion: '2026.1' });
    expect(series.points.map((p: { assessmentId: string; period: string; comparability: string }) => [p.assessmentId, p.period, p.comparability])).toEqual([
      [first, '2025', 'native'],
      [second, '2026', 'native'],
    ]);
    const point = series.points[1];
    expect(point.scoreEvent).toMatchObject({ streamId: `assessment-${second}`, type: 'ScoreCalculated', hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(point.overall).toEqual({ score: 4, stage: 4 });
    expect(point.changeSincePrevious).toMatchObject({ previousAssessmentId: first, overall: { previous: 1, current: 4, delta: 3, interval: { lower: 3, upper: 3 }, label: 'improved' } });
    const explanation = await http().get(`/v1/${point.explain}`).set(bearer(coordinator)).expect(200);
    expect(explanation.body).toBeDefined();

    const f01 = (await http().get(`/v1/organisations/${organisationId}/trends?factor=F01&fromPeriod=2026`).set(bearer(coordinator)).expect(200)).body;
    expect(f01.series[0].points).toHaveLength(1);
    expect(f01.series[0].points[0].factors.map((f: { factorId: string }) => f.factorId)).toEqual(['F01']);

    const unknown = await http().get(`/v1/organisations/${organisationId}/trends?factor=F99`).set(bearer(coordinator)).expect(422);
    expect(JSON.stringify(unknown.body)).toContain('factor');
    const reversed = await http().get(`/v1/organisations/${organisationId}/trends?fromPeriod=2027&toPeriod=2025`).set(bearer(coordinator)).expect(400);
    expect(JSON.stringify(reversed.body)).toContain('fromPeriod');
    // Each parameter once, well formed, and only those the route takes: a 400 problem naming it.
    const fields = (response: { body: { errors?: { field: string }[] } }) => [...new Set((response.body.errors ?? []).map((e) => e.field))];
    const refused = (query: string) => http().get(`/v1/organisations/${organisationId}/trends?${query}`).set(bearer(coordinator)).expect(400).expect('Content-Type', /^application\/problem\+json/);
    expect(fields(await refused('factor=F01&factor=F02'))).toEqual(['factor']);
    expect(fields(await refused('fromPeriod=last-year'))).toEqual(['fromPeriod']);
    expect(fields(await refused('colour=red'))).toEqual(['colour']);
    expect(fields(await http().get(`/v1/chains/${organisationId}/trends?unitId=u1`).set(bearer(coordinator)).expect(400))).toEqual(['unitId']);
  });

  it('suppresses a benchmark of fewer than 5 organisations and places the organisation', async () => {
    const reader = await mintLocalToken(SECRET, { subject: 'reader', roles: ['benchmark-reader'], organisations: [] });
    const benchmark = (await http().get('/v1/benchmarks?modelKey=datagedreven-overheid&period=2026&groupBy=all').set(bearer(reader)).expect(200)).body;
    expect(benchmark).toMatchObject({ modelVersion: '2026.1', minGroup: 5, percentileMethod: expect.stringContaining('type 7') });
    expect(benchmark.cells[0].overall).toEqual({ status: 'suppressed', reason: 'fewer-than-k', explanation: 'fewer than 5 organisations have a comparable score here' });
    expect(JSON.stringify(benchmark)).not.toContain(organisationId);
    const bad = await http().get('/v1/benchmarks?modelKey=datagedreven-overheid&period=2026&groupBy=province').set(bearer(reader)).expect(400);
    expect(JSON.stringify(bad.body)).toContain('groupBy');
    const position = (await http().get(`/v1/organisations/${organisationId}/benchmark-position?modelKey=datagedreven-overheid&period=2026`).set(bearer(coordinator)).expect(200)).body;
    expect(position).toMatchObject({ organisationId, own: { overall: 4 } });
    expect(position.groups.map((g: { groupBy: string; overallPercentileRank: number | null }) => [g.groupBy, g.overallPercentileRank])).toEqual([
      ['organisationType', null],
      ['sizeBand', null],
      ['all', null],
    ]);

    // Only administrators see how much is withheld; a looser k than the platform's is refused, naming it.
    expect(benchmark.suppressed).toBeUndefined();
    const forAdmin = (await http().get('/v1/benchmarks?modelKey=datagedreven-overheid&period=2026&groupBy=all').set(bearer(admin)).expect(200)).body;
    expect(forAdmin.suppressed).toEqual({ cells: 1, figures: 13 });
    const loose = await http().get('/v1/benchmarks?modelKey=datagedreven-overheid&period=2026&minGroup=4').set(bearer(reader)).expect(400);
    expect(JSON.stringify(loose.body)).toContain('minGroup');
    expect((await http().get('/v1/benchmarks?modelKey=datagedreven-overheid&period=2026&minGroup=7').set(bearer(reader)).expect(200)).body.minGroup).toBe(7);
    for (const [query, field] of [
      ['period=2026', 'modelKey'],
      ['modelKey=datagedreven-overheid&period=2026&minGroup=7.0', 'minGroup'],
      ['modelKey=datagedreven-overheid&period=2026&published=first', 'published'],
      ['modelKey=datagedreven-overheid&period=2026&level=province', 'level'],
    ]) {
      const refused = await http().get(`/v1/benchmarks?${query}`).set(bearer(reader)).expect(400).expect('Content-Type', /^application\/problem\+json/);
      expect(refused.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }

    // Published: frozen, served as published, verified from the score events it cites.
    await http().get('/v1/benchmarks?modelKey=datagedreven-overheid&period=2026&published=latest').set(bearer(reader)).expect(404);
    await http().post('/v1/benchmarks/2026/publish').set(bearer(reader)).send({ modelKey: 'datagedreven-overheid' }).expect(403);
    const edition = (await http().post('/v1/benchmarks/2026/publish').set(bearer(admin)).send({ modelKey: 'datagedreven-overheid' }).expect(200)).body;
    expect(edition).toMatchObject({ edition: 1, modelVersion: '2026.1', organisations: 1, scoreEventsCited: 1 });
    expect(JSON.stringify(edition)).not.toContain(organisationId);
    const served = (await http().get('/v1/benchmarks?modelKey=datagedreven-overheid&period=2026&published=latest').set(bearer(reader)).expect(200)).body;
    expect(served).toMatchObject({ cells: benchmark.cells, publication: { edition: 1, eventId: edition.eventId, scoreEventsCited: 1 } });
    expect(JSON.stringify(served)).not.toContain(organisationId);
    const verified = (await http().post('/v1/benchmarks/2026/verify?modelKey=datagedreven-overheid').set(bearer(admin)).expect(200)).body;
    expect(verified).toMatchObject({ edition: 1, status: 'verified', scoreEventsChecked: 1, problems: [], differences: [] });
    const badEdition = await http().post('/v1/benchmarks/2026/verify?modelKey=datagedreven-overheid&edition=first').set(bearer(admin)).expect(400);
    expect(JSON.stringify(badEdition.body)).toContain('edition');
    await http().post('/v1/benchmarks/2026/verify?modelKey=datagedreven-overheid&edition=2').set(bearer(admin)).expect(404);
  });

  it('publishes a new edition only at the revision If-Match names: a stale one is a 409 naming the current and writes nothing', async () => {
    const latest = async () => (await http().get('/v1/benchmarks?modelKey=datagedreven-overheid&period=2026&published=latest').set(bearer(admin)).expect(200)).body.publication;
    const before = await latest();
    expect(before).toMatchObject({ edition: 1, version: 1 });
    const publish = (ifMatch: string) => http().post('/v1/benchmarks/2026/publish').set({ ...bearer(admin), 'If-Match': ifMatch }).send({ modelKey: 'datagedreven-overheid' });

    const stale = await publish('"0"').expect(409).expect('Content-Type', /^application\/problem\+json/);
    expect(stale.body.details).toMatchObject({ expectedVersion: 0, actualVersion: 1 });
    expect(await latest()).toEqual(before);
    await http().post('/v1/benchmarks/2026/verify?modelKey=datagedreven-overheid&edition=2').set(bearer(admin)).expect(404);

    const next = await publish(`"${before.version}"`).expect(200);
    expect(next.body).toMatchObject({ edition: 2, version: 2 });
    expect(next.headers.etag).toBe('"2"');
    expect(await latest()).toMatchObject({ edition: 2, eventId: next.body.eventId });
  });
});
