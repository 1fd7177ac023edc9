import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { CommandMetadata } from '@maatlat/shared/domain';
import { PostgresEventStore } from '@maatlat/shared/event-store';
import { createTestDatabase, testConfig, type TestDatabase } from '@maatlat/shared/testing';
import { ModelCatalogue } from '@maatlat/model-catalogue/data-access';
import { SHIPPED_MODELS } from '@maatlat/model-catalogue/domain';
import { Organisations } from '@maatlat/organisations/data-access';
import { PersonalDataVault, Respondents } from '@maatlat/respondents/data-access';
import { answersOf, assessmentStreamId, parseResponseStreamId, responseStreamId, type AssessmentEvent, type ResponseEvent } from '@maatlat/assessments/domain';
import { AssessmentRepository } from '@maatlat/assessments/data-access';
import { assessmentsFeature, type AssessmentsServices } from './assessments.feature';

const KEY = 'datagedreven-overheid';
const QUESTIONS = SHIPPED_MODELS['2026.1'].factors.flatMap((f) => f.questions.map((q) => q.id));
const LAYERS = ['strategic', 'tactical', 'operational'] as const;
const metadata = (actor: string): CommandMetadata => ({ now: new Date(), actor, correlationId: randomUUID() });

/**
 * Answers live in a response stream per respondent and assessment. Two service instances over one
 * database stand for two API processes, each with its own folded streams, so a state one of them
 * remembers can be behind what the other appended.
 */
