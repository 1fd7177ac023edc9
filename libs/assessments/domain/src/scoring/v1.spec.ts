import { SHIPPED_MODELS, validateModelDocument, type ModelDocument } from '@maatlat/model-catalogue/domain';
import { seededRandom } from '@maatlat/shared/domain';
import { round2 } from './rounding';
import type { ScoringAnswer } from './scoring.types';
import { resamplerV1, scoreV1, SCORING_V1, stageOf } from './v1';

const text = (s: string) => ({ nl: `${s} (nl)`, en: `${s} (en)` });
const rubric = () => [0, 1, 2, 3, 4, 5].map((level) => ({ level, description: text(`niveau ${level}`) }));
const question = (id: string, weight: number) => ({ id, text: text(id), guidance: text(`uitleg ${id}`), weight, legalReferences: [], rubric: rubric() });

/** A small model whose scores can be worked out by hand. */
const golden: ModelDocument = {
  key: 'golden',
  version: '2026.1',
  title: text('Golden'),
  description: text('Hand-computed scoring cases'),
  organisationTypes: ['municipality'],
  stages: ['Afwachtend', 'Pionier', 'Adept', 'Bekwaam', 'Professioneel', 'Excellent'].map((name, level) => ({ level, name: { nl: name, en: name }, description: text(name) })),
  layers: [
    { id: 'strategic', name: text('strategisch'), description: text('s'), weight: 1 },
    { id: 'tactical', name: text('tactisch'), description: text('t'), weight: 1 },
    { id: 'operational', name: text('operationeel'), description: text('o'), weight: 2 },
  ],
  factors: [
    { id: 'F01', name: text('F01'), description: text('F01'), weight: 2, questions: [question('F01-Q1', 1), question('F01-Q2', 3)] },
    { id: 'F02', name: text('F02'), description: text('F02'), weight: 1, questions: [question('F02-Q1', 1), question('F02-Q2', 1)] },
  ],
  riskRules: [
    { id: 'R01', severity: 'high', message: text('F01 ver voor F02'), condition: { gap: { higher: 'F01', lower: 'F02' }, atLeast: 1 } },
    { id: 'R02', severity: 'medium', message: text('lagen verschillen'), condition: { spread: '*', atLeast: 2 } },
    { id: 'R03', severity: 'low', message: text('F02 laag'), condition: { factor: 'F02', op: '<', value: 1 } },
  ],
};

let version = 0;
const answer = (questionId: string, layer: ScoringAnswer['layer'], respondentId: string, level: number | null): ScoringAnswer => {
  version += 1;
  return { questionId, layer, respondentId, level, source: { streamVersion: version, eventId: `e-${version}`, hash: `h-${version}` } };
};

const answers: ScoringAnswer[] = [
  answer('F01-Q1', 'strategic', 'r1', 4),
  answer('F01-Q1', 'strategic', 'r2', 5),
  answer('F01-Q1', 'tactical', 'r3', 3),
  answer('F01-Q1', 'tactical', 'r4', null),
  answer('F01-Q1', 'operational', 'r5', 2),
  answer('F01-Q1', 'operational', 'r6', 2),
  answer('F01-Q1', 'operational', 'r7', 3),
  answer('F01-Q2', 'strategic', 'r1', 4),
  answer('F01-Q2', 'tactical', 'r3', 4),
  answer('F01-Q2', 'operational', 'r5', 1),
  answer('F01-Q2', 'operational', 'r6', 2),
  answer('F02-Q1', 'strategic', 'r1', 2),
  answer('F02-Q1', 'tactical', 'r3', null),
  answer('F02-Q1', 'operational', 'r5', 1),
  answer('F02-Q2', 'tactical', 'r4', 3),
  answer('F02-Q2', 'operational', 'r6', 0),
];

describe('round2', () => {
  it.each([
    [2.675, 2.68],
    [1.005, 1.01],
    [4.125, 4.13],
    [1 / 3, 0.33],
    [2 / 3, 0.67],
    [-1.005, -1.01],
    [0, 0],
    [5, 5],
  ])('rounds %p half away from zero to %p', (value, expected) => {
    expect(round2(value)).toBe(expected);
  });
});

