import type { Crosswalk, ModelDocument } from './model-document';
import { SHIPPED_CROSSWALKS, SHIPPED_MODELS } from './shipped-models';
import { validateCrosswalk, validateModelDocument } from './validate-model';

const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value));
const model = () => copy(SHIPPED_MODELS['2026.1']) as ModelDocument & Record<string, unknown>;
const crosswalk = () => copy(SHIPPED_CROSSWALKS['2026.1->2027.1']) as Crosswalk;
const v2026 = SHIPPED_MODELS['2026.1'];
const v2027 = SHIPPED_MODELS['2027.1'];

describe('validateModelDocument: one failing case per rule, each naming the path', () => {
  it.each<[string, (m: ReturnType<typeof model>) => void, { path: string; message: string | RegExp }]>([
    ['a rubric with a level 6', (m) => (m.factors[0].questions[0].rubric[5].level = 6), { path: '$.factors[0].questions[0].rubric[5].level', message: 'must be <= 5' }],
    ['a rubric with five levels', (m) => m.factors[1].questions[2].rubric.pop(), { path: '$.factors[1].questions[2].rubric', message: 'must NOT have fewer than 6 items' }],
    ['a zero weight', (m) => (m.factors[2].weight = 0), { path: '$.factors[2].weight', message: 'must be > 0' }],
    ['a negative question weight', (m) => (m.factors[0].questions[1].weight = -1), { path: '$.factors[0].questions[1].weight', message: 'must be > 0' }],
    ['an unknown field', (m) => (m.owner = 'someone'), { path: '$', message: 'has an unknown field "owner"' }],
    ['a missing English text', (m) => delete (m.factors[3].name as Partial<{ en: string }>).en, { path: '$.factors[3].name', message: 'misses the field "en"' }],
    ['an unknown organisation type', (m) => (m.organisationTypes = ['bank' as never]), { path: '$.organisationTypes[0]', message: /must be one of ministry/ }],
    ['a duplicate factor id', (m) => (m.factors[1].id = 'F01'), { path: '$.factors[1].id', message: 'factor id "F01" is already used at $.factors[0].id' }],
    [
      'a duplicate question id',
      (m) => (m.factors[0].questions[1].id = 'F01-Q1'),
      { path: '$.factors[0].questions[1].id', message: 'question id "F01-Q1" is already used at $.factors[0].questions[0].id' },
    ],
    ['a question outside its factor', (m) => (m.factors[0].questions[2].id = 'F02-Q9'), { path: '$.factors[0].questions[2].id', message: 'question id "F02-Q9" must start with its factor id "F01-"' }],
    ['a duplicate risk rule id', (m) => (m.riskRules[1].id = 'R01'), { path: '$.riskRules[1].id', message: 'risk rule id "R01" is already used at $.riskRules[0].id' }],
    [
      'a risk rule about a factor that does not exist',
      (m) => (m.riskRules[0].condition = { gap: { higher: 'F10', lower: 'F99' }, atLeast: 2 }),
      { path: '$.riskRules[0].condition.gap.lower', message: 'refers to the factor "F99", which this model does not have' },
    ],
  ])('refuses %s', (_, change, expected) => {
    const document = model();
    change(document);
    const problems = validateModelDocument(document);
    expect(problems).toContainEqual({ path: expected.path, message: typeof expected.message === 'string' ? expected.message : expect.stringMatching(expected.message) });
  });

  it('refuses what is not a model at all', () => {
    expect(validateModelDocument('a string')).toEqual([{ path: '$', message: 'must be object' }]);
  });
});

describe('validateCrosswalk', () => {
  it('accepts the shipped crosswalk', () => {
    expect(validateCrosswalk(crosswalk(), v2026, v2027)).toEqual([]);
  });

  it.each<[string, (c: Crosswalk) => void, { path: string; message: string }]>([
    ['a question left unaccounted for', (c) => (c.questions = c.questions.filter((q) => q.from !== 'F03-Q2')), { path: '$.questions', message: 'the question "F03-Q2" of datagedreven-overheid@2026.1 is not accounted for: map it, split it, merge it or retire it' }],
    ['a factor left unaccounted for', (c) => (c.factors = c.factors.filter((f) => f.from !== 'F09')), { path: '$.factors', message: 'the factor "F09" of datagedreven-overheid@2026.1 is not accounted for: map it, split it, merge it or retire it' }],
    [
      'a mapping to a question that does not exist',
      (c) => (c.questions[0] = { from: c.questions[0].from, to: [{ id: 'F01-Q9', weight: 1 }] }),
      { path: '$.questions[0].to[0].id', message: '"F01-Q9" is not a question of datagedreven-overheid@2027.1' },
    ],
    ['a split whose weights do not add up to 1', (c) => (c.factors.find((f) => f.from === 'F07')!.to![1].weight = 0.4), { path: `$.factors[6].to`, message: 'the weights of "F07" add up to 0.9, not 1' }],
    ['an entry for something the predecessor does not have', (c) => c.factors.push({ from: 'F42', to: [{ id: 'F01', weight: 1 }] }), { path: '$.factors[12].from', message: '"F42" is not a factor of datagedreven-overheid@2026.1' }],
    ['the wrong predecessor', (c) => (c.from = 'datagedreven-overheid@2025.1'), { path: '$.from', message: 'must be "datagedreven-overheid@2026.1", the predecessor' }],
  ])('refuses %s', (_, change, expected) => {
    const value = crosswalk();
    change(value);
    expect(validateCrosswalk(value, v2026, v2027)).toContainEqual(expected);
  });

  it('refuses an entry that is both mapped and retired, by its schema', () => {
    const value = crosswalk() as unknown as { questions: Record<string, unknown>[] };
    value.questions[0].retired = true;
    expect(validateCrosswalk(value, v2026, v2027).map((p) => p.path)).toContain('$.questions[0]');
  });
});
