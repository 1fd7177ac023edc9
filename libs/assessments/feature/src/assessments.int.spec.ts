import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { NotFound, RuleBroken, type CommandMetadata } from '@maatlat/shared/domain';
import { PostgresEventStore } from '@maatlat/shared/event-store';
import { createTestDatabase, testConfig, type TestDatabase } from '@maatlat/shared/testing';
import { ModelCatalogue } from '@maatlat/model-catalogue/data-access';
import { documentHash, modelVersionStreamId, SHIPPED_CROSSWALKS, SHIPPED_MODELS, type ModelVersionEvent } from '@maatlat/model-catalogue/domain';
import { Organisations } from '@maatlat/organisations/data-access';
import { PersonalDataVault, Respondents } from '@maatlat/respondents/data-access';
import { assessmentStreamId, recalculationStreamId, responseStreamId, type AssessmentEvent, type RecalculationCause, type RecalculationEvent, type ResponseEvent } from '@maatlat/assessments/domain';
import { assessmentsFeature, type AssessmentsServices } from './assessments.feature';

const KEY = 'datagedreven-overheid';
const metadata = (actor: string, extra: Partial<CommandMetadata> = {}): CommandMetadata => ({ now: new Date(), actor, correlationId: randomUUID(), ...extra });
const admin = () => metadata('beheerder-bea');
const coordinator = () => metadata('coordinator-cor');
const JUSTIFICATION = 'De datastrategie is in 2025 vastgesteld door het bestuur.';

