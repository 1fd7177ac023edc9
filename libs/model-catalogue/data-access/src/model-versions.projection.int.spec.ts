import { createTestDatabase, projectionSpec, type GivenEvent, type TestDatabase } from '@maatlat/shared/testing';
import { SHIPPED_CROSSWALKS, SHIPPED_MODELS, type ModelDocument, type ModelVersionEvent } from '@maatlat/model-catalogue/domain';
import { modelVersionsProjection } from './model-versions.projection';

const at = (day: number) => new Date(Date.UTC(2026, 0, day, 12));
const KEY = 'datagedreven-overheid';
const stream = (version: string) => `modelversion-${KEY}@${version}`;
const editor = { actor: 'redacteur-rik' };
const admin = { actor: 'beheerder-bea' };

const model2026 = SHIPPED_MODELS['2026.1'];
// The first three factors only (3 + 3 + 4 questions), under another title.
const trimmed: ModelDocument = { ...model2026, title: { nl: 'Concept', en: 'Draft' }, factors: model2026.factors.slice(0, 3) };

type Given = GivenEvent<ModelVersionEvent>;
const drafted = (document: ModelDocument, recordedAt: Date): Given => ({
  type: 'ModelVersionDrafted',
  data: { key: KEY, version: document.version, document, source: { kind: 'document' } },
  streamId: stream(document.version),
  recordedAt,
  metadata: editor,
});
const revised: Given = { type: 'ModelDraftRevised', data: { document: trimmed }, streamId: stream('2026.1'), recordedAt: at(2), metadata: editor };
const published = (version: string, predecessor: string | null, recordedAt: Date): Given => ({
  type: 'ModelVersionPublished',
  data: { key: KEY, version, contentHash: `hash-of-${version}`, legalBasis: 'Woo; AVG', effectiveFrom: `${version.slice(0, 4)}-01-01`, predecessor, crosswalkHash: predecessor && `crosswalk-hash-of-${version}` },
  streamId: stream(version),
  recordedAt,
  metadata: admin,
});
const retired: Given = { type: 'ModelVersionRetired', data: { key: KEY, version: '2026.1' }, streamId: stream('2026.1'), recordedAt: at(20), metadata: admin };
const crosswalkSet: Given = { type: 'ModelCrosswalkSet', data: { crosswalk: SHIPPED_CROSSWALKS['2026.1->2027.1'] }, streamId: stream('2027.1'), recordedAt: at(12), metadata: editor };

const draftRow = {
  key: KEY,
  version: '2026.1',
  status: 'draft',
  title: { nl: 'Volwassenheidsmodel datagedreven overheid', en: 'Maturity model for data-driven government' },
  content_hash: null,
  legal_basis: null,
  effective_from: null,
  predecessor: null,
  factor_count: 12,
  question_count: 41,
  drafted_at: at(1),
  drafted_by: 'redacteur-rik',
  published_at: null,
  published_by: null,
  retired_at: null,
  retired_by: null,
  updated_at: at(1),
};

describe('model versions projection', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase({ maxConnections: 4 });
  });
  afterAll(() => database.drop());
  const spec = () => projectionSpec(modelVersionsProjection, database);

  it('lists a drafted version with its title, factor and question counts and who drafted it', async () => {
    await spec().given([drafted(model2026, at(1))]).thenRows('model_versions', [draftRow]);
  });

  it('recounts factors and questions and takes the new title when a draft is revised', async () => {
    await spec()
      .given([drafted(model2026, at(1)), revised])
      .thenRows('model_versions', [{ ...draftRow, title: { nl: 'Concept', en: 'Draft' }, factor_count: 3, question_count: 10, updated_at: at(2) }]);
  });

  it('records the hash, legal basis, effective date, predecessor and publisher on publication', async () => {
    await spec()
      .given([drafted(model2026, at(1)), published('2026.1', null, at(3)), drafted(SHIPPED_MODELS['2027.1'], at(10)), crosswalkSet, published('2027.1', `${KEY}@2026.1`, at(15))])
      .thenRows('model_versions', [
        { ...draftRow, status: 'published', content_hash: 'hash-of-2026.1', legal_basis: 'Woo; AVG', effective_from: '2026-01-01', published_at: at(3), published_by: 'beheerder-bea', updated_at: at(3) },
        {
          ...draftRow,
          version: '2027.1',
          status: 'published',
          factor_count: 13,
          question_count: 44,
          drafted_at: at(10),
          content_hash: 'hash-of-2027.1',
          legal_basis: 'Woo; AVG',
          effective_from: '2027-01-01',
          predecessor: `${KEY}@2026.1`,
          published_at: at(15),
          published_by: 'beheerder-bea',
          updated_at: at(15),
        },
      ]);
  });

  it('touches only updated_at when a crosswalk is set on a draft', async () => {
    await spec()
      .given([drafted(SHIPPED_MODELS['2027.1'], at(10)), crosswalkSet])
      .thenRows((trx) => trx.selectFrom('model_versions').select(['version', 'status', 'predecessor', 'drafted_at', 'updated_at']), [
        { version: '2027.1', status: 'draft', predecessor: null, drafted_at: at(10), updated_at: at(12) },
      ]);
  });

  it('marks a retired version retired with who and when, keeping what its publication recorded', async () => {
    await spec()
      .given([drafted(model2026, at(1)), published('2026.1', null, at(3)), retired])
      .thenRows('model_versions', [
        {
          ...draftRow,
          status: 'retired',
          content_hash: 'hash-of-2026.1',
          legal_basis: 'Woo; AVG',
          effective_from: '2026-01-01',
          published_at: at(3),
          published_by: 'beheerder-bea',
          retired_at: at(20),
          retired_by: 'beheerder-bea',
          updated_at: at(20),
        },
      ]);
  });

  it('rebuilds to the rows it reached live', async () => {
    const rows = await spec()
      .given([drafted(model2026, at(1)), revised, drafted(SHIPPED_MODELS['2027.1'], at(10)), published('2026.1', null, at(11)), crosswalkSet, retired])
      .thenRebuildEqualsIncremental('model_versions', 3);
    expect(rows).toMatchObject([
      { version: '2026.1', status: 'retired', factor_count: 3 },
      { version: '2027.1', status: 'draft', factor_count: 13 },
    ]);
  });
});
