import Ajv2020, { type ErrorObject } from 'ajv/dist/2020';
import crosswalkSchema from './models/crosswalk.schema.json';
import modelSchema from './models/model-version.schema.json';
import type { Crosswalk, ModelDocument, RiskCondition } from './model-document';

/** One problem with a document, located by a JSON path such as `$.factors[2].questions[0].rubric`. */
export interface ModelProblem {
  path: string;
  message: string;
}

/** The JSON Schemas every model version document and crosswalk is validated against (draft 2020-12). */
export const MODEL_VERSION_JSON_SCHEMA = modelSchema;
export const CROSSWALK_JSON_SCHEMA = crosswalkSchema;

const ajv = new Ajv2020({ allErrors: true, strict: true });
const checkModelSchema = ajv.compile<ModelDocument>(modelSchema);
const checkCrosswalkSchema = ajv.compile<Crosswalk>(crosswalkSchema);

function pointerToPath(pointer: string): string {
  return (
    '$' +
    pointer
      .split('/')
      .slice(1)
      .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`))
      .join('')
  );
}

function schemaProblems(errors: ErrorObject[] | null | undefined): ModelProblem[] {
  // oneOf reports every branch that failed; the branch errors say more than the oneOf summary.
  const useful = (errors ?? []).filter((e) => e.keyword !== 'oneOf' || (errors ?? []).length === 1);
  const seen = new Set<string>();
  const problems: ModelProblem[] = [];
  for (const error of useful) {
    const path = pointerToPath(error.instancePath);
    let message = error.message ?? 'is invalid';
    if (error.keyword === 'additionalProperties') message = `has an unknown field "${(error.params as { additionalProperty: string }).additionalProperty}"`;
    if (error.keyword === 'required') message = `misses the field "${(error.params as { missingProperty: string }).missingProperty}"`;
    if (error.keyword === 'enum') message = `must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
    const key = `${path} ${message}`;
    if (!seen.has(key)) {
      seen.add(key);
      problems.push({ path, message });
    }
  }
  return problems;
}

function duplicates(ids: { id: string; path: string }[], what: string): ModelProblem[] {
  const first = new Map<string, string>();
  const problems: ModelProblem[] = [];
  for (const { id, path } of ids) {
    const earlier = first.get(id);
    if (earlier) problems.push({ path, message: `${what} id "${id}" is already used at ${earlier}` });
    else first.set(id, path);
  }
  return problems;
}

function conditionFactors(condition: RiskCondition, path: string): { id: string; path: string }[] {
  if ('all' in condition) return condition.all.flatMap((c, i) => conditionFactors(c, `${path}.all[${i}]`));
  if ('any' in condition) return condition.any.flatMap((c, i) => conditionFactors(c, `${path}.any[${i}]`));
  if ('factor' in condition) return [{ id: condition.factor, path: `${path}.factor` }];
  if ('gap' in condition) return [
    { id: condition.gap.higher, path: `${path}.gap.higher` },
    { id: condition.gap.lower, path: `${path}.gap.lower` },
  ];
  return condition.spread === '*' ? [] : [{ id: condition.spread, path: `${path}.spread` }];
}

/**
 * Everything a model version must satisfy before it can be published: its JSON Schema (fields,
 * types, exactly six rubric levels 0..5, positive weights) and the rules a schema cannot say
 * (unique ids across the model, risk rules that name existing factors). Returns no problems when
 * the document is valid.
 */
export function validateModelDocument(document: unknown): ModelProblem[] {
  if (!checkModelSchema(document)) return schemaProblems(checkModelSchema.errors);
  const model = document;
  const problems: ModelProblem[] = [];
  problems.push(...duplicates(model.factors.map((f, i) => ({ id: f.id, path: `$.factors[${i}].id` })), 'factor'));
  problems.push(
    ...duplicates(
      model.factors.flatMap((f, i) => f.questions.map((q, j) => ({ id: q.id, path: `$.factors[${i}].questions[${j}].id` }))),
      'question',
    ),
  );
  problems.push(...duplicates(model.riskRules.map((r, i) => ({ id: r.id, path: `$.riskRules[${i}].id` })), 'risk rule'));
  model.factors.forEach((factor, i) =>
    factor.questions.forEach((question, j) => {
      if (!question.id.startsWith(`${factor.id}-`)) {
        problems.push({ path: `$.factors[${i}].questions[${j}].id`, message: `question id "${question.id}" must start with its factor id "${factor.id}-"` });
      }
    }),
  );
  const factorIds = new Set(model.factors.map((f) => f.id));
  model.riskRules.forEach((rule, i) => {
    for (const reference of conditionFactors(rule.condition, `$.riskRules[${i}].condition`)) {
      if (!factorIds.has(reference.id)) problems.push({ path: reference.path, message: `refers to the factor "${reference.id}", which this model does not have` });
    }
  });
  return problems;
}

/**
 * A crosswalk from `predecessor` to `successor`: valid against its schema, naming the two
 * versions, accounting for every factor and question of the predecessor exactly once (mapped,
 * split, merged or retired), referring only to ids that exist, with split weights summing to 1.
 */
export function validateCrosswalk(crosswalk: unknown, predecessor: ModelDocument, successor: ModelDocument): ModelProblem[] {
  if (!checkCrosswalkSchema(crosswalk)) return schemaProblems(checkCrosswalkSchema.errors);
  const problems: ModelProblem[] = [];
  const fromRef = `${predecessor.key}@${predecessor.version}`;
  const toRef = `${successor.key}@${successor.version}`;
  if (crosswalk.from !== fromRef) problems.push({ path: '$.from', message: `must be "${fromRef}", the predecessor` });
  if (crosswalk.to !== toRef) problems.push({ path: '$.to', message: `must be "${toRef}", the version it leads to` });

  const check = (kind: 'factors' | 'questions', oldIds: string[], newIds: Set<string>) => {
    const what = kind === 'factors' ? 'factor' : 'question';
    const accounted = new Map<string, number>();
    crosswalk[kind].forEach((entry, i) => {
      const path = `$.${kind}[${i}]`;
      if (!oldIds.includes(entry.from)) problems.push({ path: `${path}.from`, message: `"${entry.from}" is not a ${what} of ${fromRef}` });
      if (accounted.has(entry.from)) problems.push({ path: `${path}.from`, message: `"${entry.from}" is already accounted for at $.${kind}[${accounted.get(entry.from)}]` });
      accounted.set(entry.from, i);
      if (entry.to) {
        entry.to.forEach((target, j) => {
          if (!newIds.has(target.id)) problems.push({ path: `${path}.to[${j}].id`, message: `"${target.id}" is not a ${what} of ${toRef}` });
        });
        const sum = entry.to.reduce((total, target) => total + target.weight, 0);
        if (Math.abs(sum - 1) > 1e-9) problems.push({ path: `${path}.to`, message: `the weights of "${entry.from}" add up to ${sum}, not 1` });
      }
    });
    for (const id of oldIds) {
      if (!accounted.has(id)) problems.push({ path: `$.${kind}`, message: `the ${what} "${id}" of ${fromRef} is not accounted for: map it, split it, merge it or retire it` });
    }
  };
  check('factors', predecessor.factors.map((f) => f.id), new Set(successor.factors.map((f) => f.id)));
  check(
    'questions',
    predecessor.factors.flatMap((f) => f.questions.map((q) => q.id)),
    new Set(successor.factors.flatMap((f) => f.questions.map((q) => q.id))),
  );
  return problems;
}
