import { randomUUID } from 'node:crypto';
import type { CommandMetadata } from '@maatlat/shared/domain';
import { PostgresEventStore, ProjectionRunner, resetProjection, type Projection, type RecordedEvent } from '@maatlat/shared/event-store';
import { reactionsOf } from '@maatlat/shared/features';
import { createTestDatabase, testConfig, type TestDatabase } from '@maatlat/shared/testing';
import { ModelCatalogue } from '@maatlat/model-catalogue/data-access';
import { documentHash, modelVersionStreamId, SHIPPED_CROSSWALKS, SHIPPED_MODELS, type ModelVersionEvent } from '@maatlat/model-catalogue/domain';
import { Organisations } from '@maatlat/organisations/data-access';
import { PersonalDataVault, Respondents } from '@maatlat/respondents/data-access';
import { assessmentStreamId, recalculationStreamId, type AssessmentEvent, type RecalculationEvent } from '@maatlat/assessments/domain';
import { assessmentsFeature, type AssessmentsServices } from './assessments.feature';
import { recalculationTrigger } from './recalculation-trigger';

const KEY = 'datagedreven-overheid';
const metadata = (actor: string): CommandMetadata => ({ now: new Date(), actor, correlationId: randomUUID() });
const admin = () => metadata('beheerder-bea');
const coordinator = () => metadata('coordinator-cor');

/**
 * The reaction as the worker runs it: checkpointed over the log, one catch-up after another. What
 * it does is read back from the log and the outbox: the recalculations it started or added to, and
 * the rescoring jobs they queued.
 */
