import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { createTestDatabase, testConfig, type TestDatabase } from '@maatlat/shared/testing';
import { PostgresEventStore, ProjectionRunner } from '@maatlat/shared/event-store';
import { projectionsOf } from '@maatlat/shared/features';
import type { CommandMetadata } from '@maatlat/shared/domain';
import { SHIPPED_CROSSWALKS, SHIPPED_MODELS, modelVersionStreamId, type ModelVersionEvent } from '@maatlat/model-catalogue/domain';
import type { RecalculationCause } from '@maatlat/assessments/domain';
import type { BenchmarkPublicationEvent } from '@maatlat/insights/domain';
import { CLI_FEATURES, platformServices, type PlatformServices } from './features';
import { verifyBenchmark } from './commands';

const KEY = 'datagedreven-overheid';
const meta = (actor: string): CommandMetadata => ({ now: new Date(), actor, correlationId: randomUUID() });

describe('published benchmarks', () => {
  let database: TestDatabase;
  let services: PlatformServices;
  let store: PostgresEventStore;
  const catchUp = () => new ProjectionRunner(database.db, database.pool, store, projectionsOf(CLI_FEATURES)).catchUp();

  /** A small municipality with one closed 2026 assessment: every respondent answers `level` everywhere. */
  async function scoredMunicipality(index: number, level: number): Promise<void> {
    const { organisationId } = await services.organisations.register({ name: `Gemeente Bench ${index}`, organisationType: 'municipality', sizeBand: 'small' }, meta('admin'));
    const { assessmentId } = await services.assessments.open(
      { organisationId, scope: { kind: 'organisation', organisationId }, period: '2026', model: { key: KEY, version: '2026.1' }, layers: ['tactical'] },
      meta('coordinator'),
    );
    const { respondentId } = await services.respondents.register(organisationId, { name: `R ${index}`, email: `r${index}@example.nl` }, meta('coordinator'));
    await services.assessments.invite(assessmentId, respondentId, 'tactical', meta('coordinator'));
    const answers = SHIPPED_MODELS['2026.1'].factors.flatMap((f) => f.questions.map((q) => ({ questionId: q.id, answer: { level: f.id === 'F07' ? Math.max(0, level - 1) : level } })));
    await services.assessments.recordAnswers(assessmentId, respondentId, answers, meta(respondentId), { submit: true });
    await services.assessments.close(assessmentId, meta('coordinator'));
  }

  beforeAll(async () => {
    database = await createTestDatabase({ maxConnections: 6 });
    store = new PostgresEventStore(database.db, database.pool);
    services = platformServices(database.db, store, testConfig({ DATABASE_URL: database.url }));
    await services.catalogue.draft({ document: SHIPPED_MODELS['2026.1'] }, meta('admin'));
    await services.catalogue.publish(KEY, '2026.1', { legalBasis: 'Woo', effectiveFrom: '2026-01-01' }, meta('admin'));
    for (const [index, level] of [1, 2, 3, 4, 5, 3].entries()) await scoredMunicipality(index, level);
    await catchUp();
  });
  afterAll(() => database.drop());

  it('freezes the figures and the score events that went in, verifies them, and names a tampered score event', async () => {
    const published = await services.insights.publishBenchmark({ modelKey: KEY, period: '2026', level: 'organisation' }, meta('admin'));
    expect(published).toMatchObject({ edition: 1, modelVersion: '2026.1', organisations: 6, scoreEventsCited: 6, streamId: `benchmark-${KEY}@2026@organisation`, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const served = await services.insights.benchmarks({ modelKey: KEY, period: '2026', groupBy: 'all', level: 'organisation', published: 'latest' });
    const live = await services.insights.benchmarks({ modelKey: KEY, period: '2026', groupBy: 'all', level: 'organisation' });
    expect(served.cells).toEqual(live.cells);
    expect(served.cells[0].overall).toMatchObject({ status: 'shown', organisations: 6 });
    expect(served.publication).toMatchObject({ edition: 1, eventId: published.eventId });

    expect(await services.insights.verifyBenchmark({ modelKey: KEY, period: '2026', level: 'organisation', edition: 1 })).toMatchObject({ status: 'verified', scoreEventsChecked: 6, problems: [], differences: [] });
    const cli = await verifyBenchmark(testConfig({ DATABASE_URL: database.url }), `${KEY}@2026`, {});
    expect(cli).toEqual({ output: `verified: benchmark ${KEY} 2026 (organisation) edition 1, its figures recomputed exactly from the 6 score event(s) it cites`, exitCode: 0 });

    // Someone with database rights rewrites one cited score, past the triggers (put back afterwards).
    const [event] = (await store.readStream<BenchmarkPublicationEvent>(published.streamId))[0].data.inputs.flatMap((i) => i.scoreEvents);
    const original = (await store.readStream(event.streamId)).find((e) => e.version === event.version)!.data;
    await database.db.transaction().execute(async (trx) => {
      await sql`SET LOCAL session_replication_role = replica`.execute(trx);
      await sql`UPDATE events SET data = jsonb_set(data, '{score,overall,score}', '4.99') WHERE event_id = ${event.eventId}`.execute(trx);
    });
    const report = await services.insights.verifyBenchmark({ modelKey: KEY, period: '2026', level: 'organisation', edition: 'latest' });
    expect(report.status).toBe('differences');
    expect(report.problems).toEqual([expect.objectContaining({ eventId: event.eventId, streamId: event.streamId, version: event.version, problem: expect.stringContaining('hash chain') })]);
    expect(report.differences.length).toBeGreaterThan(0);
    const failed = await verifyBenchmark(testConfig({ DATABASE_URL: database.url }), `${KEY}@2026`, {});
    expect(failed.exitCode).toBe(2);
    expect(failed.output).toContain(event.eventId);
    // Restored, the edition verifies again: the check is of the cited events as they are now.
    await database.db.transaction().execute(async (trx) => {
      await sql`SET LOCAL session_replication_role = replica`.execute(trx);
      await sql`UPDATE events SET data = ${JSON.stringify(original)}::jsonb WHERE event_id = ${event.eventId}`.execute(trx);
    });
    expect((await services.insights.verifyBenchmark({ modelKey: KEY, period: '2026', level: 'organisation', edition: 1 })).status).toBe('verified');
  });

  it('keeps a published edition as it was when a later recalculation moves the live benchmark', async () => {
    const before = await services.insights.benchmarks({ modelKey: KEY, period: '2026', groupBy: 'all', level: 'organisation', published: 1 });
    // 2027.1 comes with its crosswalk, and every closed assessment is rescored onto it.
    await services.catalogue.draft({ document: SHIPPED_MODELS['2027.1'] }, meta('admin'));
    await services.catalogue.setCrosswalk(KEY, '2027.1', SHIPPED_CROSSWALKS['2026.1->2027.1'], meta('admin'));
    await services.catalogue.publish(KEY, '2027.1', { legalBasis: 'AI-verordening', effectiveFrom: '2027-01-01' }, meta('admin'));
    const publication = (await store.readStream<ModelVersionEvent>(modelVersionStreamId(KEY, '2027.1'))).find((e) => e.type === 'ModelVersionPublished')!;
    if (publication.type !== 'ModelVersionPublished') throw new Error('2027.1 is published');
    const cause: RecalculationCause = { kind: 'model-published', publishedEventId: publication.eventId, from: `${KEY}@2026.1`, to: `${KEY}@2027.1`, crosswalkHash: publication.data.crosswalkHash };
    const recalculationId = await services.recalculations.start(cause, { key: KEY, version: '2027.1' }, { key: KEY, version: '2026.1' }, meta('system'));
    const closed = await database.db.selectFrom('events').select(sql<string>`data->>'assessmentId'`.as('id')).where('type', '=', 'AssessmentClosed').execute();
    for (const { id } of closed) await services.recalculations.recalculateOne(recalculationId, id, meta('system'));
    await catchUp();

    const live = await services.insights.benchmarks({ modelKey: KEY, period: '2026', groupBy: 'all', level: 'organisation' });
    expect(live.modelVersion).toBe('2027.1');
    const after = await services.insights.benchmarks({ modelKey: KEY, period: '2026', groupBy: 'all', level: 'organisation', published: 1 });
    expect(after).toEqual(before);
    expect(after.modelVersion).toBe('2026.1');
    expect(after.cells).not.toEqual(live.cells);
    expect(await services.insights.verifyBenchmark({ modelKey: KEY, period: '2026', level: 'organisation', edition: 1 })).toMatchObject({ status: 'verified', problems: [], differences: [] });

    // Publishing again makes a second edition, citing the recalculated scores; the first stays.
    const second = await services.insights.publishBenchmark({ modelKey: KEY, period: '2026', level: 'organisation' }, meta('admin'));
    expect(second).toMatchObject({ edition: 2, modelVersion: '2027.1', scoreEventsCited: 6 });
    const editions = await store.readStream<BenchmarkPublicationEvent>(second.streamId);
    expect(editions.map((e) => e.data.inputs[0].scoreEvents[0].type)).toEqual(['ScoreCalculated', 'ScoreRecalculated']);
    expect(await services.insights.benchmarks({ modelKey: KEY, period: '2026', groupBy: 'all', level: 'organisation', published: 1 })).toEqual(before);
    await expect(services.insights.benchmarks({ modelKey: KEY, period: '2026', groupBy: 'all', level: 'organisation', published: 3 })).rejects.toThrow(/published-benchmark/);
  });
});
