import { eventually, type TestDatabase } from '@maatlat/shared/testing';
import { SHIPPED_CROSSWALKS, SHIPPED_MODELS } from '@maatlat/model-catalogue/domain';
import { mintLocalToken } from '@maatlat/access';
import { FEATURE_SERVICES } from '@maatlat/shared/tokens';
import { assessmentsFeature, type AssessmentsServices } from '@maatlat/assessments/feature';
import { startPlatform, TEST_ISSUER_SECRET as SECRET, type TestPlatform } from './support/platform';

describe('recalculation after a new model version with a crosswalk', () => {
  let platform: TestPlatform;
  let database: TestDatabase;
  const http = () => platform.http();
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    platform = await startPlatform({ worker: true, maxConnections: 30, env: { JOB_ATTEMPTS: '2', JOB_BACKOFF_MS: '20' } });
    database = platform.database;
  });
  afterAll(() => platform?.stop());

  it('rescores closed assessments through the worker, keeps the original score, and verifies both', async () => {
    const admin = await mintLocalToken(SECRET, { subject: 'admin', roles: ['platform-admin'], organisations: [] });
    await http().post('/v1/model-versions').set(bearer(admin)).send({ document: SHIPPED_MODELS['2026.1'] }).expect(201);
    await http().post('/v1/model-versions/datagedreven-overheid/2026.1/publish').set(bearer(admin)).send({ legalBasis: 'Woo; AVG', effectiveFrom: '2026-01-01' }).expect(200);
    const organisationId = (await http().post('/v1/organisations').set(bearer(admin)).send({ name: 'Rijkswaterstaat', organisationType: 'executive-agency', sizeBand: 'very-large' }).expect(201)).body.organisationId;
    const coordinator = await mintLocalToken(SECRET, { subject: 'coordinator-rws', roles: ['coordinator'], organisations: [organisationId] });
    const assessmentId = (
      await http().post('/v1/assessments').set(bearer(coordinator)).send({ organisationId, scope: { kind: 'organisation' }, period: '2026', model: { key: 'datagedreven-overheid', version: '2026.1' }, layers: ['tactical'] }).expect(201)
    ).body.assessmentId;
    const respondentId = (await http().post(`/v1/organisations/${organisationId}/respondents`).set(bearer(coordinator)).send({ name: 'Kees', email: 'kees@example.nl' }).expect(201)).body.respondentId;
    await http().post(`/v1/assessments/${assessmentId}/invitations`).set(bearer(coordinator)).send({ respondentId, layer: 'tactical' }).expect(201);
    const { token } = (await http().post(`/v1/organisations/${organisationId}/respondents/${respondentId}/invitations`).set(bearer(coordinator)).send({ assessmentId, layer: 'tactical' }).expect(201)).body;
    for (const [questionId, level] of [['F07-Q1', 2], ['F07-Q3', 4], ['F05-Q1', 3], ['F05-Q2', 5], ['F01-Q1', 1]] as const) {
      await http().put(`/v1/assessments/${assessmentId}/answers/${questionId}`).set(bearer(token)).send({ level }).expect(200);
    }
    const original = (await http().post(`/v1/assessments/${assessmentId}/close`).set(bearer(coordinator)).expect(200)).body.score;
    expect(original.model.version).toBe('2026.1');

    // The law changes: 2027.1 is published with its crosswalk.
    await http().post('/v1/model-versions').set(bearer(admin)).send({ document: SHIPPED_MODELS['2027.1'] }).expect(201);
    await http().put('/v1/model-versions/datagedreven-overheid/2027.1/crosswalk').set(bearer(admin)).send({ crosswalk: SHIPPED_CROSSWALKS['2026.1->2027.1'] }).expect(200);
    await http().post('/v1/model-versions/datagedreven-overheid/2027.1/publish').set(bearer(admin)).send({ legalBasis: 'AI-verordening', effectiveFrom: '2027-01-01' }).expect(200);

    const progress = await eventually(
      async () => {
        const list = (await http().get('/v1/recalculations').set(bearer(admin)).expect(200)).body;
        expect(list).toHaveLength(1);
        expect(list[0]).toMatchObject({ total: 1, done: 1, failed: 0, cause: { kind: 'model-published', from: 'datagedreven-overheid@2026.1', to: 'datagedreven-overheid@2027.1' } });
        return list[0];
      },
      { timeoutMs: 20_000 },
    );

    const rescored = (await http().get(`/v1/assessments/${assessmentId}/scores`).set(bearer(coordinator)).expect(200)).body;
    expect(rescored.model.version).toBe('2027.1');
    const factor = (id: string) => rescored.factors.find((f: { factorId: string }) => f.factorId === id);
    // F07 split: F07-Q1 became F07b-Q1 (level 2), F07-Q3 became F07a-Q1 (level 4).
    expect(factor('F07a').byLayer.tactical.terms).toEqual([{ id: 'F07a-Q1', weight: expect.any(Number), value: 4 }]);
    expect(factor('F07b').byLayer.tactical.terms).toEqual([{ id: 'F07b-Q1', weight: expect.any(Number), value: 2 }]);
    // F05-Q2 was retired: only F05-Q1 counts.
    expect(factor('F05').byLayer.tactical.terms.map((t: { id: string }) => t.id)).toEqual(['F05-Q1']);

    const timeline = (await http().get(`/v1/assessments/${assessmentId}/events`).set(bearer(coordinator)).expect(200)).body;
    expect(timeline.filter((e: { type: string }) => e.type === 'ScoreCalculated')).toHaveLength(1);
    expect(timeline.filter((e: { type: string }) => e.type === 'ScoreRecalculated')).toHaveLength(1);
    const { rows } = await database.pool.query(`SELECT data FROM events WHERE stream_id = $1 AND type = 'ScoreRecalculated'`, [`assessment-${assessmentId}`]);
    expect(rows[0].data.previous).toEqual(original);
    expect(rows[0].data.mapping).toMatchObject({ from: 'datagedreven-overheid@2026.1', to: 'datagedreven-overheid@2027.1', retired: ['F05-Q2'] });
    expect((await http().post(`/v1/assessments/${assessmentId}/verify`).set(bearer(coordinator)).expect(200)).body).toMatchObject({ status: 'verified', scoresChecked: 2 });

    // Running the job again (a re-delivery, or a worker killed after appending) changes nothing.
    const job = assessmentsFeature.jobs!['assessment.recalculate']!;
    const services = platform.worker!.get<symbol, AssessmentsServices>(FEATURE_SERVICES);
    await Promise.all([1, 2, 3].map(() => job.handle({ recalculationId: progress.recalculationId, assessmentId }, { jobId: 'again', attempt: 2 }, services)));
    const again = await database.pool.query(`SELECT count(*)::int AS n FROM events WHERE stream_id = $1 AND type = 'ScoreRecalculated'`, [`assessment-${assessmentId}`]);
    expect(again.rows[0].n).toBe(1);
    expect((await http().get(`/v1/recalculations/${progress.recalculationId}`).set(bearer(admin)).expect(200)).body).toMatchObject({ total: 1, done: 1, failed: 0 });

    // An administrator upgrades the scoring algorithm for a model version: the same path, another cause.
    const bad = await http().post('/v1/recalculations').set(bearer(admin)).send({ modelKey: 'datagedreven-overheid', modelVersion: '2026.1', algorithm: 'maatlat-scoring/v9' }).expect(400);
    expect(bad.body.detail).toBe('algorithm: algorithm must be one of maatlat-scoring/v1');
    const upgrade = (await http().post('/v1/recalculations').set(bearer(admin)).send({ modelKey: 'datagedreven-overheid', modelVersion: '2026.1', algorithm: 'maatlat-scoring/v1' }).expect(201)).body;
    expect(upgrade).toMatchObject({ total: 1, cause: { kind: 'algorithm-upgrade', algorithm: 'maatlat-scoring/v1' } });
    await eventually(async () => expect((await http().get(`/v1/recalculations/${upgrade.recalculationId}`).set(bearer(admin)).expect(200)).body).toMatchObject({ done: 1, failed: 0 }), { timeoutMs: 20_000 });
    expect((await http().post(`/v1/assessments/${assessmentId}/verify`).set(bearer(coordinator)).expect(200)).body).toMatchObject({ status: 'verified', scoresChecked: 3 });
  });

  it('adds an assessment closed after the publication to that recalculation, and rescores it too', async () => {
    const admin = await mintLocalToken(SECRET, { subject: 'admin', roles: ['platform-admin'], organisations: [] });
    const published = (await http().get('/v1/recalculations').set(bearer(admin)).expect(200)).body.find((r: { cause: { kind: string } }) => r.cause.kind === 'model-published');
    expect(published).toMatchObject({ total: 1, done: 1 });
    const organisationId = (await http().post('/v1/organisations').set(bearer(admin)).send({ name: 'Waterschap Rivierenland', organisationType: 'water-board', sizeBand: 'medium' }).expect(201)).body.organisationId;
    const coordinator = await mintLocalToken(SECRET, { subject: 'coordinator-wsrl', roles: ['coordinator'], organisations: [organisationId] });
    // Still on 2026.1: the assessment was planned before the law changed.
    const assessmentId = (
      await http().post('/v1/assessments').set(bearer(coordinator)).send({ organisationId, scope: { kind: 'organisation' }, period: '2026', model: { key: 'datagedreven-overheid', version: '2026.1' }, layers: ['operational'] }).expect(201)
    ).body.assessmentId;
    const respondentId = (await http().post(`/v1/organisations/${organisationId}/respondents`).set(bearer(coordinator)).send({ name: 'Fatima', email: 'fatima@example.nl' }).expect(201)).body.respondentId;
    await http().post(`/v1/assessments/${assessmentId}/invitations`).set(bearer(coordinator)).send({ respondentId, layer: 'operational' }).expect(201);
    const { token } = (await http().post(`/v1/organisations/${organisationId}/respondents/${respondentId}/invitations`).set(bearer(coordinator)).send({ assessmentId, layer: 'operational' }).expect(201)).body;
    await http().put(`/v1/assessments/${assessmentId}/answers/F07-Q3`).set(bearer(token)).send({ level: 3 }).expect(200);
    const original = (await http().post(`/v1/assessments/${assessmentId}/close`).set(bearer(coordinator)).expect(200)).body.score;
    expect(original.model.version).toBe('2026.1');

    await eventually(
      async () => expect((await http().get(`/v1/recalculations/${published.recalculationId}`).set(bearer(admin)).expect(200)).body).toMatchObject({ total: 2, done: 2, failed: 0 }),
      { timeoutMs: 20_000 },
    );
    const rescored = (await http().get(`/v1/assessments/${assessmentId}/scores`).set(bearer(coordinator)).expect(200)).body;
    expect(rescored.model.version).toBe('2027.1');
    expect(rescored.factors.find((f: { factorId: string }) => f.factorId === 'F07a').byLayer.operational.terms).toEqual([{ id: 'F07a-Q1', weight: expect.any(Number), value: 3 }]);
    // The upgrade to the algorithm closing already uses has nothing to add.
    const upgrade = (await http().get('/v1/recalculations').set(bearer(admin)).expect(200)).body.find((r: { cause: { kind: string } }) => r.cause.kind === 'algorithm-upgrade');
    expect(upgrade).toMatchObject({ total: 1 });
    expect((await http().post(`/v1/assessments/${assessmentId}/verify`).set(bearer(coordinator)).expect(200)).body).toMatchObject({ status: 'verified', scoresChecked: 2 });
  });

  it('retries a failing job with backoff, then lists the failure with its reason', async () => {
    const admin = await mintLocalToken(SECRET, { subject: 'admin', roles: ['platform-admin'], organisations: [] });
    const recalculationId = (await http().get('/v1/recalculations').set(bearer(admin)).expect(200)).body[0].recalculationId as string;
    // A job for an assessment that does not exist: it can only fail.
    await database.pool.query(
      `INSERT INTO outbox (job_id, job_name, payload) VALUES ($1, 'assessment.recalculate', $2)`,
      [`test-${recalculationId}-missing`, JSON.stringify({ recalculationId, assessmentId: 'no-such-assessment' })],
    );
    const progress = await eventually(
      async () => {
        const body = (await http().get(`/v1/recalculations/${recalculationId}`).set(bearer(admin)).expect(200)).body;
        expect(body.failed).toBe(1);
        return body;
      },
      { timeoutMs: 20_000 },
    );
    expect(progress.failures).toEqual([{ assessmentId: 'no-such-assessment', reason: 'closed-assessment no-such-assessment was not found' }]);
  });
});