describe('scoring v1: golden case, computed by hand', () => {
  expect(validateModelDocument(golden)).toEqual([]);
  const result = scoreV1(golden, 'hash-golden', answers);
  const factor = (id: string) => result.factors.find((f) => f.factorId === id)!;
  const questionLayer = (id: string, layer: string) => result.questions.find((q) => q.questionId === id && q.layer === layer)!;

  it('means per question and layer leave "don\'t know" out but count it in the coverage', () => {
    expect(questionLayer('F01-Q1', 'strategic')).toMatchObject({ mean: 4.5, answered: 2, dontKnow: 0, coverage: 1 });
    expect(questionLayer('F01-Q1', 'tactical')).toMatchObject({ mean: 3, answered: 1, dontKnow: 1, coverage: 0.5 });
    // (2 + 2 + 3) / 3 = 2.333...
    expect(questionLayer('F01-Q1', 'operational')).toMatchObject({ mean: 2.33, answered: 3, coverage: 1 });
    // Only "don't know": no mean, no coverage.
    expect(questionLayer('F02-Q1', 'tactical')).toMatchObject({ mean: null, answered: 0, dontKnow: 1, coverage: 0 });
    // No answers at all: the question-layer does not appear.
    expect(result.questions.find((q) => q.questionId === 'F02-Q2' && q.layer === 'strategic')).toBeUndefined();
    expect(questionLayer('F01-Q1', 'strategic').sources).toEqual([
      { streamVersion: 1, eventId: 'e-1', hash: 'h-1' },
      { streamVersion: 2, eventId: 'e-2', hash: 'h-2' },
    ]);
  });

  it('weighs questions within a factor and layer', () => {
    // strategic: (1 × 4.5 + 3 × 4) / 4 = 4.125, reported 4.13 (half away from zero)
    expect(factor('F01').byLayer.strategic).toEqual({
      value: 4.13,
      formula: 'Σ(weight × value) / Σ weight',
      terms: [
        { id: 'F01-Q1', weight: 1, value: 4.5 },
        { id: 'F01-Q2', weight: 3, value: 4 },
      ],
    });
    // tactical: (1 × 3 + 3 × 4) / 4 = 3.75; operational: (1 × 2.333.. + 3 × 1.5) / 4 = 1.7083..
    expect(factor('F01').byLayer.tactical?.value).toBe(3.75);
    expect(factor('F01').byLayer.operational?.value).toBe(1.71);
    // F02: a layer uses the questions it has: strategic only Q1 = 2, tactical only Q2 = 3, operational (1 + 0) / 2
    expect([factor('F02').byLayer.strategic?.value, factor('F02').byLayer.tactical?.value, factor('F02').byLayer.operational?.value]).toEqual([2, 3, 0.5]);
  });

  it('weighs layers into a factor score, with its stage and the spread between layers', () => {
    // F01: (4.125 + 3.75 + 2 × 1.70833..) / 4 = 2.8229.. -> 2.82, stage 2 (Adept); spread 4.125 - 1.7083.. = 2.4166.. -> 2.42
    expect(factor('F01')).toMatchObject({ score: 2.82, stage: 2, spread: 2.42 });
    // F02: (2 + 3 + 2 × 0.5) / 4 = 1.5, stage 1 (Pionier); spread 3 - 0.5 = 2.5
    expect(factor('F02')).toMatchObject({ score: 1.5, stage: 1, spread: 2.5 });
    expect(factor('F01').derivation?.terms).toEqual([
      { id: 'strategic', weight: 1, value: 4.13 },
      { id: 'tactical', weight: 1, value: 3.75 },
      { id: 'operational', weight: 2, value: 1.71 },
    ]);
  });

  it('weighs factors into the overall score, names strengths, attention points and risks', () => {
    // (2 × 2.8229.. + 1 × 1.5) / 3 = 2.3819.. -> 2.38, stage 2
    expect(result.overall).toMatchObject({ score: 2.38, stage: 2 });
    expect(result.strengths).toEqual(['F01']);
    expect(result.attentionPoints).toEqual(['F02']);
    // R01: 2.82 - 1.5 = 1.32 >= 1; R02: F01 spread 2.42 >= 2; R03: F02 1.5 is not < 1
    expect(result.risks.map((r) => r.ruleId)).toEqual(['R01', 'R02']);
    expect(result).toMatchObject({ algorithm: SCORING_V1, model: { key: 'golden', version: '2026.1', contentHash: 'hash-golden' } });
  });
});

