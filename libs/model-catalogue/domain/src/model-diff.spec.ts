import { diffModels } from './model-diff';
import { SHIPPED_MODELS } from './shipped-models';

describe('diffModels', () => {
  it('shows what 2027.1 changed against 2026.1 (expected result written out by hand)', () => {
    const diff = diffModels(SHIPPED_MODELS['2026.1'], SHIPPED_MODELS['2027.1']);
    const summary = (items: { id: string; changes: { field: string }[] }[]) => items.map((c) => [c.id, c.changes.map((x) => x.field)]);

    expect(diff.from).toBe('datagedreven-overheid@2026.1');
    expect(diff.to).toBe('datagedreven-overheid@2027.1');
    // F07 (traceability and explainability) split in two under the AI Act and the algorithm register.
    expect(diff.factors.added).toEqual(['F07a', 'F07b']);
    expect(diff.factors.removed).toEqual(['F07']);
    expect(summary(diff.factors.changed)).toEqual([
      ['F05', ['description']],
      ['F11', ['description']],
    ]);
    expect(diff.questions.added).toEqual(['F07a-Q1', 'F07a-Q2', 'F07a-Q3', 'F07a-Q4', 'F07b-Q1', 'F07b-Q2', 'F07b-Q3', 'F11-Q4']);
    expect(diff.questions.removed).toEqual(['F05-Q2', 'F07-Q1', 'F07-Q2', 'F07-Q3', 'F07-Q4']);
    expect(summary(diff.questions.changed)).toEqual([
      ['F04-Q1', ['legalReferences']],
      ['F06-Q1', ['legalReferences']],
      ['F08-Q2', ['legalReferences']],
    ]);
    const aiActArticle = (id: string) =>
      (diff.questions.changed.find((c) => c.id === id)!.changes[0].to as { law: string; article?: string }[])
        .filter((r) => r.law.startsWith('AI-verordening'))
        .map((r) => r.article);
    expect(aiActArticle('F04-Q1')).toEqual(['art. 26']);
    expect(aiActArticle('F06-Q1')).toEqual(['art. 10']);
    expect(diff.riskRules.added).toEqual(['R11', 'R12']);
    expect(diff.riskRules.removed).toEqual([]);
    expect(summary(diff.riskRules.changed)).toEqual([['R07', ['message', 'condition']]]);
    expect(diff.riskRules.changed[0].changes[1]).toEqual({
      field: 'condition',
      from: { gap: { higher: 'F10', lower: 'F07' }, atLeast: 2 },
      to: { gap: { higher: 'F10', lower: 'F07b' }, atLeast: 2 },
    });
  });

  it('finds nothing between a version and itself', () => {
    const diff = diffModels(SHIPPED_MODELS['2026.1'], SHIPPED_MODELS['2026.1']);
    expect(diff.factors).toEqual({ added: [], removed: [], changed: [] });
    expect(diff.questions).toEqual({ added: [], removed: [], changed: [] });
    expect(diff.riskRules).toEqual({ added: [], removed: [], changed: [] });
  });
});
