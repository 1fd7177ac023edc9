import { createHash, randomUUID } from 'node:crypto';
import type { CommandMetadata } from '@maatlat/shared/domain';
import { PostgresEventStore } from '@maatlat/shared/event-store';
import { createTestDatabase, testConfig, type TestDatabase } from '@maatlat/shared/testing';
import { ModelCatalogue } from '@maatlat/model-catalogue/data-access';
import { SHIPPED_MODELS } from '@maatlat/model-catalogue/domain';
import { Organisations } from '@maatlat/organisations/data-access';
import { PersonalDataVault, Respondents } from '@maatlat/respondents/data-access';
import { assessmentsFeature } from '@maatlat/assessments/feature';
import { insightsFeature } from '@maatlat/insights/feature';
import { ProjectionRunner } from '@maatlat/shared/event-store';
import { eventStoreFeature, projectionsOf, type FeatureManifest } from '@maatlat/shared/features';
import { OpenData, type CheckpointCopy } from './open-data';

const KEY = 'datagedreven-overheid';
const meta = (actor = 'coordinator-cor'): CommandMetadata => ({ now: new Date(), actor, correlationId: randomUUID() });
const CC0 = 'http://creativecommons.org/publicdomain/zero/1.0/';
const BZK = 'https://identifier.overheid.nl/tooi/id/ministerie/mnre1034';

