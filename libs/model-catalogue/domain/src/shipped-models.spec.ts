import { SHIPPED_CROSSWALKS, SHIPPED_MODELS } from './shipped-models';
import { validateCrosswalk, validateModelDocument } from './validate-model';

describe('the shipped default model', () => {
  const v2026 = SHIPPED_MODELS['2026.1'];
  const v2027 = SHIPPED_MODELS['2027.1'];

  it('validates, both versions', () => {
    expect(validateModelDocument(v2026)).toEqual([]);
    expect(validateModelDocument(v2027)).toEqual([]);
  });

  it('has 12 key factors in 2026.1, each with at least 3 questions with a full 0..5 rubric, and at least 5 risk rules', () => {
    expect(v2026.factors).toHaveLength(12);
    for (const factor of v2026.factors) {
      expect(factor.questions.length).toBeGreaterThanOrEqual(3);
      for (const question of factor.questions) {
        expect(question.rubric.map((r) => r.level)).toEqual([0, 1, 2, 3, 4, 5]);
        for (const level of question.rubric) {
          expect(level.description.nl.length).toBeGreaterThan(20);
          expect(level.description.en.length).toBeGreaterThan(20);
        }
      }
    }
    expect(v2026.riskRules.length).toBeGreaterThanOrEqual(5);
    expect(v2026.stages.map((s) => s.name.nl)).toEqual(['Afwachtend', 'Pionier', 'Adept', 'Bekwaam', 'Professioneel', 'Excellent']);
    expect(v2026.layers.map((l) => l.id)).toEqual(['strategic', 'tactical', 'operational']);
  });

  it('names laws and articles, so a law change can be traced to the questions it affects', () => {
    const laws = new Set(v2026.factors.flatMap((f) => f.questions.flatMap((q) => q.legalReferences.map((r) => r.law))));
    for (const law of ['AVG', 'Woo', 'Archiefwet 1995', 'Wet digitale overheid']) {
      expect([...laws].some((l) => l.startsWith(law))).toBe(true);
    }
  });

  it('comes with a crosswalk that accounts for every factor and question of 2026.1', () => {
    const crosswalk = SHIPPED_CROSSWALKS['2026.1->2027.1'];
    expect(validateCrosswalk(crosswalk, v2026, v2027)).toEqual([]);
    const mappedQuestions = new Set(crosswalk.questions.map((q) => q.from));
    expect(v2026.factors.flatMap((f) => f.questions.map((q) => q.id)).filter((id) => !mappedQuestions.has(id))).toEqual([]);
    expect(crosswalk.factors.find((f) => f.from === 'F07')?.to).toEqual([
      { id: 'F07a', weight: 0.5 },
      { id: 'F07b', weight: 0.5 },
    ]);
    expect(crosswalk.questions.filter((q) => q.retired).map((q) => q.from)).toEqual(['F05-Q2']);
  });
});