describe('assessments services, on the event store', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let services: AssessmentsServices;
  let catalogue: ModelCatalogue;
  let organisationId: string;
  let strategic: string;
  let operational: string;
  const streamOf = (assessmentId: string) => store.readStream<AssessmentEvent>(assessmentStreamId(assessmentId), { withHashes: true });
  const responseOf = (assessmentId: string, respondentId: string) => store.readStream<ResponseEvent>(responseStreamId(assessmentId, respondentId), { withHashes: true });
  const open = (period: string) =>
    services.assessments.open({ organisationId, scope: { kind: 'organisation', organisationId }, period, model: { key: KEY, version: '2026.1' }, layers: ['strategic', 'operational'] }, coordinator());

  beforeAll(async () => {
    database = await createTestDatabase({ maxConnections: 10 });
    store = new PostgresEventStore(database.db, database.pool);
    services = assessmentsFeature.createServices(database.db, store, testConfig({ DATABASE_URL: database.url }));
    catalogue = new ModelCatalogue(database.db, store);
    await catalogue.draft({ document: SHIPPED_MODELS['2026.1'] }, admin());
    await catalogue.publish(KEY, '2026.1', { legalBasis: 'Woo; AVG', effectiveFrom: '2026-01-01' }, admin());
    // Its successor is still a draft until the recalculation tests publish it.
    await catalogue.draft({ document: SHIPPED_MODELS['2027.1'] }, admin());
    organisationId = (await new Organisations(database.db, store).register({ name: 'Inspectie Leefomgeving en Transport', organisationType: 'inspectorate-or-regulator', sizeBand: 'large' }, admin())).organisationId;
    const respondents = new Respondents(database.db, store, PersonalDataVault.fromConfig(database.db, testConfig()));
    strategic = (await respondents.register(organisationId, { name: 'Sanne Bakker', email: 'sanne@ilt.example.nl' }, coordinator())).respondentId;
    operational = (await respondents.register(organisationId, { name: 'Ahmed Yilmaz', email: 'ahmed@ilt.example.nl' }, coordinator())).respondentId;
  });
  afterAll(() => database.drop());

  describe('an assessment from opening to a verified, explainable score', () => {
    let assessmentId: string;
    let beforeClose: Date;

    it('a coordinator opens an assessment pinned to the published model version', async () => {
      const opened = await open('2026');
      assessmentId = opened.assessmentId;
      expect(opened).toEqual({
        assessmentId,
        organisationId,
        status: 'open',
        version: 1,
        model: { key: KEY, version: '2026.1', contentHash: documentHash(SHIPPED_MODELS['2026.1']) },
        layers: ['strategic', 'operational'],
        invitees: [],
        answers: 0,
      });
      const [event] = await streamOf(assessmentId);
      expect(event).toMatchObject({ type: 'AssessmentOpened', metadata: { actor: 'coordinator-cor', tenantId: organisationId } });
      expect(event.type === 'AssessmentOpened' && event.data.questionIds).toHaveLength(41);
    });

    it('an assessment cannot be opened on a draft model version', async () => {
      const opening = services.assessments.open({ organisationId, scope: { kind: 'organisation', organisationId }, period: '2027', model: { key: KEY, version: '2027.1' }, layers: ['strategic'] }, coordinator());
      await expect(opening).rejects.toBeInstanceOf(RuleBroken);
      await expect(opening).rejects.toMatchObject({ code: 'assessment.model-not-published' });
    });

    it('the coordinator invites a respondent per layer', async () => {
      await services.assessments.invite(assessmentId, strategic, 'strategic', coordinator());
      const summary = await services.assessments.invite(assessmentId, operational, 'operational', coordinator());
      expect(summary).toMatchObject({ version: 3, invitees: [{ respondentId: strategic, layer: 'strategic', submitted: false }, { respondentId: operational, layer: 'operational', submitted: false }] });
      await expect(services.assessments.invite(assessmentId, strategic, 'strategic', coordinator())).rejects.toMatchObject({ code: 'assessment.already-invited' });
    });

    it('respondents answer; a justification is recorded only sealed', async () => {
      const first = await services.assessments.recordAnswer(assessmentId, strategic, { questionId: 'F01-Q1', answer: { level: 4 }, justification: JUSTIFICATION }, metadata(strategic));
      expect(first).toMatchObject({ revision: 1 });
      await services.assessments.recordAnswer(assessmentId, strategic, { questionId: 'F01-Q2', answer: { level: 3 } }, metadata(strategic));
      await services.assessments.recordAnswer(assessmentId, strategic, { questionId: 'F02-Q1', answer: { dontKnow: true } }, metadata(strategic));
      await services.assessments.recordAnswer(assessmentId, operational, { questionId: 'F01-Q1', answer: { level: 2 } }, metadata(operational));
      await services.assessments.recordAnswer(assessmentId, operational, { questionId: 'F01-Q2', answer: { level: 1 } }, metadata(operational));

      // Each respondent's answers are in their own response stream; the assessment's stream holds none.
      expect(await streamOf(assessmentId)).toHaveLength(3);
      const answers = [...(await responseOf(assessmentId, strategic)), ...(await responseOf(assessmentId, operational))].filter((e) => e.type === 'AnswerRecorded');
      expect(answers.map((e) => e.type === 'AnswerRecorded' && [e.streamId, e.version, e.data.respondentId, e.data.questionId, e.data.answer, e.metadata.actor, e.metadata.tenantId])).toEqual([
        [responseStreamId(assessmentId, strategic), 1, strategic, 'F01-Q1', { level: 4 }, strategic, organisationId],
        [responseStreamId(assessmentId, strategic), 2, strategic, 'F01-Q2', { level: 3 }, strategic, organisationId],
        [responseStreamId(assessmentId, strategic), 3, strategic, 'F02-Q1', { dontKnow: true }, strategic, organisationId],
        [responseStreamId(assessmentId, operational), 1, operational, 'F01-Q1', { level: 2 }, operational, organisationId],
        [responseStreamId(assessmentId, operational), 2, operational, 'F01-Q2', { level: 1 }, operational, organisationId],
      ]);
      expect(answers[0].type === 'AnswerRecorded' && answers[0].data.justification).toMatchObject({ alg: 'A256GCM' });
      for (const plain of [JUSTIFICATION, 'in 2025 vastgesteld']) {
        const { rows } = await sql<{ found: number }>`SELECT count(*)::int AS found FROM events e WHERE strpos(e::text, ${plain}) > 0`.execute(database.db);
        expect({ plain, found: rows[0].found }).toEqual({ plain, found: 0 });
      }
    });

    it("a revision on a stale revision of the answer is refused naming the current one; other respondents' answers never make it stale", async () => {
      // Other answers have landed since the first one (the respondent's stream is at 3), yet the answer itself is at revision 1.
      const stale = services.assessments.recordAnswer(assessmentId, strategic, { questionId: 'F01-Q1', answer: { level: 5 } }, metadata(strategic), 0);
      await expect(stale).rejects.toMatchObject({ code: 'answer.changed', details: { currentRevision: 1, expectedRevision: 0 } });
      expect(await responseOf(assessmentId, strategic)).toHaveLength(3);

      expect(await services.assessments.recordAnswer(assessmentId, strategic, { questionId: 'F01-Q1', answer: { level: 5 } }, metadata(strategic), 1)).toMatchObject({ version: 4, revision: 2 });
      const [revision] = (await responseOf(assessmentId, strategic)).slice(3);
      expect(revision).toMatchObject({ version: 4, type: 'AnswerRevised', data: { questionId: 'F01-Q1', answer: { level: 5 }, revises: 1 } });
      expect(revision.data).not.toHaveProperty('expectedRevision');
    });

    it('a respondent submits, and can answer no more', async () => {
      // The assessment's version (its own stream) does not move: the submission is in the respondent's stream.
      expect(await services.assessments.submit(assessmentId, operational, metadata(operational))).toMatchObject({ version: 3, answers: 5, invitees: [{ submitted: false }, { submitted: true }] });
      expect((await responseOf(assessmentId, operational)).map((e) => [e.version, e.type])).toEqual([
        [1, 'AnswerRecorded'],
        [2, 'AnswerRecorded'],
        [3, 'ResponseSubmitted'],
      ]);
      await expect(services.assessments.recordAnswer(assessmentId, operational, { questionId: 'F01-Q3', answer: { level: 2 } }, metadata(operational))).rejects.toMatchObject({
        code: 'assessment.response-submitted',
      });
    });

    it('closing records the score in a ScoreCalculated event that cites the answers that count, by version and hash', async () => {
      beforeClose = new Date();
      // recorded_at has millisecond precision: the close must land visibly after the moment read above.
      await new Promise((resolve) => setTimeout(resolve, 20));
      const closed = await services.assessments.close(assessmentId, coordinator());
      expect(closed).toMatchObject({ status: 'closed', version: 5 });

      const events = await streamOf(assessmentId);
      expect(events.slice(3).map((e) => [e.version, e.type])).toEqual([
        [4, 'AssessmentClosed'],
        [5, 'ScoreCalculated'],
      ]);
      const scored = events[4];
      if (scored.type !== 'ScoreCalculated') throw new Error('the close is followed by its score');
      expect(scored.data.answersUpToVersion).toBe(3);
      // It names every response stream it read, where it ended then.
      const responses = { [strategic]: await responseOf(assessmentId, strategic), [operational]: await responseOf(assessmentId, operational) };
      expect(scored.data.responses).toEqual(
        [strategic, operational]
          .map((r) => ({ streamId: responseStreamId(assessmentId, r), version: responses[r].length, hash: responses[r][responses[r].length - 1].hash }))
          .sort((a, b) => (a.streamId < b.streamId ? -1 : 1)),
      );
      const { score } = scored.data;
      expect(score).toEqual(closed.score);
      // F01: strategic (1.5 × 5 + 1 × 3) / 2.5 = 4.2, operational (1.5 × 2 + 1 × 1) / 2.5 = 1.6, mean 2.9; F02 only "don't know".
      expect(score.overall).toMatchObject({ score: 2.9, stage: 2 });
      expect(score.factors.find((f) => f.factorId === 'F01')).toMatchObject({ score: 2.9, stage: 2, spread: 2.6 });
      expect(score.factors.find((f) => f.factorId === 'F02')).toMatchObject({ score: null });

      const cited = score.questions.flatMap((q) => q.sources);
      const byStream = (respondentId: string) => cited.filter((s) => s.streamId === responseStreamId(assessmentId, respondentId)).map((s) => s.streamVersion).sort((a, b) => a - b);
      expect([byStream(strategic), byStream(operational), cited.length]).toEqual([[2, 3, 4], [1, 2], 5]);
      for (const source of cited) {
        const event = Object.values(responses).flat().find((e) => e.streamId === source.streamId && e.version === source.streamVersion)!;
        expect(source).toEqual({ streamId: event.streamId, streamVersion: event.version, eventId: event.eventId, hash: event.hash });
        expect(source.hash).toMatch(/^[0-9a-f]{64}$/);
      }
    });

    it('reads the assessment as it stood before the close: open, without a score', async () => {
      const then = await services.assessments.get(assessmentId, beforeClose);
      expect(then).toMatchObject({ status: 'open', version: 3, answers: 5, score: null, asOf: beforeClose.toISOString() });
      const now = await services.assessments.get(assessmentId);
      expect(now).toMatchObject({ status: 'closed', version: 5, answers: 5, asOf: null, score: { overall: { score: 2.9 } } });
    });

    it("explains one factor exactly as that factor's part of the whole explanation", async () => {
      const whole = await services.assessments.explain(assessmentId);
      if (!('factors' in whole)) throw new Error('the whole explanation lists every factor');
      expect(whole).toMatchObject({ overall: 2.9, stage: 2, arithmetic: '(1 × 29/10) / 1 = 29/10 = 2.9' });
      expect(whole.factors).toHaveLength(12);
      for (const factor of whole.factors) {
        expect(await services.assessments.explain(assessmentId, factor.factorId)).toEqual({ assessmentId, scoreEvent: whole.scoreEvent, algorithm: whole.algorithm, model: whole.model, rounding: whole.rounding, ...factor });
      }
      const f01 = whole.factors.find((f) => f.factorId === 'F01')!;
      expect(f01.layers.map((l) => [l.layer, l.arithmetic])).toEqual([
        ['strategic', '(1.5 × 5 + 1 × 3) / 2.5 = 21/5 = 4.2'],
        ['operational', '(1.5 × 2 + 1 × 1) / 2.5 = 8/5 = 1.6'],
      ]);
      await expect(services.assessments.explain(assessmentId, 'F99')).rejects.toBeInstanceOf(NotFound);
    });

    it('verifies: the recorded score replays exactly and the hash chain holds', async () => {
      expect(await services.assessments.verify(assessmentId)).toMatchObject({ assessmentId, status: 'verified', scoresChecked: 1, differences: [], hashChain: { ok: true } });
    });

    it('refuses a second close, and records nothing', async () => {
      const again = services.assessments.close(assessmentId, coordinator());
      await expect(again).rejects.toBeInstanceOf(RuleBroken);
      await expect(again).rejects.toMatchObject({ code: 'assessment.closed', message: `assessment ${assessmentId} is already closed` });
      expect(await streamOf(assessmentId)).toHaveLength(5);
    });
  });

  describe('recalculation after a successor model version is published', () => {
    let rescored: string;
    let failing: string;
    let stillOpen: string;
    let cause: RecalculationCause;
    let recalculationId: string;
    const recalculationEvents = () => store.readStream<RecalculationEvent>(recalculationStreamId(recalculationId));
    const outbox = () => database.db.selectFrom('outbox').select(['job_id', 'job_name', 'payload', 'caused_by_event_id']).orderBy('id').execute();

    beforeAll(async () => {
      const answered = async (period: string) => {
        const { assessmentId } = await open(period);
        await services.assessments.invite(assessmentId, strategic, 'strategic', coordinator());
        await services.assessments.recordAnswers(assessmentId, strategic, [{ questionId: 'F07-Q1', answer: { level: 3 } }, { questionId: 'F01-Q1', answer: { level: 2 } }], metadata(strategic));
        return assessmentId;
      };
      rescored = await answered('2026-Q1');
      failing = await answered('2026-Q2');
      stillOpen = await answered('2026-Q3');
      for (const id of [rescored, failing]) await services.assessments.close(id, coordinator());

      // A successor is published only with a crosswalk from its predecessor.
      await catalogue.setCrosswalk(KEY, '2027.1', SHIPPED_CROSSWALKS['2026.1->2027.1'], admin());
      await catalogue.publish(KEY, '2027.1', { legalBasis: 'Woo; AVG', effectiveFrom: '2027-01-01' }, admin());
      const published = (await store.readStream<ModelVersionEvent>(modelVersionStreamId(KEY, '2027.1'))).find((e) => e.type === 'ModelVersionPublished')!;
      if (published.type !== 'ModelVersionPublished') throw new Error('2027.1 is published');
      cause = { kind: 'model-published', publishedEventId: published.eventId, from: `${KEY}@2026.1`, to: `${KEY}@2027.1`, crosswalkHash: published.data.crosswalkHash };
      expect(cause.crosswalkHash).toBe(documentHash(SHIPPED_CROSSWALKS['2026.1->2027.1']));
    });

    it('starts with the closed assessments of the predecessor, and one outbox job per assessment in the same append', async () => {
      const existingClosed = (await database.db.selectFrom('events').select(sql<string>`data->>'assessmentId'`.as('id')).where('type', '=', 'AssessmentClosed').execute()).map((r) => r.id);
      recalculationId = await services.recalculations.start(cause, { key: KEY, version: '2027.1' }, { key: KEY, version: '2026.1' }, metadata('system:recalculation'));

      const [started, ...rest] = await recalculationEvents();
      expect(rest).toEqual([]);
      expect(started).toMatchObject({ version: 1, type: 'RecalculationStarted', data: { recalculationId, cause, target: { key: KEY, version: '2027.1' } } });
      const listed = started.type === 'RecalculationStarted' ? started.data.assessmentIds : [];
      expect([...listed].sort()).toEqual([...existingClosed].sort());
      expect(listed).toEqual(expect.arrayContaining([rescored, failing]));
      expect(listed).not.toContain(stillOpen);

      expect(await outbox()).toEqual(
        listed.map((assessmentId) => ({
          job_id: `${started.eventId}_assessment.recalculate_${assessmentId}`,
          job_name: 'assessment.recalculate',
          payload: { recalculationId, assessmentId },
          caused_by_event_id: started.eventId,
        })),
      );
    });

    it('starting again for the same cause at the same moment, as a replayed publication does, starts nothing more', async () => {
      const jobs = (await outbox()).length;
      const now = (await recalculationEvents())[0].metadata.occurredAt as string;
      expect(await services.recalculations.start(cause, { key: KEY, version: '2027.1' }, { key: KEY, version: '2026.1' }, metadata('system:recalculation', { now: new Date(now) }))).toBe(recalculationId);
      expect(await recalculationEvents()).toHaveLength(1);
      expect(await outbox()).toHaveLength(jobs);
    });

    it('rescoring an assessment twice appends one ScoreRecalculated, scored on the successor through the crosswalk', async () => {
      await services.recalculations.recalculateOne(recalculationId, rescored, metadata('system:recalculation'));
      await services.recalculations.recalculateOne(recalculationId, rescored, metadata('system:recalculation'));
      const recalculated = (await streamOf(rescored)).filter((e) => e.type === 'ScoreRecalculated');
      expect(recalculated).toHaveLength(1);
      const [event] = recalculated;
      if (event.type !== 'ScoreRecalculated') throw new Error('a recalculated score');
      expect(event.data).toMatchObject({ recalculationId, cause, previous: { model: { version: '2026.1' } }, score: { model: { key: KEY, version: '2027.1' } }, mapping: { from: `${KEY}@2026.1`, to: `${KEY}@2027.1` } });
      // F07 was split into F07a and F07b: the F07-Q1 answer now counts in the successor's factors.
      expect(event.data.score.factors.map((f) => f.factorId)).toEqual(expect.arrayContaining(['F07a', 'F07b']));
      expect(event.data.score.factors.find((f) => f.factorId === 'F07')).toBeUndefined();
      expect(event.metadata).toMatchObject({ causationId: recalculationId, commandId: `recalculate:${recalculationId}` });
      expect(await services.assessments.verify(rescored)).toMatchObject({ status: 'verified', scoresChecked: 2 });
    });

    it('a final failure recorded twice is recorded once, with its reason', async () => {
      await services.recalculations.recordFailure(recalculationId, failing, 'model version not found', metadata('system:recalculation'));
      await services.recalculations.recordFailure(recalculationId, failing, 'model version not found', metadata('system:recalculation'));
      expect((await recalculationEvents()).map((e) => [e.version, e.type, e.data])).toEqual([
        [1, 'RecalculationStarted', expect.anything()],
        [2, 'RecalculationFailed', { assessmentId: failing, reason: 'model version not found' }],
      ]);
    });

    it('progress counts the assessments listed, rescored and failed', async () => {
      expect(await services.recalculations.progress(recalculationId)).toEqual({
        recalculationId,
        cause,
        target: { key: KEY, version: '2027.1' },
        total: 3,
        done: 1,
        failed: 1,
        failures: [{ assessmentId: failing, reason: 'model version not found' }],
      });
    });

    it('an assessment closed after the start is included once, with a job of its own', async () => {
      await services.assessments.close(stillOpen, coordinator());
      const jobs = (await outbox()).length;
      expect(await services.recalculations.includeLateClose(stillOpen, metadata('system:recalculation'))).toEqual([recalculationId]);
      await services.recalculations.includeLateClose(stillOpen, metadata('system:recalculation'));
      const included = (await recalculationEvents()).filter((e) => e.type === 'RecalculationIncluded');
      expect(included.map((e) => e.data)).toEqual([{ assessmentId: stillOpen }]);
      expect((await outbox()).slice(jobs)).toEqual([
        { job_id: `${included[0].eventId}_assessment.recalculate_${stillOpen}`, job_name: 'assessment.recalculate', payload: { recalculationId, assessmentId: stillOpen }, caused_by_event_id: included[0].eventId },
      ]);
      expect(await services.recalculations.progress(recalculationId)).toMatchObject({ total: 4, done: 1, failed: 1 });
    });

    // Known defect (reported): the recalculation id is derived from the cause and from the command's
    // `now`, so the same cause started at another moment (an algorithm upgrade requested twice, say)
    // becomes a second recalculation that rescores every assessment again. Last in this block, as
    // the second recalculation it makes would take in late closes too.
    it.failing('starting again for the same cause at a later moment starts nothing more', async () => {
      const start = (now: Date) => services.recalculations.start(cause, { key: KEY, version: '2027.1' }, { key: KEY, version: '2026.1' }, metadata('system:recalculation', { now }));
      const first = await start(new Date(Date.now() + 60_000));
      const jobs = (await outbox()).length;
      expect(await start(new Date(Date.now() + 120_000))).toBe(first);
      expect(await outbox()).toHaveLength(jobs);
    });
  });
});
