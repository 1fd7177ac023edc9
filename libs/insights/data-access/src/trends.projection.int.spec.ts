import { createTestDatabase, projectionSpec, type GivenEvent, type TestDatabase } from '@maatlat/shared/testing';
import type { AssessmentEvent, ScoreResult } from '@maatlat/assessments/domain';
import { trendsProjection } from './trends.projection';

type Given = GivenEvent<AssessmentEvent>;
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
});