describe('recalculationTrigger, run over the log', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let services: AssessmentsServices;
  let catalogue: ModelCatalogue;
  let organisationId: string;
  let respondentId: string;
  let reaction: Projection;
  let runner: ProjectionRunner;
  const catchUp = () => runner.catchUp(recalculationTrigger.name);

  const recalculationStreams = async () =>
    (await database.db.selectFrom('streams').select('stream_id').where('category', '=', 'recalculation').orderBy('stream_id').execute()).map((s) => s.stream_id);
  const recalculationEvents = async () => (await Promise.all((await recalculationStreams()).map((id) => store.readStream<RecalculationEvent>(id)))).flat();
  const rescoringJobs = () =>
    database.db.selectFrom('outbox').select(['job_id', 'job_name', 'payload', 'caused_by_event_id']).where('job_name', '=', 'assessment.recalculate').orderBy('id').execute();
  const closeEventOf = async (assessmentId: string) => (await store.readStream<AssessmentEvent>(assessmentStreamId(assessmentId))).find((e) => e.type === 'AssessmentClosed')!;

  /** An assessment of the organisation on `version`, answered by one respondent; closed unless asked not to. */
  async function assessment(period: string, version: string, { close = true } = {}): Promise<string> {
    const { assessmentId } = await services.assessments.open(
      { organisationId, scope: { kind: 'organisation', organisationId }, period, model: { key: KEY, version }, layers: ['strategic'] },
      coordinator(),
    );
    await services.assessments.invite(assessmentId, respondentId, 'strategic', coordinator());
    await services.assessments.recordAnswers(assessmentId, respondentId, [{ questionId: 'F01-Q1', answer: { level: 2 } }], metadata(respondentId));
    if (close) await services.assessments.close(assessmentId, coordinator());
    return assessmentId;
  }

  beforeAll(async () => {
    database = await createTestDatabase({ maxConnections: 6 });
    store = new PostgresEventStore(database.db, database.pool);
    services = assessmentsFeature.createServices(database.db, store, testConfig({ DATABASE_URL: database.url }));
    reaction = reactionsOf([assessmentsFeature], services).find((r) => r.name === recalculationTrigger.name)!;
    runner = new ProjectionRunner(database.db, database.pool, store, [reaction]);
    catalogue = new ModelCatalogue(database.db, store);
    await catalogue.draft({ document: SHIPPED_MODELS['2026.1'] }, admin());
    await catalogue.publish(KEY, '2026.1', { legalBasis: 'Woo; AVG', effectiveFrom: '2026-01-01' }, admin());
    await catalogue.draft({ document: SHIPPED_MODELS['2027.1'] }, admin());
    organisationId = (await new Organisations(database.db, store).register({ name: 'Gemeente Trigger', organisationType: 'municipality', sizeBand: 'small' }, admin())).organisationId;
    const respondents = new Respondents(database.db, store, PersonalDataVault.fromConfig(database.db, testConfig()));
    respondentId = (await respondents.register(organisationId, { name: 'Sanne Bakker', email: 'sanne@trigger.example.nl' }, coordinator())).respondentId;
  });
  afterAll(() => database.drop());

  let closedBefore: string;
  let openAtPublication: string;
  let published: RecordedEvent<ModelVersionEvent>;
  let recalculationId: string;

  it('starts nothing for a first version (no predecessor), nor for a close with no recalculation of its version', async () => {
    closedBefore = await assessment('2026-Q1', '2026.1');
    openAtPublication = await assessment('2026-Q2', '2026.1', { close: false });
    expect(await catchUp()).toBeGreaterThan(0);
    expect(await recalculationStreams()).toEqual([]);
    expect(await rescoringJobs()).toEqual([]);
  });

  it("starts one recalculation of the predecessor's closed assessments when a version is published with a crosswalk, with one rescoring job each", async () => {
    await catalogue.setCrosswalk(KEY, '2027.1', SHIPPED_CROSSWALKS['2026.1->2027.1'], admin());
    await catalogue.publish(KEY, '2027.1', { legalBasis: 'Woo; AVG', effectiveFrom: '2027-01-01' }, admin());
    published = (await store.readStream<ModelVersionEvent>(modelVersionStreamId(KEY, '2027.1'))).find((e) => e.type === 'ModelVersionPublished')!;
    await catchUp();

    const [started, ...rest] = await recalculationEvents();
    expect(rest).toEqual([]);
    if (started?.type !== 'RecalculationStarted') throw new Error(`a recalculation started, not ${started?.type}`);
    recalculationId = started.data.recalculationId;
    expect(started.streamId).toBe(recalculationStreamId(recalculationId));
    expect(started.data).toEqual({
      recalculationId,
      cause: { kind: 'model-published', publishedEventId: published.eventId, from: `${KEY}@2026.1`, to: `${KEY}@2027.1`, crosswalkHash: documentHash(SHIPPED_CROSSWALKS['2026.1->2027.1']) },
      assessmentIds: [closedBefore],
      target: { key: KEY, version: '2027.1' },
    });
    // Recorded by the platform, caused by the publication, in the publication's correlation.
    expect(started.metadata).toMatchObject({ actor: 'system:recalculation', causationId: published.eventId, correlationId: published.metadata.correlationId });
    expect(await rescoringJobs()).toEqual([
      { job_id: `${started.eventId}_assessment.recalculate_${closedBefore}`, job_name: 'assessment.recalculate', payload: { recalculationId, assessmentId: closedBefore }, caused_by_event_id: started.eventId },
    ]);
  });

  it("adds an assessment of the predecessor closed after the start, with a job of its own; a close on another version is added nowhere", async () => {
    const onSuccessor = await assessment('2027', '2027.1');
    await services.assessments.close(openAtPublication, coordinator());
    await catchUp();

    const included = (await recalculationEvents()).filter((e) => e.type === 'RecalculationIncluded');
    expect(included.map((e) => [e.streamId, e.data])).toEqual([[recalculationStreamId(recalculationId), { assessmentId: openAtPublication }]]);
    const closed = await closeEventOf(openAtPublication);
    expect(included[0].metadata).toMatchObject({ actor: 'system:recalculation', causationId: closed.eventId, correlationId: closed.metadata.correlationId });
    expect((await rescoringJobs()).map((j) => j.payload)).toEqual([
      { recalculationId, assessmentId: closedBefore },
      { recalculationId, assessmentId: openAtPublication },
    ]);
    expect(JSON.stringify(await recalculationEvents())).not.toContain(onSuccessor);
  });

  it('run again over the same events (a crash before its checkpoint moved), starts and adds nothing twice', async () => {
    const events = await recalculationEvents();
    const jobs = await rescoringJobs();
    await resetProjection(database.db, reaction);
    expect(await catchUp()).toBeGreaterThan(0);
    expect(await recalculationEvents()).toEqual(events);
    expect(await rescoringJobs()).toEqual(jobs);
  });
});
