import { validateModelDocument, type ModelDocument } from '@maatlat/model-catalogue/domain';
import type { AnswerValue } from './assessment.events';
import { explainScore, type FactorExplanation } from './explanation';
import { scoreV1, type ScoringAnswer } from './scoring';

const text = (s: string) => ({ nl: `${s} (nl)`, en: `${s} (en)` });
const rubric = () => [0, 1, 2, 3, 4, 5].map((level) => ({ level, description: text(`niveau ${level}`) }));
const question = (id: string, weight: number) => ({ id, text: text(id), guidance: text(`uitleg ${id}`), weight, legalReferences: [], rubric: rubric() });

/** The golden model of the scoring spec: every number below is worked out by hand there. */
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
  riskRules: [],
};

const answers: ScoringAnswer[] = [];
const recorded = new Map<string, AnswerValue>();
const answer = (questionId: string, layer: ScoringAnswer['layer'], respondentId: string, level: number | null) => {
  const version = answers.length + 1;
  answers.push({ questionId, layer, respondentId, level, source: { streamVersion: version, eventId: `e-${version}`, hash: `h-${version}` } });
  recorded.set(`e-${version}`, level === null ? { dontKnow: true } : { level });
};
answer('F01-Q1', 'strategic', 'r1', 4);
answer('F01-Q1', 'strategic', 'r2', 5);
answer('F01-Q1', 'tactical', 'r3', 3);
answer('F01-Q1', 'tactical', 'r4', null);
answer('F01-Q1', 'operational', 'r5', 2);
answer('F01-Q1', 'operational', 'r6', 2);
answer('F01-Q1', 'operational', 'r7', 3);
answer('F01-Q2', 'strategic', 'r1', 4);
answer('F01-Q2', 'tactical', 'r3', 4);
answer('F01-Q2', 'operational', 'r5', 1);
answer('F01-Q2', 'operational', 'r6', 2);
answer('F02-Q1', 'strategic', 'r1', 2);
answer('F02-Q1', 'tactical', 'r3', null);
answer('F02-Q1', 'operational', 'r5', 1);
answer('F02-Q2', 'tactical', 'r4', 3);
answer('F02-Q2', 'operational', 'r6', 0);

const ROUNDED = '(rounded half away from zero to 2 decimals)';

describe('explanations print arithmetic that reproduces exactly', () => {
  expect(validateModelDocument(golden)).toEqual([]);
  const score = scoreV1(golden, 'hash-golden', answers);
  const explained = explainScore({ assessmentId: 'a-1', score, answers: recorded });
  const factor = (id: string) => explained.factors.find((f) => f.factorId === id)!;
  const layer = (f: FactorExplanation, id: string) => f.layers.find((l) => l.layer === id)!;

  it('derives each question mean from the levels its answer events give, "don\'t know" left out', () => {
    const q1 = (id: string) => layer(factor('F01'), id).questions.find((q) => q.questionId === 'F01-Q1')!;
    expect(q1('strategic').arithmetic).toBe('(4 + 5) / 2 = 9/2 = 4.5');
    expect(q1('tactical')).toMatchObject({ arithmetic: '(3) / 1 = 3', answered: 1, dontKnow: 1 });
    expect(q1('tactical').answers.map((a) => a.answer)).toEqual([{ level: 3 }, { dontKnow: true }]);
    expect(q1('operational').arithmetic).toBe(`(2 + 2 + 3) / 3 = 7/3 = 2.3333333… → 2.33 ${ROUNDED}`);
  });

  it('weighs exact question means into each layer, with the rounding as a step of its own', () => {
    expect(layer(factor('F01'), 'strategic').arithmetic).toBe(`(1 × 9/2 + 3 × 4) / 4 = 33/8 = 4.125 → 4.13 ${ROUNDED}`);
    expect(layer(factor('F01'), 'tactical').arithmetic).toBe('(1 × 3 + 3 × 4) / 4 = 15/4 = 3.75');
    expect(layer(factor('F01'), 'operational').arithmetic).toBe(`(1 × 7/3 + 3 × 3/2) / 4 = 41/24 = 1.7083333… → 1.71 ${ROUNDED}`);
    expect(layer(factor('F02'), 'operational').arithmetic).toBe('(1 × 1 + 1 × 0) / 2 = 1/2 = 0.5');
  });

  it('weighs exact layer scores into the factor, and gives the spread between them', () => {
    // Printed with rounded terms this was "(1 × 4.13 + 1 × 3.75 + 2 × 1.71) / 4 = 2.82", which a calculator makes 2.825.
    expect(factor('F01').arithmetic).toBe(`(1 × 33/8 + 1 × 15/4 + 2 × 41/24) / 4 = 271/96 = 2.8229166… → 2.82 ${ROUNDED}`);
    expect(factor('F01').spreadArithmetic).toBe(`33/8 − 41/24 = 29/12 = 2.4166666… → 2.42 ${ROUNDED}`);
    expect(factor('F02').arithmetic).toBe('(1 × 2 + 1 × 3 + 2 × 1/2) / 4 = 3/2 = 1.5');
    expect(factor('F02').spreadArithmetic).toBe('3 − 1/2 = 5/2 = 2.5');
  });

  it('weighs exact factor scores into the overall score, and names the rounding rule', () => {
    expect(explained.arithmetic).toBe(`(2 × 271/96 + 1 × 3/2) / 3 = 343/144 = 2.3819444… → 2.38 ${ROUNDED}`);
    expect(explained).toMatchObject({ overall: 2.38, stage: 2, rounding: 'rounded half away from zero to 2 decimals' });
  });

  it('explains one factor exactly as the whole does', () => {
    const { assessmentId, algorithm, model, rounding } = explained;
    expect(explainScore({ assessmentId: 'a-1', score, answers: recorded }, 'F01')).toEqual({ assessmentId, algorithm, model, rounding, ...factor('F01') });
  });

  it('says so when the rounding of the exact result is not what the score records, instead of hiding it', () => {
    const tampered = structuredClone(score);
    tampered.factors[0].byLayer.strategic!.value = 4.12;
    const line = explainScore({ assessmentId: 'a-1', score: tampered, answers: recorded }, 'F01').layers[0].arithmetic;
    expect(line).toBe(`(1 × 9/2 + 3 × 4) / 4 = 33/8 = 4.125 → 4.13 ${ROUNDED}; the score records 4.12`);
  });

  it('refuses to explain from answers it was not given', () => {
    expect(() => explainScore({ assessmentId: 'a-1', score, answers: new Map() })).toThrow(/cites answer event e-1/);
  });
});
