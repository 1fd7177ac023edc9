import { sql } from 'kysely';
import { createTestDatabase, projectionSpec, type GivenEvent, type TestDatabase } from '@maatlat/shared/testing';
import type { AssessmentEvent, ScoreResult } from '@maatlat/assessments/domain';
import { SHIPPED_CROSSWALKS, SHIPPED_MODELS } from '@maatlat/model-catalogue/domain';
import { trendsProjection, type InsightsEvent } from './trends.projection';

type Given = GivenEvent<AssessmentEvent>;
type Source = GivenEvent<InsightsEvent>;
const at = (day: number) => new Date(Date.UTC(2026, 4, day, 8));
const model2026 = { key: 'datagedreven-overheid', version: '2026.1', contentHash: 'hash-2026.1' };
const model2027 = { key: 'datagedreven-overheid', version: '2027.1', contentHash: 'hash-2027.1' };

function score(model: ScoreResult['model'], overall: number, f01: number): ScoreResult {
  return {
    algorithm: 'maatlat-scoring/v1',
    model,
    questions: [],
    factors: [{ factorId: 'F01', score: f01, stage: Math.floor(f01), spread: 0, byLayer: {}, derivation: null }],
    overall: { score: overall, stage: Math.floor(overall), derivation: null },
    strengths: [],
    attentionPoints: [],
    risks: [],
  };
}
const opened = (assessmentId: string, scope: Extract<Given, { type: 'AssessmentOpened' }>['data']['scope'], period: string): Given => ({
  type: 'AssessmentOpened',
  data: { assessmentId, organisationId: 'utrecht', scope, period, model: model2026, layers: ['strategic'], questionIds: ['F01-Q1'] },
  streamId: `assessment-${assessmentId}`,
  recordedAt: at(1),
});
const answered = (assessmentId: string): Given => ({
  type: 'AnswerRecorded',
  data: { respondentId: 'r-00000000000000a1', questionId: 'F01-Q1', answer: { level: 3 }, justification: null, evidence: [] },
  streamId: `assessment-${assessmentId}`,
});
const closed = (assessmentId: string): Given => ({ type: 'AssessmentClosed', data: { assessmentId }, streamId: `assessment-${assessmentId}`, recordedAt: at(20) });
const calculated = (assessmentId: string): Given => ({ type: 'ScoreCalculated', data: { score: score(model2026, 2.5, 3), answersUpToVersion: 2 }, streamId: `assessment-${assessmentId}`, recordedAt: at(20) });
const recalculated = (assessmentId: string): Given => ({
  type: 'ScoreRecalculated',
  data: {
    recalculationId: 'rc1',
    cause: { kind: 'model-published', publishedEventId: 'e1', from: 'datagedreven-overheid@2026.1', to: 'datagedreven-overheid@2027.1', crosswalkHash: 'cw' },
    previous: score(model2026, 2.5, 3),
    score: score(model2027, 2.25, 3),
    mapping: { from: 'datagedreven-overheid@2026.1', to: 'datagedreven-overheid@2027.1', crosswalkHash: 'cw', questions: {}, retired: [] },
    answersUpToVersion: 2,
  },
  streamId: `assessment-${assessmentId}`,
  recordedAt: at(25),
});

const base = {
  assessment_id: 'a-2026',
  organisation_id: 'utrecht',
  scope_kind: 'organisation',
  unit_id: null,
  chain_id: null,
  period: '2026',
  model_key: 'datagedreven-overheid',
  native_model_version: '2026.1',
};

