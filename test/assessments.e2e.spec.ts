import { randomUUID } from 'node:crypto';
import { mintLocalToken } from '@maatlat/access';
import { testConfig, type TestDatabase } from '@maatlat/shared/testing';
import { SHIPPED_MODELS } from '@maatlat/model-catalogue/domain';
import { verifyAssessment } from '../apps/cli/src/commands';
import { startPlatform, TEST_ISSUER_SECRET as SECRET, type TestPlatform } from './support/platform';

describe('an assessment, as a coordinator, respondents and an auditor use it', () => {
  let platform: TestPlatform;
  let database: TestDatabase;
  let admin: string;
  let coordinator: string;
  let auditor: string;
  let organisationId: string;
  const http = () => platform.http();
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    platform = await startPlatform({ maxConnections: 30 });
    database = platform.database;
    admin = await mintLocalToken(SECRET, { subject: 'admin', roles: ['platform-admin'], organisations: [] });
    await http().post('/v1/model-versions').set(bearer(admin)).send({ document: SHIPPED_MODELS['2026.1'] }).expect(201);
    await http().post('/v1/model-versions/datagedreven-overheid/2026.1/publish').set(bearer(admin)).send({ legalBasis: 'Woo; AVG', effectiveFrom: '2026-01-01' }).expect(200);
    organisationId = (await http().post('/v1/organisations').set(bearer(admin)).send({ name: 'Inspectie Leefomgeving en Transport', organisationType: 'inspectorate-or-regulator', sizeBand: 'large' }).expect(201)).body.organisationId;
    coordinator = await mintLocalToken(SECRET, { subject: 'coordinator-ilt', roles: ['coordinator'], organisations: [organisationId] });
    auditor = await mintLocalToken(SECRET, { subject: 'auditor-adr', roles: ['auditor'], organisations: [organisationId] });
  });
  afterAll(() => platform?.stop());

  async function respondentFor(assessmentId: string, layer: string) {
    const respondentId = (await http().post(`/v1/organisations/${organisationId}/respondents`).set(bearer(coordinator)).send({ name: `Respondent ${layer}`, email: `${layer}-${randomUUID().slice(0, 6)}@example.nl` }).expect(201)).body.respondentId as string;
    await http().post(`/v1/assessments/${assessmentId}/invitations`).set(bearer(coordinator)).send({ respondentId, layer }).expect(201);
    const { token } = (await http().post(`/v1/organisations/${organisationId}/respondents/${respondentId}/invitations`).set(bearer(coordinator)).send({ assessmentId, layer }).expect(201)).body;
    return { respondentId, token: token as string };
  }

  // One assessment followed from opening to audit: each step is a behaviour of its own, and builds
  // on the ones before it (jest runs the tests of a file in order).
  describe('from opening to a verified, explainable score', () => {
    let assessmentId: string;
    let strategic: { respondentId: string; token: string };
    let operational: { respondentId: string; token: string };
    let beforeClose: Date;
    let scores: { overall: { score: number }; factors: { factorId: string; byLayer: Record<string, { terms: { id: string; value: number }[] }> }[] };
    const answer = (who: { token: string }, questionId: string, body: object, headers: Record<string, string> = {}) =>
      http().put(`/v1/assessments/${assessmentId}/answers/${questionId}`).set({ ...bearer(who.token), ...headers }).send(body);
    const eventCount = async () => (await http().get(`/v1/assessments/${assessmentId}/events`).set(bearer(auditor)).expect(200)).body.length;

    it('a coordinator opens an assessment on a published model', async () => {
      const opened = await http()
        .post('/v1/assessments')
        .set(bearer(coordinator))
        .send({ organisationId, scope: { kind: 'organisation' }, period: '2026', model: { key: 'datagedreven-overheid', version: '2026.1' }, layers: ['strategic', 'operational'] })
        .expect(201);
      assessmentId = opened.body.assessmentId as string;
      expect(opened.body).toMatchObject({ status: 'open', organisationId, layers: ['strategic', 'operational'], model: { key: 'datagedreven-overheid', version: '2026.1' } });
    });

    it('the coordinator registers a respondent per layer and hands each an invitation token', async () => {
      strategic = await respondentFor(assessmentId, 'strategic');
      operational = await respondentFor(assessmentId, 'operational');
    });

    it("respondents answer with their invitation tokens: a level with justification and evidence, a level, or don't know", async () => {
      const first = await answer(strategic, 'F01-Q1', { level: 4, justification: 'De datastrategie is in 2025 vastgesteld door het bestuur.', evidence: [{ kind: 'document', reference: 'DMS-2025-118', title: 'Datastrategie ILT' }] }).expect(200);
      // The answer's revision is its ETag: what a browser sends back as If-Match to revise it.
      expect(first.body).toMatchObject({ revision: 1, questionId: 'F01-Q1' });
      expect(first.headers.etag).toBe('"1"');
      await answer(strategic, 'F01-Q2', { level: 3 }).expect(200);
      await answer(strategic, 'F02-Q1', { dontKnow: true }).expect(200);
      await answer(operational, 'F01-Q1', { level: 2 }).expect(200);
    });

    it('an answer out of range or to a question the model does not have gets 400, and nothing is written', async () => {
      const before = await eventCount();
      expect((await answer(strategic, 'F01-Q1', { level: 6 }).expect(400)).body.detail).toMatch(/level must not be greater than 5/);
      expect((await answer(strategic, 'F99-Q1', { level: 3 }).expect(400)).body.detail).toBe('questionId: F99-Q1 is not a question of datagedreven-overheid@2026.1');
      expect(await eventCount()).toBe(before);
    });

    it("a respondent answers with If-Match on the answer's revision; a stale one gets 409 naming the current revision, and nothing is written", async () => {
      const before = await eventCount();
      // Three more answers have landed since the first one: they do not make it stale; its own revision does.
      const stale = await answer(strategic, 'F01-Q1', { level: 5 }, { 'If-Match': '"0"' }).expect(409);
      expect(stale.body).toMatchObject({ code: 'answer.changed', details: { currentRevision: 1, expectedRevision: 0 } });
      expect(await eventCount()).toBe(before);
    });

    it('a respondent of the organisation who was not invited gets 422, and nothing is written', async () => {
      const before = await eventCount();
      const elsewhere = await mintLocalToken(SECRET, { subject: 'r-0000000000000000', roles: ['respondent'], organisations: [organisationId] });
      await http().put(`/v1/assessments/${assessmentId}/answers/F01-Q1`).set(bearer(elsewhere)).send({ level: 1 }).expect(422);
      expect(await eventCount()).toBe(before);
    });

    it('a retried answer with the same Idempotency-Key is a no-op that returns the first result', async () => {
      const once = await answer(operational, 'F01-Q2', { level: 1 }, { 'Idempotency-Key': 'op-f01q2' }).expect(200);
      const again = await answer(operational, 'F01-Q2', { level: 1 }, { 'Idempotency-Key': 'op-f01q2' }).expect(200);
      expect(again.body.version).toBe(once.body.version);
    });

    it('a respondent who submitted can answer no more (422)', async () => {
      await http().post(`/v1/assessments/${assessmentId}/submit`).set(bearer(operational.token)).expect(200);
      await answer(operational, 'F01-Q3', { level: 2 }).expect(422);
    });

    it('the coordinator closes the assessment; closing again and answering after the close get 422', async () => {
      beforeClose = new Date();
      await new Promise((resolve) => setTimeout(resolve, 20));
      const closed = await http().post(`/v1/assessments/${assessmentId}/close`).set(bearer(coordinator)).expect(200);
      expect(closed.body.status).toBe('closed');
      await http().post(`/v1/assessments/${assessmentId}/close`).set(bearer(coordinator)).expect(422);
      await answer(strategic, 'F01-Q1', { level: 1 }).expect(422);
    });

    it('an auditor reads the scores per factor and layer, each term a question with its mean level', async () => {
      scores = (await http().get(`/v1/assessments/${assessmentId}/scores`).set(bearer(auditor)).expect(200)).body;
      const f01 = scores.factors.find((f: { factorId: string }) => f.factorId === 'F01')!;
      expect(f01.byLayer.strategic.terms.map((t: { id: string; value: number }) => [t.id, t.value])).toEqual([
        ['F01-Q1', 4],
        ['F01-Q2', 3],
      ]);
      expect(f01.byLayer.operational.terms.map((t: { id: string; value: number }) => [t.id, t.value])).toEqual([
        ['F01-Q1', 2],
        ['F01-Q2', 1],
      ]);
    });

    it("an auditor sees a factor explained down to the answer events, exactly as that factor's part of the whole; an unknown factor gets 404", async () => {
      const explained = (await http().get(`/v1/assessments/${assessmentId}/scores/explain?factor=F01`).set(bearer(auditor)).expect(200)).body;
      // Exact layer scores (strategic (1.5 × 4 + 1 × 3) / 2.5, operational (1.5 × 2 + 1 × 1) / 2.5), exact result.
      expect(explained.arithmetic).toBe('(1 × 18/5 + 1 × 8/5) / 2 = 13/5 = 2.6');
      const sources = explained.layers.flatMap((l: { questions: { answers: { streamVersion: number; hash: string }[] }[] }) => l.questions.flatMap((q) => q.answers));
      expect(sources.length).toBe(4);
      expect(sources.every((s: { hash: string }) => /^[0-9a-f]{64}$/.test(s.hash))).toBe(true);
      const overall = (await http().get(`/v1/assessments/${assessmentId}/scores/explain`).set(bearer(auditor)).expect(200)).body;
      expect(overall.factors).toHaveLength(12);
      // One factor's explanation (cut from the score by the database) is exactly that factor's part of the whole.
      for (const factor of overall.factors as { factorId: string }[]) {
        const one = (await http().get(`/v1/assessments/${assessmentId}/scores/explain?factor=${factor.factorId}`).set(bearer(auditor)).expect(200)).body;
        expect(one).toEqual({ assessmentId, scoreEvent: overall.scoreEvent, algorithm: overall.algorithm, model: overall.model, rounding: overall.rounding, ...factor });
      }
      expect((await http().get(`/v1/assessments/${assessmentId}/scores/explain?factor=F99`).set(bearer(auditor)).expect(404)).body.detail).toMatch(/F99/);
    });

    it('an auditor verifies the recorded score through the API and the CLI: replayed exactly, hash chain intact', async () => {
      expect((await http().post(`/v1/assessments/${assessmentId}/verify`).set(bearer(auditor)).expect(200)).body).toMatchObject({ status: 'verified', scoresChecked: 1, differences: [] });
      const cli = await verifyAssessment(testConfig({ DATABASE_URL: database.url }), assessmentId, {});
      expect(cli).toEqual({ output: expect.stringMatching(new RegExp(`^verified: assessment ${assessmentId}, 1 recorded score\\(s\\) replayed exactly, hash chain intact`)), exitCode: 0 });
    });

    it('an auditor reads the assessment as it stood before the close (open, no score) and as it stands now', async () => {
      const then = (await http().get(`/v1/assessments/${assessmentId}?asOf=${beforeClose.toISOString()}`).set(bearer(auditor)).expect(200)).body;
      expect(then).toMatchObject({ status: 'open', score: null });
      const now = (await http().get(`/v1/assessments/${assessmentId}`).set(bearer(auditor)).expect(200)).body;
      expect(now.status).toBe('closed');
      expect(now.score.overall.score).toBe(scores.overall.score);
    });

    it('a superuser who "improves" the recorded score is caught by both the replay and the hash chain', async () => {
      const client = await database.pool.connect();
      try {
        await client.query('BEGIN');
        await client.query('SET LOCAL session_replication_role = replica');
        await client.query(
          `UPDATE events SET data = jsonb_set(data, '{score,overall,score}', '4.9') WHERE stream_id = $1 AND type = 'ScoreCalculated'`,
          [`assessment-${assessmentId}`],
        );
        await client.query('COMMIT');
      } finally {
        client.release();
      }
      const tampered = (await http().post(`/v1/assessments/${assessmentId}/verify`).set(bearer(auditor)).expect(200)).body;
      expect(tampered.status).toBe('differences');
      expect(tampered.differences).toEqual([expect.objectContaining({ path: '$.overall.score', recorded: 4.9, replayed: scores.overall.score })]);
      expect(tampered.hashChain.ok).toBe(false);
    });

    it('the audit timeline shows who did what under pseudonyms, and never a justification', async () => {
      const timeline = await http().get(`/v1/assessments/${assessmentId}/events`).set(bearer(auditor)).expect(200);
      expect(timeline.body[0]).toMatchObject({ type: 'AssessmentOpened', actor: 'coordinator-ilt' });
      expect(timeline.body.find((e: { type: string }) => e.type === 'AnswerRecorded').actor).toMatch(/^r-[0-9a-f]{16}$/);
      expect(timeline.text).not.toContain('datastrategie is in 2025');
    });
  });

  it('eight respondents answering at the same time, as browsers do (no If-Match): every answer is recorded, none gets 409', async () => {
    const assessmentId = (
      await http()
        .post('/v1/assessments')
        .set(bearer(coordinator))
        .send({ organisationId, scope: { kind: 'organisation' }, period: '2026-crowd', model: { key: 'datagedreven-overheid', version: '2026.1' }, layers: ['strategic', 'tactical', 'operational'] })
        .expect(201)
    ).body.assessmentId;
    const layers = ['strategic', 'tactical', 'operational'];
    const crowd = [];
    for (let i = 0; i < 8; i++) crowd.push(await respondentFor(assessmentId, layers[i % 3]));
    const questions = SHIPPED_MODELS['2026.1'].factors.flatMap((f) => f.questions.map((q) => q.id)).slice(0, 10);
    const statuses = (
      await Promise.all(
        crowd.map(async (who, i) => {
          const given: number[] = [];
          for (const [q, questionId] of questions.entries()) {
            given.push((await http().put(`/v1/assessments/${assessmentId}/answers/${questionId}`).set(bearer(who.token)).send({ level: (i + q) % 6 })).status);
          }
          return given;
        }),
      )
    ).flat();
    expect(statuses).toEqual(statuses.map(() => 200));
    const read = (await http().get(`/v1/assessments/${assessmentId}`).set(bearer(auditor)).expect(200)).body;
    expect(read.answers).toBe(crowd.length * questions.length);
    for (const [i, who] of crowd.entries()) {
      const counted = read.countedAnswers.filter((a: { respondentId: string }) => a.respondentId === who.respondentId);
      expect(counted.map((a: { questionId: string; answer: unknown }) => [a.questionId, a.answer])).toEqual(questions.map((questionId, q) => [questionId, { level: (i + q) % 6 }]));
    }
  });

  it('loses nothing when 50 revisions of one answer race: one wins, the rest get 409', async () => {
    const assessmentId = (
      await http()
        .post('/v1/assessments')
        .set(bearer(coordinator))
        .send({ organisationId, scope: { kind: 'organisation' }, period: '2026-race', model: { key: 'datagedreven-overheid', version: '2026.1' }, layers: ['tactical'] })
        .expect(201)
    ).body.assessmentId;
    const who = await respondentFor(assessmentId, 'tactical');
    const seen = (await http().put(`/v1/assessments/${assessmentId}/answers/F03-Q1`).set(bearer(who.token)).send({ level: 1 }).expect(200)).body.revision;
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        http().put(`/v1/assessments/${assessmentId}/answers/F03-Q1`).set({ ...bearer(who.token), 'If-Match': `"${seen}"` }).send({ level: i % 6 }),
      ),
    );
    const statuses = outcomes.map((o) => o.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    const timeline = (await http().get(`/v1/assessments/${assessmentId}/events`).set(bearer(coordinator)).expect(200)).body;
    const revisions = timeline.filter((e: { type: string }) => e.type === 'AnswerRevised');
    expect(revisions).toHaveLength(1);
    const winner = outcomes.find((o) => o.status === 200)!;
    expect(revisions[0].answer).toEqual(winner.body.answer);
  });
});