describe('scoring v1: edges', () => {
  it('scores nothing, and raises nothing, without answers', () => {
    const empty = scoreV1(golden, 'h', []);
    expect(empty.overall).toEqual({ score: null, stage: null, derivation: null });
    expect(empty.factors.every((f) => f.score === null && f.stage === null && f.spread === null)).toBe(true);
    expect([empty.strengths, empty.attentionPoints, empty.risks, empty.questions]).toEqual([[], [], [], []]);
  });

  it('lets an empty layer drop out, with the other layers carrying the weight', () => {
    const onlyOperational = scoreV1(golden, 'h', [answer('F01-Q1', 'operational', 'r1', 3), answer('F01-Q2', 'operational', 'r1', 5)]);
    // (1 × 3 + 3 × 5) / 4 = 4.5, the only layer
    expect(onlyOperational.factors[0]).toMatchObject({ score: 4.5, stage: 4, spread: 0 });
    expect(onlyOperational.overall).toMatchObject({ score: 4.5, stage: 4 });
  });

  it('gives the stage of the reported score', () => {
    expect([stageOf(0), stageOf(0.99), stageOf(2.999), stageOf(3), stageOf(5)]).toEqual([0, 0, 3, 3, 5]);
  });
});

describe('scoring v1: the bootstrap\'s resampler', () => {
  /** Respondents answering every question of a model on one layer each, some "don't know", a few answers to a question the model lacks. */
  function respondentsFor(model: ModelDocument, count: number, seed: number): Map<string, ScoringAnswer[]> {
    const random = seededRandom(seed);
    const byRespondent = new Map<string, ScoringAnswer[]>();
    for (let r = 0; r < count; r++) {
      const layer = model.layers[r % model.layers.length].id;
      const given = model.factors.flatMap((f) => f.questions).filter(() => random() < 0.8).map((q) => answer(q.id, layer, `r${r}`, random() < 0.15 ? null : Math.floor(random() * 6)));
      if (r % 5 === 0) given.push(answer('NOT-IN-MODEL', layer, `r${r}`, 5));
      byRespondent.set(`r${r}`, given);
    }
    return byRespondent;
  }

  it.each([
    ['the golden model', golden, 9],
    ['the shipped model', SHIPPED_MODELS['2026.1'], 40],
  ])('reports on %s exactly the figures scoreV1 reports for the drawn answers, a respondent drawn twice counting twice', (_name, model, count) => {
    const byRespondent = respondentsFor(model as ModelDocument, count, 7);
    const resample = resamplerV1(model as ModelDocument, byRespondent);
    const ids = [...byRespondent.keys(), 'no-answers'];
    const random = seededRandom(11);
    for (let i = 0; i < 50; i++) {
      const drawn = ids.map(() => ids[Math.floor(random() * ids.length)]);
      const full = scoreV1(model as ModelDocument, 'h', drawn.flatMap((id, k) => (byRespondent.get(id) ?? []).map((a) => ({ ...a, respondentId: `${id}#${k}` }))));
      expect(resample(drawn)).toEqual({ overall: full.overall.score, factors: full.factors.map(({ factorId, score, stage }) => ({ factorId, score, stage })) });
    }
  });

  it('reports nothing for a draw of respondents without levels', () => {
    const resample = resamplerV1(golden, new Map([['r1', [answer('F01-Q1', 'strategic', 'r1', null)]]]));
    expect(resample(['r1', 'r1', 'unknown'])).toEqual({ overall: null, factors: [{ factorId: 'F01', score: null, stage: null }, { factorId: 'F02', score: null, stage: null }] });
  });
});
