import type { Crosswalk, ModelDocument } from '@maatlat/model-catalogue/domain';
import { comparableScore, crosswalkChain, mapAcross, type CrosswalkLink } from './comparability';
import type { TrendPoint } from './trend-point';

const text = { nl: 'x', en: 'x' };
function model(version: string, factors: [string, number, [string, number][]][]): ModelDocument {
  return {
    key: 'm',
    version,
    title: text,
    description: text,
    organisationTypes: [],
    stages: [],
    layers: [],
    riskRules: [],
    factors: factors.map(([id, weight, questions]) => ({ id, weight, name: text, description: text, questions: questions.map(([qid, w]) => ({ id: qid, weight: w, text, guidance: text, legalReferences: [], rubric: [] })) })),
  };
}
const same = (ids: string[]) => ids.map((id) => ({ from: id, to: [{ id, weight: 1 }] }));

// 2025.1: A (A-Q1, A-Q2), B (B-Q1, B-Q2).
// 2026.1: A keeps only A-Q1 (A-Q2 retired); B split into B1 and B2, half each; C is new (weight 2).
// 2027.1: nothing changes, so the chain 2025.1 -> 2027.1 runs over two crosswalks.
const v2025 = model('2025.1', [['A', 1, [['A-Q1', 1], ['A-Q2', 1]]], ['B', 1, [['B-Q1', 1], ['B-Q2', 1]]]]);
const v2026 = model('2026.1', [['A', 1, [['A-Q1', 1]]], ['B1', 1, [['B1-Q1', 1]]], ['B2', 1, [['B2-Q1', 1]]], ['C', 2, [['C-Q1', 1]]]]);
const v2027 = model('2027.1', v2026.factors.map((f) => [f.id, f.weight, f.questions.map((q) => [q.id, q.weight])]) as never);
const crosswalk1: Crosswalk = {
  from: 'm@2025.1',
  to: 'm@2026.1',
  factors: [...same(['A']), { from: 'B', to: [{ id: 'B1', weight: 0.5 }, { id: 'B2', weight: 0.5 }] }],
  questions: [{ from: 'A-Q1', to: [{ id: 'A-Q1', weight: 1 }] }, { from: 'A-Q2', retired: true, reason: text }, { from: 'B-Q1', to: [{ id: 'B1-Q1', weight: 1 }] }, { from: 'B-Q2', to: [{ id: 'B2-Q1', weight: 1 }] }],
};
const crosswalk2: Crosswalk = { from: 'm@2026.1', to: 'm@2027.1', factors: same(['A', 'B1', 'B2', 'C']), questions: same(['A-Q1', 'B1-Q1', 'B2-Q1', 'C-Q1']) };
const links: CrosswalkLink[] = [
  { from: v2026, to: v2027, crosswalk: crosswalk2 },
  { from: v2025, to: v2026, crosswalk: crosswalk1 },
];

function point(nativeVersion: string, scoreVersion: string, factors: [string, number | null][], overall: number | null): TrendPoint {
  return {
    assessmentId: 'a1',
    organisationId: 'o1',
    scope: { kind: 'organisation', organisationId: 'o1' },
    period: '2025',
    nativeModel: { key: 'm', version: nativeVersion },
    closedAt: '2025-12-01T00:00:00.000Z',
    score: {
      basis: nativeVersion === scoreVersion ? 'closing' : 'recalculated',
      event: { streamId: 'assessment-a1', version: 9, eventId: 'e', hash: 'h', type: 'ScoreCalculated', recordedAt: '2025-12-01T00:00:00.000Z' },
      algorithm: 'maatlat-scoring/v1',
      model: { key: 'm', version: scoreVersion, contentHash: 'c' },
      overall: { score: overall, stage: overall === null ? null : Math.floor(overall) },
      factors: factors.map(([factorId, score]) => ({ factorId, score, stage: score === null ? null : Math.floor(score) })),
      recalculationId: null,
      cause: null,
      mapping: null,
    },
  };
}