describe('Woo open data', () => {
  let database: TestDatabase;
  let openData: OpenData;
  let store: PostgresEventStore;
  const assessmentsOf: { organisationId: string; assessmentId: string }[] = [];
  const respondentIds: string[] = [];
  let openAssessment: string;
  let publishBenchmark: () => Promise<{ edition: number; eventId: string }>;
  const checkpoints: CheckpointCopy[] = [{ statement: { sequence: 1 }, signature: 'sig' }];

  beforeAll(async () => {
    database = await createTestDatabase({ maxConnections: 6 });
    store = new PostgresEventStore(database.db, database.pool);
    const config = testConfig({ DATABASE_URL: database.url });
    const catalogue = new ModelCatalogue(database.db, store);
    const organisations = new Organisations(database.db, store);
    const vault = PersonalDataVault.fromConfig(database.db, config);
    const respondents = new Respondents(database.db, store, vault);
    const { assessments } = assessmentsFeature.createServices(database.db, store, config, { catalogue, organisations, respondents, vault });
    await catalogue.draft({ document: SHIPPED_MODELS['2026.1'] }, meta('admin'));
    await catalogue.publish(KEY, '2026.1', { legalBasis: 'Woo', effectiveFrom: '2026-01-01' }, meta('admin'));
    const questions = SHIPPED_MODELS['2026.1'].factors.flatMap((f) => f.questions.map((q) => q.id));
    for (let o = 0; o < 6; o++) {
      const { organisationId } = await organisations.register({ name: `Gemeente Open ${o}`, organisationType: 'municipality', sizeBand: 'medium' }, meta('admin'));
      const { assessmentId } = await assessments.open({ organisationId, scope: { kind: 'organisation', organisationId }, period: '2026', model: { key: KEY, version: '2026.1' }, layers: ['strategic'] }, meta());
      const { respondentId } = await respondents.register(organisationId, { name: `Persoon ${o}`, email: `p${o}@open.example.nl` }, meta());
      respondentIds.push(respondentId);
      await assessments.invite(assessmentId, respondentId, 'strategic', meta());
      await assessments.recordAnswers(assessmentId, respondentId, questions.map((questionId, q) => ({ questionId, answer: { level: (o + q) % 6 } })), meta(respondentId), { submit: true });
      await assessments.close(assessmentId, meta());
      assessmentsOf.push({ organisationId, assessmentId });
    }
    const { insights } = insightsFeature.createServices(database.db, store, config, { catalogue, organisations });
    publishBenchmark = async () => {
      await new ProjectionRunner(database.db, database.pool, store, projectionsOf([eventStoreFeature, assessmentsFeature, insightsFeature] as FeatureManifest[])).catchUp();
      return insights.publishBenchmark({ modelKey: KEY, period: '2026', level: 'organisation' }, meta('admin'));
    };
    openAssessment = (await assessments.open({ organisationId: assessmentsOf[0].organisationId, scope: { kind: 'organisation', organisationId: assessmentsOf[0].organisationId }, period: '2027', model: { key: KEY, version: '2026.1' }, layers: ['strategic'] }, meta())).assessmentId;
    openData = new OpenData(database.db, store, { licence: CC0, publisher: { name: 'Ministerie van BZK', uri: BZK }, minGroup: 5, baseUrl: 'https://maatlat.example/open-data', checkpoints: {
        all: async () => ({ checkpoints: [...checkpoints], keys: [{ kid: 'c1' }] }),
        latestSequence: async () => checkpoints.at(-1)?.statement.sequence ?? null,
      },
    });
  });
  afterAll(() => database.drop());

  it('a checkpoint alone makes no dataset: a platform that published nothing has none', async () => {
    await expect(openData.refresh()).resolves.toEqual({ skipped: 'no-dataset' });
    await expect(openData.summary()).rejects.toMatchObject({ code: 'open-data-version.not-found' });
  });

  it('a coordinator publishes an assessment: an event with who and when, and a new dataset version', async () => {
    const { organisationId, assessmentId } = assessmentsOf[0];
    const published = await openData.publish(organisationId, assessmentId, meta('coordinator-ada'));
    expect(published).toMatchObject({ assessmentId, organisationId, status: 'published', datasetVersion: 1 });
    const [event] = await store.readStream(`publication-${assessmentId}`);
    expect(event).toMatchObject({ type: 'AssessmentResultsPublished', metadata: { actor: 'coordinator-ada', tenantId: organisationId } });
    const csv = (await openData.file('results.csv')).content.split('\r\n');
    expect(csv[0]).toBe('assessment_id,organisation_id,organisation_name,organisation_type,size_band,scope_kind,unit_id,chain_id,period,model_key,model_version,scoring_algorithm,factor_id,score,stage');
    expect(csv.filter((l) => l.startsWith(assessmentId))).toHaveLength(13);
    expect(csv[1]).toMatch(new RegExp(`^${assessmentId},${organisationId},Gemeente Open 0,municipality,medium,organisation,,,2026,${KEY},2026.1,maatlat-scoring/v1,overall,\\d`));
  });

  it('refuses an assessment that is not scored, and one of another organisation (as absent)', async () => {
    await expect(openData.publish(assessmentsOf[0].organisationId, openAssessment, meta())).rejects.toMatchObject({ code: 'publication.not-scored' });
    await expect(openData.publish(assessmentsOf[1].organisationId, assessmentsOf[0].assessmentId, meta())).rejects.toMatchObject({ code: 'assessment.not-found' });
    await expect(openData.publish(assessmentsOf[0].organisationId, assessmentsOf[0].assessmentId, meta())).rejects.toMatchObject({ code: 'publication.already-published' });
  });

  it('benchmarks appear only for groups of at least k organisations', async () => {
    for (const { organisationId, assessmentId } of assessmentsOf.slice(1, 4)) await openData.publish(organisationId, assessmentId, meta());
    expect((await openData.file('benchmarks.csv')).content).toBe('model_key,model_version,period,group_by,group_value,factor_id,organisations,p10,p25,p50,p75,p90\r\n');
    await openData.publish(assessmentsOf[4].organisationId, assessmentsOf[4].assessmentId, meta());
    const rows = (await openData.file('benchmarks.csv')).content.trim().split('\r\n').slice(1);
    expect(rows).toContainEqual(expect.stringMatching(new RegExp(`^${KEY},2026\\.1,2026,all,all,overall,5,`)));
    expect(rows).toContainEqual(expect.stringMatching(new RegExp(`^${KEY},2026\\.1,2026,sizeBand,medium,F01,5,`)));
    const json = JSON.parse((await openData.file('dataset.json')).content);
    expect(json.results).toHaveLength(5);
    expect(json.benchmarks.every((b: { cell: { overall: unknown } }) => b.cell.overall !== undefined)).toBe(true);
  });

  it('DCAT-AP metadata: Dutch and English, licence, temporal coverage, distributions with size and SHA-256, models as standards', async () => {
    const summary = await openData.summary();
    const metadata = (await openData.metadata()) as Record<string, any>;
    expect(metadata['@type']).toBe('dcat:Dataset');
    expect(metadata['dct:identifier']).toBe(summary.contentId);
    expect(metadata['dct:title'].map((t: { '@language': string }) => t['@language'])).toEqual(['nl', 'en']);
    expect(metadata['dct:description'][0]['@value']).toContain('Geen gegevens over respondenten');
    expect(metadata['dct:license']).toEqual({ '@id': CC0 });
    expect(metadata['dct:publisher']).toEqual({ '@id': BZK, '@type': 'foaf:Agent', 'foaf:name': 'Ministerie van BZK' });
    expect(metadata['dct:temporal']).toMatchObject({ 'dcat:startDate': { '@value': '2026-01-01' }, 'dcat:endDate': { '@value': '2026-12-31' } });
    expect(metadata['dct:conformsTo']).toEqual([expect.objectContaining({ '@id': `urn:maatlat:model:${KEY}:2026.1`, '@type': 'dct:Standard' })]);
    for (const name of ['results.csv', 'benchmarks.csv', 'dataset.json', 'checkpoints.json']) {
      const file = await openData.file(name);
      const distribution = metadata['dcat:distribution'].find((d: { 'dct:title': string }) => d['dct:title'] === name);
      expect(distribution['dcat:byteSize']['@value']).toBe(String(Buffer.byteLength(file.content)));
      expect(distribution['spdx:checksum']['spdx:checksumValue']['@value']).toBe(createHash('sha256').update(file.content).digest('hex'));
    }
    expect(JSON.parse((await openData.file('checkpoints.json')).content)).toEqual({ checkpoints: [{ statement: { sequence: 1 }, signature: 'sig' }], keys: [{ kid: 'c1' }] });
  });

  it('nothing about respondents', async () => {
    const all = await Promise.all(['results.csv', 'benchmarks.csv', 'dataset.json'].map(async (name) => (await openData.file(name)).content));
    for (const id of respondentIds) expect(all.join('\n')).not.toContain(id);
    expect(all.join('\n')).not.toMatch(/Persoon|open\.example\.nl|sources|respondent/i);
  });

  it('a withdrawal makes a new version without it; older versions stay as they were; no change, no version', async () => {
    const before = await openData.summary();
    const { organisationId, assessmentId } = assessmentsOf[2];
    const withdrawn = await openData.withdraw(organisationId, assessmentId, meta());
    expect(withdrawn).toMatchObject({ status: 'withdrawn', datasetVersion: before.version + 1 });
    expect((await openData.file('results.csv')).content).not.toContain(assessmentId);
    expect((await openData.file('results.csv', before.version)).content).toContain(assessmentId);
    expect((await openData.summary(before.contentId)).version).toBe(before.version);
    expect((await openData.buildVersion()).version).toBe(before.version + 1);
    expect((await openData.versions()).map((v) => v.version)).toEqual([6, 5, 4, 3, 2, 1]);
    await expect(openData.withdraw(organisationId, assessmentId, meta())).rejects.toMatchObject({ code: 'publication.not-published' });
  });

  it('a checkpoint recorded after the latest version gets a version that carries it; the look after that changes nothing', async () => {
    const before = await openData.summary();
    await expect(openData.refresh()).resolves.toEqual({ skipped: 'unchanged' });
    checkpoints.push({ statement: { sequence: 2 }, signature: 'sig-2' });
    const refreshed = await openData.refresh();
    expect(refreshed).toMatchObject({ recorded: { version: before.version + 1 } });
    expect(JSON.parse((await openData.file('checkpoints.json')).content).checkpoints.map((c: CheckpointCopy) => c.statement.sequence)).toEqual([1, 2]);
    expect(JSON.parse((await openData.file('checkpoints.json', before.version)).content).checkpoints.map((c: CheckpointCopy) => c.statement.sequence)).toEqual([1]);
    // The results stay as they were: only the checkpoints moved.
    expect((await openData.file('results.csv')).content).toBe((await openData.file('results.csv', before.version)).content);
    await expect(openData.refresh()).resolves.toEqual({ skipped: 'unchanged' });
    expect((await openData.buildVersion()).version).toBe(before.version + 1);
  });

  it('a published benchmark edition goes in: its shown figures with model, period, level and edition, never what went into it', async () => {
    const before = await openData.summary();
    const published = await publishBenchmark();
    const version = await openData.buildVersion();
    expect(version.version).toBe(before.version + 1);
    expect(version.files.map((f) => f.name)).toContain('benchmark-editions.csv');
    const rows = (await openData.file('benchmark-editions.csv')).content.trim().split('\r\n');
    expect(rows[0]).toBe('model_key,model_version,period,level,edition,published_at,group_by,group_value,factor_id,organisations,p10,p25,p50,p75,p90');
    // Every scored organisation of the period went into the edition (six), published in the Woo sense or not.
    expect(rows).toContainEqual(expect.stringMatching(new RegExp(`^${KEY},2026\\.1,2026,organisation,${published.edition},\\d{4}-\\d\\d-\\d\\dT[^,]+,all,all,overall,6,`)));
    expect(JSON.parse((await openData.file('dataset.json')).content).benchmarkEditions).toContainEqual(
      expect.objectContaining({ model: { key: KEY, version: '2026.1' }, period: '2026', level: 'organisation', edition: published.edition, minGroup: 5 }),
    );
    // Nothing of the inputs: not the organisations that never published, not the score events cited.
    const everything = (await Promise.all(version.files.map(async (f) => (await openData.file(f.name)).content))).join('\n');
    expect(everything).not.toContain(assessmentsOf[5].organisationId);
    expect(everything).not.toContain(assessmentsOf[5].assessmentId);
    expect(everything).not.toContain(published.eventId);
    const metadata = (await openData.metadata()) as { 'dcat:distribution': { 'dct:title': string; 'dct:description': { '@value': string }[] }[] };
    expect(metadata['dcat:distribution'].find((d) => d['dct:title'] === 'benchmark-editions.csv')?.['dct:description'].map((d) => d['@value'])).toHaveLength(2);
    // The older version stays as it was; nothing new, no new version.
    expect((await openData.file('benchmark-editions.csv', before.version)).content).toBe(`${rows[0]}\r\n`);
    expect((await openData.buildVersion()).version).toBe(version.version);
  });
});
