import { canonicalJson } from '@maatlat/shared/domain';
import type { Factor, ModelDocument, Question, RiskRule } from './model-document';

/** One changed field of a factor, question or risk rule, with its old and new value. */
export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

export interface ChangedItem {
  id: string;
  changes: FieldChange[];
}

export interface ItemDiff {
  added: string[];
  removed: string[];
  changed: ChangedItem[];
}

/** What changed between two model versions, as data an administrator can read. */
export interface ModelDiff {
  from: string;
  to: string;
  factors: ItemDiff;
  questions: ItemDiff;
  riskRules: ItemDiff;
}

const same = (a: unknown, b: unknown) => canonicalJson(a ?? null) === canonicalJson(b ?? null);

function compare<T extends { id: string }>(before: T[], after: T[], fields: (keyof T & string)[]): ItemDiff {
  const old = new Map(before.map((item) => [item.id, item]));
  const now = new Map(after.map((item) => [item.id, item]));
  const changed: ChangedItem[] = [];
  for (const [id, item] of now) {
    const previous = old.get(id);
    if (!previous) continue;
    const changes = fields.filter((f) => !same(previous[f], item[f])).map((f) => ({ field: f, from: previous[f], to: item[f] }));
    if (changes.length) changed.push({ id, changes });
  }
  return {
    added: [...now.keys()].filter((id) => !old.has(id)),
    removed: [...old.keys()].filter((id) => !now.has(id)),
    changed,
  };
}

type QuestionInFactor = Question & { factor: string };
const questionsOf = (model: ModelDocument): QuestionInFactor[] => model.factors.flatMap((f) => f.questions.map((q) => ({ ...q, factor: f.id })));

/**
 * The semantic difference between two versions: factors, questions and risk rules added, removed
 * or changed (text, rubric, weights, legal references, moved to another factor, ...). Items are
 * matched by id; a question that changed its id counts as removed and added (the crosswalk says
 * what it became).
 * @example diffModels(v2026, v2027).factors.added // ['F07a', 'F07b']
 */
export function diffModels(from: ModelDocument, to: ModelDocument): ModelDiff {
  return {
    from: `${from.key}@${from.version}`,
    to: `${to.key}@${to.version}`,
    factors: compare<Factor>(from.factors, to.factors, ['name', 'description', 'weight']),
    questions: compare<QuestionInFactor>(questionsOf(from), questionsOf(to), ['factor', 'text', 'guidance', 'weight', 'legalReferences', 'rubric']),
    riskRules: compare<RiskRule>(from.riskRules, to.riskRules, ['severity', 'message', 'condition']),
  };
}
