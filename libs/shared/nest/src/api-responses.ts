import { applyDecorators, type Type } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, DECORATORS, getSchemaPath, type SchemaObject } from '@nestjs/swagger';

/**
 * What JSON.stringify makes of a value: dates become strings, a field that may be undefined may be
 * left out. A view class `implements AsJson<ServiceResult>`, so the compiler refuses a view that
 * leaves out a field the service returns or documents it with another type.
 */
export type AsJson<T> = T extends Date
  ? string
  : T extends readonly (infer Item)[]
    ? AsJson<Item>[]
    : T extends object
      ? { [K in keyof T as undefined extends T[K] ? never : K]: AsJson<T[K]> } & { [K in keyof T as undefined extends T[K] ? K : never]?: AsJson<Exclude<T[K], undefined>> }
      : T;

/** Any JSON value, null included (a changed field's old and new value, say), for `@ApiProperty`. */
export const ANY_JSON_VALUE: { anyOf: SchemaObject[] } = {
  // OpenAPI 3.0 allows null only through `nullable` beside a type.
  anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }, { type: 'object', nullable: true }, { type: 'array', items: {} }],
};

/** What an operation answers on success: one view, a list of them (`[View]`), or one of several. */
export type ResultView = Type | [Type] | { oneOf: Type[] };

/** View classes a view refers to by `getSchemaPath` (its `@ApiExtraModels`), which Nest only registers from operations. */
function extraModelsOf(views: readonly Type[], seen = new Set<Type>()): Type[] {
  for (const view of views) {
    if (seen.has(view)) continue;
    seen.add(view);
    extraModelsOf((Reflect.getMetadata(DECORATORS.API_EXTRA_MODELS, view) as Type[] | undefined) ?? [], seen);
  }
  return [...seen];
}

/**
 * The success response of an operation with its schema, written once in the feature's `*.views.ts`.
 * @example @ApiResult(200, 'The organisation with its units', OrganisationView)
 * @example @ApiResult(200, 'Organisations by name', [OrganisationSummaryView])
 */
export function ApiResult(status: 200 | 201 | 202, description: string, view: ResultView) {
  if (Array.isArray(view)) return applyDecorators(ApiExtraModels(...extraModelsOf(view)), ApiResponse({ status, description, type: view[0], isArray: true }));
  if ('oneOf' in view) {
    return applyDecorators(ApiExtraModels(...extraModelsOf(view.oneOf)), ApiResponse({ status, description, schema: { oneOf: view.oneOf.map((v) => ({ $ref: getSchemaPath(v) })) } }));
  }
  return applyDecorators(ApiExtraModels(...extraModelsOf([view])), ApiResponse({ status, description, type: view }));
}

/**
 * Error responses particular to an operation, each with what it means there; their body is the
 * shared Problem. Those every operation of its kind can give (400, 401, 403, 404 on a path with
 * an id, 413, 415, 429, 500, 503) are added to the document by completeApiDocument.
 * @example @ApiProblems({ 409: 'the respondent is already invited', 422: 'the assessment is closed' })
 */
export function ApiProblems(problems: Partial<Record<400 | 403 | 404 | 409 | 422 | 429, string>>) {
  return applyDecorators(...Object.entries(problems).map(([status, description]) => ApiResponse({ status: Number(status), description })));
}