describe('response streams: respondents answering one assessment at once', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let first: AssessmentsServices;
  let second: AssessmentsServices;
  let respondents: Respondents;
  let organisationId: string;

  const responseOf = (assessmentId: string, respondentId: string) => store.readStream<ResponseEvent>(responseStreamId(assessmentId, respondentId), { withHashes: true });
  const openWith = async (crowd: number) => {
    const { assessmentId } = await first.assessments.open(
      { organisationId, scope: { kind: 'organisation', organisationId }, period: '2026', model: { key: KEY, version: '2026.1' }, layers: [...LAYERS] },
      metadata('coordinator-cor'),
    );
    const people: string[] = [];
    for (let i = 0; i < crowd; i++) {
      const { respondentId } = await respondents.register(organisationId, { name: `Respondent ${i}`, email: `r${i}@rws.example.nl` }, metadata('coordinator-cor'));
      await first.assessments.invite(assessmentId, respondentId, LAYERS[i % LAYERS.length], metadata('coordinator-cor'));
      people.push(respondentId);
    }
    return { assessmentId, people };
  };

  beforeAll(async () => {
    database = await createTestDatabase({ maxConnections: 10 });
    store = new PostgresEventStore(database.db, database.pool);
    const config = testConfig({ DATABASE_URL: database.url });
    first = assessmentsFeature.createServices(database.db, store, config);
    second = assessmentsFeature.createServices(database.db, new PostgresEventStore(database.db, database.pool), config);
    const catalogue = new ModelCatalogue(database.db, store);
    await catalogue.draft({ document: SHIPPED_MODELS['2026.1'] }, metadata('beheerder-bea'));
    await catalogue.publish(KEY, '2026.1', { legalBasis: 'Woo; AVG', effectiveFrom: '2026-01-01' }, metadata('beheerder-bea'));
    organisationId = (await new Organisations(database.db, store).register({ name: 'Rijkswaterstaat', organisationType: 'executive-agency', sizeBand: 'large' }, metadata('beheerder-bea'))).organisationId;
    respondents = new Respondents(database.db, store, PersonalDataVault.fromConfig(database.db, testConfig()));
  });
  afterAll(() => database.drop());

  it('many respondents answering at once without If-Match: no conflict, and every answer is recorded in its own response stream', async () => {
    const { assessmentId, people } = await openWith(24);
    const questions = QUESTIONS.slice(0, 12);
    const outcomes = await Promise.allSettled(
      people.flatMap((respondentId, i) =>
        // Each respondent answers question after question; half go through the other "process".
        [(async () => {
          const services = i % 2 === 0 ? first : second;
          for (const [q, questionId] of questions.entries()) {
            await services.assessments.recordAnswer(assessmentId, respondentId, { questionId, answer: { level: (i + q) % 6 } }, metadata(respondentId));
          }
        })()],
      ),
    );
    expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);

    const read = await first.assessments.get(assessmentId);
    expect(read.answers).toBe(people.length * questions.length);
    expect(read.countedAnswers).toHaveLength(people.length * questions.length);
    // The assessment's own stream only opened and invited: answers never moved it.
    expect(read.version).toBe(1 + people.length);
    for (const [i, respondentId] of people.entries()) {
      const stream = await responseOf(assessmentId, respondentId);
      expect(stream.map((e) => [e.version, e.type, e.type === 'AnswerRecorded' ? e.data.questionId : null, e.type === 'AnswerRecorded' ? e.data.answer : null])).toEqual(
        questions.map((questionId, q) => [q + 1, 'AnswerRecorded', questionId, { level: (i + q) % 6 }]),
      );
      expect(parseResponseStreamId(stream[0].streamId)).toEqual({ assessmentId, respondentId });
    }
  });

  it('two writers of the same answer: the one whose revision is stale gets a 409 naming the current revision, and nothing of it is recorded', async () => {
    const { assessmentId, people } = await openWith(2);
    const [sanne, ahmed] = people;
    // Each "process" has seen the answer at revision 1.
    expect(await first.assessments.recordAnswer(assessmentId, sanne, { questionId: 'F01-Q1', answer: { level: 2 } }, metadata(sanne), 0)).toMatchObject({ revision: 1, version: 1 });
    await second.assessments.recordAnswer(assessmentId, sanne, { questionId: 'F01-Q2', answer: { level: 1 } }, metadata(sanne));
    // Another respondent's answer in between changes nothing for hers.
    await second.assessments.recordAnswer(assessmentId, ahmed, { questionId: 'F01-Q1', answer: { level: 5 } }, metadata(ahmed));

    const outcomes = await Promise.allSettled([
      first.assessments.recordAnswer(assessmentId, sanne, { questionId: 'F01-Q1', answer: { level: 3 } }, metadata(sanne), 1),
      second.assessments.recordAnswer(assessmentId, sanne, { questionId: 'F01-Q1', answer: { level: 4 } }, metadata(sanne), 1),
    ]);
    const won = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    const lost = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason] : []));
    expect(won).toHaveLength(1);
    expect(won[0]).toMatchObject({ revision: 2, version: 3 });
    expect(lost).toHaveLength(1);
    expect(lost[0]).toMatchObject({ code: 'answer.changed', details: { currentRevision: 2, expectedRevision: 1 } });

    const stream = await responseOf(assessmentId, sanne);
    expect(stream.map((e) => [e.version, e.type, e.type === 'AnswerRevised' ? e.data.answer : null])).toEqual([
      [1, 'AnswerRecorded', null],
      [2, 'AnswerRecorded', null],
      [3, 'AnswerRevised', won[0].answer],
    ]);
    // The loser, told revision 2, can now revise on it.
    expect(await second.assessments.recordAnswer(assessmentId, sanne, { questionId: 'F01-Q1', answer: { level: 1 } }, metadata(sanne), 2)).toMatchObject({ revision: 3, version: 4 });
  });

  it('closing while respondents answer: the close cites exactly the answers it scored, and every later answer is refused', async () => {
    const { assessmentId, people } = await openWith(12);
    const recorded = new Map<string, number>(people.map((r) => [r, 0]));
    const refused: unknown[] = [];
    let closing: ReturnType<AssessmentsServices['assessments']['close']> | undefined;
    await Promise.all(
      people.map(async (respondentId, i) => {
        const services = i % 2 === 0 ? first : second;
        // Each respondent answers (and revises, round after round) until the assessment refuses them.
        for (let n = 0; n < 2000; n++) {
          // Once a few answers are in, the coordinator closes, while the answering goes on.
          if (i === 0 && n === 8) closing = second.assessments.close(assessmentId, metadata('coordinator-cor'));
          try {
            await services.assessments.recordAnswer(assessmentId, respondentId, { questionId: QUESTIONS[n % QUESTIONS.length], answer: { level: (i + n) % 6 } }, metadata(respondentId));
            recorded.set(respondentId, recorded.get(respondentId)! + 1);
          } catch (error) {
            refused.push(error);
            return;
          }
        }
      }),
    );
    const closed = await closing!;
    expect(closed.status).toBe('closed');
    // Every respondent went on until the close refused them: no answer failed for another reason (a conflict).
    expect(refused).toHaveLength(people.length);
    expect(refused.map((e) => (e as { code?: string }).code)).toEqual(people.map(() => 'assessment.closed'));

    const own = await store.readStream<AssessmentEvent>(assessmentStreamId(assessmentId));
    const scored = own.find((e) => e.type === 'ScoreCalculated');
    if (scored?.type !== 'ScoreCalculated') throw new Error('the close records its score');
    // The close names each response stream where it ends: nothing was appended to one after it.
    const answered = people.filter((r) => recorded.get(r)! > 0);
    const heads = await Promise.all(answered.map(async (r) => ({ respondentId: r, stream: await responseOf(assessmentId, r) })));
    expect(heads.map(({ respondentId, stream }) => [respondentId, stream.length])).toEqual(answered.map((r) => [r, recorded.get(r)]));
    expect(scored.data.responses).toEqual(
      heads.map(({ stream }) => ({ streamId: stream[0].streamId, version: stream.length, hash: stream[stream.length - 1].hash })).sort((a, b) => (a.streamId < b.streamId ? -1 : 1)),
    );
    // Its score counts exactly the answers recorded (each respondent's latest per question), each cited by stream, version and hash.
    const latest = new Map<string, ResponseEvent & { streamId: string; version: number; eventId: string; hash?: string }>();
    for (const event of heads.flatMap(({ stream }) => stream)) if (event.type !== 'ResponseSubmitted') latest.set(`${event.streamId}|${event.data.questionId}`, event);
    const cited = scored.data.score.questions.flatMap((q) => q.sources);
    expect(cited).toHaveLength(latest.size);
    expect(new Set(cited.map((s) => `${s.streamId}#${s.streamVersion}#${s.eventId}#${s.hash}`))).toEqual(new Set([...latest.values()].map((e) => `${e.streamId}#${e.version}#${e.eventId}#${e.hash}`)));
    const { events } = await new AssessmentRepository(database.db, store).readWithHashes(assessmentId);
    expect(answersOf(events, scored.data)).toHaveLength(latest.size);

    // An answer after the close is refused, and nothing is appended.
    const late = first.assessments.recordAnswer(assessmentId, people[1], { questionId: QUESTIONS[0], answer: { level: 1 } }, metadata(people[1]));
    await expect(late).rejects.toMatchObject({ code: 'assessment.closed' });
    expect(await responseOf(assessmentId, people[1])).toHaveLength(recorded.get(people[1])!);
    expect(await first.assessments.verify(assessmentId)).toMatchObject({ status: 'verified', differences: [], hashChain: { ok: true, streamsChecked: 1 + answered.length } });
  });

  it('a respondent refused before their invitation answers once invited: a state remembered by a process never outlives an invitation', async () => {
    const { assessmentId } = await openWith(0);
    const { respondentId } = await respondents.register(organisationId, { name: 'Late Invitee', email: 'late@rws.example.nl' }, metadata('coordinator-cor'));
    const answer = () => first.assessments.recordAnswer(assessmentId, respondentId, { questionId: 'F01-Q1', answer: { level: 3 } }, metadata(respondentId));
    await expect(answer()).rejects.toMatchObject({ code: 'assessment.not-invited' });
    await second.assessments.invite(assessmentId, respondentId, 'tactical', metadata('coordinator-cor'));
    expect(await answer()).toMatchObject({ revision: 1, version: 1 });
    expect((await responseOf(assessmentId, respondentId)).map((e) => e.type)).toEqual(['AnswerRecorded']);
  });

  it("verify walks the response streams' hash chains: a tampered answer is caught, by stream and version", async () => {
    const { assessmentId, people } = await openWith(2);
    for (const respondentId of people) {
      await first.assessments.recordAnswers(assessmentId, respondentId, QUESTIONS.slice(0, 3).map((questionId) => ({ questionId, answer: { level: 2 } })), metadata(respondentId));
    }
    await first.assessments.close(assessmentId, metadata('coordinator-cor'));
    expect(await first.assessments.verify(assessmentId)).toMatchObject({ status: 'verified', hashChain: { ok: true } });

    // Someone "improves" an answer after the fact, past the immutability trigger.
    const tampered = responseStreamId(assessmentId, people[1]);
    await database.db.transaction().execute(async (trx) => {
      await sql`SET LOCAL session_replication_role = replica`.execute(trx);
      await sql`UPDATE events SET data = jsonb_set(data, '{answer}', '{"level": 5}') WHERE stream_id = ${tampered} AND version = 2`.execute(trx);
    });
    const report = await first.assessments.verify(assessmentId);
    expect(report.status).toBe('differences');
    expect(report.hashChain).toMatchObject({ ok: false, breaks: [{ streamId: tampered, version: 2, problem: 'the event content does not match its content hash' }] });
    // The replay sees the changed level too: the recorded score no longer follows from the answers.
    expect(report.differences.length).toBeGreaterThan(0);
  });
});
