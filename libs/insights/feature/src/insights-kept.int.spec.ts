import { randomUUID } from 'node:crypto';
import { createTestDatabase, testConfig, type TestDatabase } from '@maatlat/shared/testing';
import { PostgresEventStore, ProjectionRunner } from '@maatlat/shared/event-store';
import { composeServices, eventStoreFeature, projectionsOf, type ServicesOf } from '@maatlat/shared/features';
import type { CommandMetadata } from '@maatlat/shared/domain';
import { SHIPPED_MODELS } from '@maatlat/model-catalogue/domain';
import { modelCatalogueFeature } from '@maatlat/model-catalogue/feature';
import { organisationsFeature } from '@maatlat/organisations/feature';
import { respondentsFeature } from '@maatlat/respondents/feature';
import { assessmentsFeature } from '@maatlat/assessments/feature';
import { insightsFeature } from './insights.feature';

/** The features insights stand on, in the order the apps compose them. */
const FEATURES = [eventStoreFeature, modelCatalogueFeature, organisationsFeature, respondentsFeature, assessmentsFeature, insightsFeature] as const;

const KEY = 'datagedreven-overheid';
const meta = (actor: string): CommandMetadata => ({ now: new Date(), actor, correlationId: randomUUID() });

describe('insights computed ahead of reads', () => {
  let database: TestDatabase;
  let services: ServicesOf<typeof FEATURES>;
  let store: PostgresEventStore;
  const catchUp = () => new ProjectionRunner(database.db, database.pool, store, projectionsOf(FEATURES)).catchUp();
  const fresh = () => composeServices(FEATURES, database.db, store, testConfig({ DATABASE_URL: database.url }));

  /** A closed assessment of a small municipality: every respondent answers `level` everywhere, two respondents. */
  async function scored(organisationId: string, period: string, level: number): Promise<void> {
    const { assessmentId } = await services.assessments.open({ organisationId, scope: { kind: 'organisation', organisationId }, period, model: { key: KEY, version: '2026.1' }, layers: ['tactical'] }, meta('coordinator'));
    for (const r of [0, 1]) {
      const { respondentId } = await services.respondents.register(organisationId, { name: `R ${period} ${r}`, email: `r${r}-${period}-${organisationId}@example.nl` }, meta('coordinator'));
      await services.assessments.invite(assessmentId, respondentId, 'tactical', meta('coordinator'));
      const answers = SHIPPED_MODELS['2026.1'].factors.flatMap((f) => f.questions.map((q, i) => ({ questionId: q.id, answer: { level: Math.min(5, level + ((i + r) % 2)) } })));
      await services.assessments.recordAnswers(assessmentId, respondentId, answers, meta(respondentId), { submit: true });
    }
    await services.assessments.close(assessmentId, meta('coordinator'));
  }
  const municipality = async (index: number) =>
    (await services.organisations.register({ name: `Gemeente Kept ${index}`, organisationType: 'municipality', sizeBand: 'small' }, meta('admin'))).organisationId;

  beforeAll(async () => {
    database = await createTestDatabase({ maxConnections: 6 });
    store = new PostgresEventStore(database.db, database.pool);
    services = fresh();
    await services.catalogue.draft({ document: SHIPPED_MODELS['2026.1'] }, meta('admin'));
    await services.catalogue.publish(KEY, '2026.1', { legalBasis: 'Woo', effectiveFrom: '2026-01-01' }, meta('admin'));
  });
  afterAll(() => database.drop());

  it('keeps the changes of a line when asked ahead, and a read elsewhere serves the same trend from them', async () => {
    const organisationId = await municipality(0);
    await scored(organisationId, '2025', 1);
    await scored(organisationId, '2026', 3);
    await catchUp();
    const points = await database.db.selectFrom('insights_trend_points').select('assessment_id').where('organisation_id', '=', organisationId).execute();
    // As the worker's reaction asks for them: in the background.
    services.insights.precomputeChangesLater(points.map((p) => p.assessment_id));
    await services.insights.changesAhead();
    const kept = await database.db.selectFrom('insights_changes').select(['change']).execute();
    expect(kept).toHaveLength(1);
    expect(kept[0].change).toMatchObject({ iterations: 400, overall: { label: 'improved' } });

    const reader = fresh();
    const served = await reader.insights.organisationTrends(organisationId);
    // Computed again from the answers, the same numbers: the kept change is what a read would compute.
    await database.db.deleteFrom('insights_changes').execute();
    const recomputed = await fresh().insights.organisationTrends(organisationId);
    expect(served).toEqual(recomputed);
    expect(served.series[0].points[1].changeSincePrevious).toEqual(kept[0].change);
  });

  it('serves benchmark figures that follow a score landing, though the peer scores are kept between reads', async () => {
    const ids: string[] = [];
    for (let i = 1; i <= 5; i++) {
      ids.push(await municipality(i));
      await scored(ids[ids.length - 1], '2026', 1 + (i % 4));
    }
    await catchUp();
    const read = async () => (await services.insights.benchmarks({ modelKey: KEY, period: '2026', groupBy: 'all', level: 'organisation' })).cells[0].overall;
    expect(await read()).toMatchObject({ status: 'shown', organisations: 6 });
    await scored(await municipality(6), '2026', 5);
    expect(await read()).toMatchObject({ organisations: 6 });
    await catchUp();
    expect(await read()).toMatchObject({ status: 'shown', organisations: 7 });
    // The same figures and position as a process that kept nothing computes.
    const query = { modelKey: KEY, period: '2026', groupBy: 'organisationType' as const, level: 'organisation' as const };
    expect(await services.insights.benchmarks(query)).toEqual(await fresh().insights.benchmarks(query));
    expect(await services.insights.benchmarkPosition(ids[0], query)).toEqual(await fresh().insights.benchmarkPosition(ids[0], query));
  });
});