describe('cross-version comparability', () => {
  it('follows the crosswalks from one version to a later one, and not backwards', () => {
    expect(crosswalkChain('m', '2025.1', '2027.1', links)?.map((l) => l.to.version)).toEqual(['2026.1', '2027.1']);
    expect(crosswalkChain('m', '2027.1', '2027.1', links)).toEqual([]);
    expect(crosswalkChain('m', '2027.1', '2025.1', links)).toBeNull();
  });

  it('maps a 2025.1 score onto 2027.1 by hand: split at the weight, retired question, new factor', () => {
    // A = 2, B = 3 on 2025.1.
    // A: value 2; continuity 1 × (1 of 2 question weight kept) = 0.5, times 1 for the second step.
    // B1, B2: value 3 each (B's score carried into both halves); continuity 0.5 (the split weight).
    // C: new in 2026.1, no value, no continuity: its line starts there.
    // Overall with 2027.1's weights over the factors with a value: (1×2 + 1×3 + 1×3) / 3 = 2.67, stage 2.
    const comparable = comparableScore(point('2025.1', '2025.1', [['A', 2], ['B', 3]], 2.5), '2027.1', links);
    expect(comparable).toEqual({
      comparability: 'mapped',
      modelVersion: '2027.1',
      overall: { score: 2.67, stage: 2 },
      factors: [
        { factorId: 'A', score: 2, stage: 2, continuity: 0.5, relation: 'reshaped', note: 'A lost retired questions in m@2026.1' },
        { factorId: 'B1', score: 3, stage: 3, continuity: 0.5, relation: 'split', note: 'split from B in m@2026.1 (weight 0.5)' },
        { factorId: 'B2', score: 3, stage: 3, continuity: 0.5, relation: 'split', note: 'split from B in m@2026.1 (weight 0.5)' },
        { factorId: 'C', score: null, stage: null, continuity: null, relation: 'new', note: 'new in m@2026.1: the line starts there' },
      ],
    });
  });

  it('shows a recalculated score as it stands, with the continuity measured from the version it was answered on', () => {
    const comparable = comparableScore(point('2025.1', '2027.1', [['A', 2.2], ['B1', 3.1], ['B2', 2.9], ['C', 1.5]], 2.3), '2027.1', links);
    expect(comparable?.comparability).toBe('recalculated');
    expect(comparable?.overall).toEqual({ score: 2.3, stage: 2 });
    expect(comparable?.factors.map((f) => [f.factorId, f.score, f.continuity, f.relation])).toEqual([
      ['A', 2.2, 0.5, 'reshaped'],
      ['B1', 3.1, 0.5, 'split'],
      ['B2', 2.9, 0.5, 'split'],
      ['C', 1.5, null, 'new'],
    ]);
  });

  it('shows a native score with full continuity, and cannot bring a later version back', () => {
    const native = comparableScore(point('2027.1', '2027.1', [['A', 4]], 4), '2027.1', links);
    expect(native).toEqual({ comparability: 'native', modelVersion: '2027.1', overall: { score: 4, stage: 4 }, factors: [{ factorId: 'A', score: 4, stage: 4, continuity: 1, relation: 'unchanged', note: null }] });
    expect(comparableScore(point('2027.1', '2027.1', [['A', 4]], 4), '2025.1', links)).toBeNull();
  });

  it('pools merged factors by their crosswalk weights', () => {
    const before = model('2025.1', [['X', 1, [['X-Q1', 1]]], ['Y', 1, [['Y-Q1', 1]]]]);
    const after = model('2026.1', [['Z', 1, [['Z-Q1', 1]]]]);
    const merge: Crosswalk = { from: 'm@2025.1', to: 'm@2026.1', factors: [{ from: 'X', to: [{ id: 'Z', weight: 1 }] }, { from: 'Y', to: [{ id: 'Z', weight: 0.5 }] }], questions: [] };
    // Z = (1×1 + 0.5×4) / 1.5 = 2; continuity (1 + 0.5) / 2 = 0.75.
    const mapped = mapAcross([{ factorId: 'X', score: 1, stage: 1 }, { factorId: 'Y', score: 4, stage: 4 }], [{ from: before, to: after, crosswalk: merge }]);
    expect(mapped).toEqual({ overall: 2, factors: [{ factorId: 'Z', value: 2, continuity: 0.75, relation: 'merged', note: 'merged from X + Y in m@2026.1' }] });
  });
});