describe('insights trends projection', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase({ maxConnections: 4 });
  });
  afterAll(() => database.drop());
  const spec = () => projectionSpec(trendsProjection, database);

  it('keeps an open assessment without a score, and the closing score once closed, citing its event', async () => {
    await spec()
      .given([opened('a-2026', { kind: 'organisation', organisationId: 'utrecht' }, '2026'), answered('a-2026'), opened('a-unit', { kind: 'unit', organisationId: 'utrecht', unitId: 'u1' }, '2026')])
      .thenRows('insights_trend_points', [
        { ...base, closed_at: null, score: null },
        { ...base, assessment_id: 'a-unit', scope_kind: 'unit', unit_id: 'u1', closed_at: null, score: null },
      ]);
    await spec()
      .given([opened('a-2026', { kind: 'organisation', organisationId: 'utrecht' }, '2026'), answered('a-2026'), closed('a-2026'), calculated('a-2026')])
      .thenRows('insights_trend_points', [
        {
          ...base,
          closed_at: at(20),
          score: {
            basis: 'closing',
            // Given events are not in the store, so there is no chain hash to cite here.
            event: { streamId: 'assessment-a-2026', version: 4, eventId: '00000000-0000-7000-8000-000000000004', hash: null, type: 'ScoreCalculated', recordedAt: at(20).toISOString() },
            algorithm: 'maatlat-scoring/v1',
            model: model2026,
            overall: { score: 2.5, stage: 2 },
            factors: [{ factorId: 'F01', score: 3, stage: 3 }],
            recalculationId: null,
            cause: null,
            mapping: null,
          },
        },
      ]);
  });

  it('lets the latest recalculation stand for the assessment, on the version it moved to', async () => {
    const rows = (await spec()
      .given([opened('a-2026', { kind: 'chain', chainId: 'c1' }, '2026'), answered('a-2026'), closed('a-2026'), calculated('a-2026'), recalculated('a-2026')])
      .thenRebuildEqualsIncremental('insights_trend_points', 3)) as { chain_id: string; scope_kind: string; score: { basis: string; model: unknown; event: { version: number }; recalculationId: string; overall: unknown } }[];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ scope_kind: 'chain', chain_id: 'c1', score: { basis: 'recalculated', model: model2027, event: { version: 5 }, recalculationId: 'rc1', overall: { score: 2.25, stage: 2 } } });
  });

  describe('peer scores for benchmarks', () => {
    const factorIds2026 = SHIPPED_MODELS['2026.1'].factors.map((f) => f.id);
    const modelStream = (version: string) => `modelversion-datagedreven-overheid@${version}`;
    const drafted = (version: '2026.1' | '2027.1'): Source => ({ type: 'ModelVersionDrafted', data: { key: 'datagedreven-overheid', version, document: SHIPPED_MODELS[version], source: { kind: 'document' } }, streamId: modelStream(version) });
    const published = (version: string, predecessor: string | null): Source => ({
      type: 'ModelVersionPublished',
      data: { key: 'datagedreven-overheid', version, contentHash: `hash-${version}`, legalBasis: 'Woo', effectiveFrom: '2026-01-01', predecessor, crosswalkHash: predecessor ? 'cw' : null },
      streamId: modelStream(version),
    });
    const registered = (organisationId: string, organisationType: 'municipality' | 'province', sizeBand: 'large' | 'small'): Source => ({
      type: 'OrganisationRegistered',
      data: { organisationId, name: organisationId, organisationType, sizeBand },
      streamId: `organisation-${organisationId}`,
    });
    const scored = (assessmentId: string, organisationId: string, unitId: string | null, overall: number, f01: number): Source[] => [
      { ...opened(assessmentId, unitId ? { kind: 'unit', organisationId, unitId } : { kind: 'organisation', organisationId }, '2026'), data: { ...opened(assessmentId, { kind: 'organisation', organisationId }, '2026').data, organisationId, scope: unitId ? { kind: 'unit', organisationId, unitId } : { kind: 'organisation', organisationId } } } as Source,
      closed(assessmentId) as Source,
      { ...(calculated(assessmentId) as Source), data: { score: score(model2026, overall, f01), answersUpToVersion: 2 } } as Source,
    ];
    const factors = (f01: number) => Object.fromEntries(factorIds2026.map((id) => [id, id === 'F01' ? f01 : null]));
    const history: Source[] = [
      drafted('2026.1'),
      published('2026.1', null),
      registered('utrecht', 'municipality', 'large'),
      ...scored('a-org', 'utrecht', null, 2.5, 3),
      ...scored('a-u1', 'utrecht', 'u1', 2, 2),
      ...scored('a-u2', 'utrecht', 'u2', 3, 4),
      registered('zeeland', 'province', 'small'),
      // A later assessment of the same scope in the period stands for it.
      ...scored('a-z1', 'zeeland', null, 1, 1),
      ...scored('a-z2', 'zeeland', null, 1.5, 2),
    ];
    const peerRows = () => (trx: Parameters<typeof trendsProjection.apply>[0]) =>
      trx.selectFrom('insights_peer_scores').select(['model_key', 'period', 'level', 'organisation_id', 'model_version', 'organisation_type', 'size_band', 'overall', 'factors', 'score_events']).orderBy('organisation_id').orderBy('level');

    it('keeps per organisation its comparable score, counting organisations at unit level, with the score events that went in', async () => {
      const rows = (await spec().given(history).thenRebuildEqualsIncremental(peerRows())) as { level: string; organisation_id: string; overall: number; factors: Record<string, number | null>; score_events: { streamId: string }[] }[];
      expect(rows.map((r) => [r.organisation_id, r.level, r.overall, r.factors.F01, r.score_events.map((e) => e.streamId)])).toEqual([
        ['utrecht', 'organisation', 2.5, 3, ['assessment-a-org']],
        ['utrecht', 'unit', 2.5, 3, ['assessment-a-u1', 'assessment-a-u2']],
        ['zeeland', 'organisation', 1.5, 2, ['assessment-a-z2']],
      ]);
      expect(rows[0]).toMatchObject({ model_key: 'datagedreven-overheid', period: '2026', model_version: '2026.1', organisation_type: 'municipality', size_band: 'large', factors: factors(3) });
      // Every split of the history into two batches ends where one batch does.
      for (const splitAt of [1, 3, 4, 7, 12]) await spec().given(history).thenRebuildEqualsIncremental('insights_peer_scores', splitAt);
    });

    it('follows a profile change and moves every score onto a newly published version through the crosswalk', async () => {
      const later: Source[] = [
        ...history,
        { type: 'OrganisationProfileChanged', data: { name: 'utrecht', organisationType: 'province', sizeBand: 'small' }, streamId: 'organisation-utrecht' },
        drafted('2027.1'),
        { type: 'ModelCrosswalkSet', data: { crosswalk: SHIPPED_CROSSWALKS['2026.1->2027.1'] }, streamId: modelStream('2027.1') },
        published('2027.1', 'datagedreven-overheid@2026.1'),
      ];
      const rows = (await spec().given(later).thenRebuildEqualsIncremental(peerRows(), history.length + 1)) as { organisation_id: string; model_version: string; organisation_type: string; factors: Record<string, number | null> }[];
      expect(rows.map((r) => [r.organisation_id, r.model_version, r.organisation_type])).toEqual([
        ['utrecht', '2027.1', 'province'],
        ['utrecht', '2027.1', 'province'],
        ['zeeland', '2027.1', 'province'],
      ]);
      expect(Object.keys(rows[0].factors)).toEqual(SHIPPED_MODELS['2027.1'].factors.map((f) => f.id));
      expect(rows[0].factors.F01).toBe(3);
      await spec().given(later).thenRebuildEqualsIncremental('insights_peer_scores', history.length + 2);
    });

    it('keeps beside the rows their digest per key, period, level and version, equal to one computed from the rows after every change', async () => {
      const later: Source[] = [
        ...history,
        { type: 'OrganisationProfileChanged', data: { name: 'utrecht', organisationType: 'province', sizeBand: 'small' }, streamId: 'organisation-utrecht' },
        ...scored('a-z3', 'zeeland', null, 3, 3),
        drafted('2027.1'),
        { type: 'ModelCrosswalkSet', data: { crosswalk: SHIPPED_CROSSWALKS['2026.1->2027.1'] }, streamId: modelStream('2027.1') },
        published('2027.1', 'datagedreven-overheid@2026.1'),
      ];
      // Rows in the kept digests that a digest computed from the peer scores does not have, and the other way round.
      const mismatches = () => (trx: Parameters<typeof trendsProjection.apply>[0]) =>
        trx
          .selectFrom(
            sql<{ model_key: string; period: string; level: string; model_version: string; organisations: number; hash_xor: string; side: string }>`(
              (SELECT model_key, period, level, model_version, organisations, hash_xor::text, 'kept' AS side FROM insights_peer_digests
                EXCEPT SELECT model_key, period, level, model_version, count(*)::int, bit_xor(row_hash)::text, 'kept' FROM insights_peer_scores GROUP BY 1, 2, 3, 4)
              UNION ALL
              (SELECT model_key, period, level, model_version, count(*)::int, bit_xor(row_hash)::text, 'rows' FROM insights_peer_scores GROUP BY 1, 2, 3, 4
                EXCEPT SELECT model_key, period, level, model_version, organisations, hash_xor::text, 'rows' FROM insights_peer_digests))`.as('m'),
          )
          .selectAll();
      for (const upTo of [history.length, history.length + 1, history.length + 4, later.length]) await spec().given(later.slice(0, upTo)).thenRows(mismatches(), []);
      for (const splitAt of [3, history.length + 1, history.length + 4]) await spec().given(later).thenRebuildEqualsIncremental('insights_peer_digests', splitAt);
      const kept = await spec().given(later).thenRebuildEqualsIncremental((trx) => trx.selectFrom('insights_peer_digests').selectAll().orderBy('level'));
      expect((kept as { model_version: string; level: string; organisations: number }[]).map((d) => [d.model_version, d.level, d.organisations])).toEqual([
        ['2027.1', 'organisation', 2],
        ['2027.1', 'unit', 1],
      ]);
    });

    it('counts no organisation without a published version or a profile', async () => {
      await spec()
        .given([registered('utrecht', 'municipality', 'large'), drafted('2026.1'), ...scored('a-org', 'utrecht', null, 2.5, 3)])
        .thenRows(peerRows(), []);
      const rows = (await spec()
        .given([registered('utrecht', 'municipality', 'large'), drafted('2026.1'), ...scored('a-org', 'utrecht', null, 2.5, 3), published('2026.1', null), ...scored('a-x', 'unregistered', null, 2, 2)])
        .thenRebuildEqualsIncremental(peerRows(), 4)) as { organisation_id: string }[];
      expect(rows.map((r) => r.organisation_id)).toEqual(['utrecht']);
    });
  });
});
