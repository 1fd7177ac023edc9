import type { HeaderObject, OpenAPIObject, OperationObject, PathItemObject, ReferenceObject, ResponseObject, SchemaObject } from '@nestjs/swagger';
import { API_VERSION, API_VERSION_HEADER } from './api-version';
import { RETRY_AFTER_SECONDS } from './domain-error.filter';
import { PROBLEM_JSON } from './problem-details';
import { PUBLIC_OPERATION_EXTENSION, ROLES_OPERATION_EXTENSION } from './public';

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
type HttpMethod = (typeof HTTP_METHODS)[number];


const ref = (kind: 'schemas' | 'responses' | 'headers', name: string): ReferenceObject => ({ $ref: `#/components/${kind}/${name}` });

const isReference = (value: unknown): value is ReferenceObject => typeof value === 'object' && value !== null && '$ref' in value;

/** RFC 9457, as DomainErrorFilter writes it (problem-details.ts): one schema for every error. */
const PROBLEM_SCHEMAS: Record<string, SchemaObject> = {
  Problem: {
    type: 'object',
    description: 'An RFC 9457 problem: every error of this API, whatever its status.',
    required: ['type', 'title', 'status', 'detail', 'code', 'correlationId'],
    properties: {
      type: { type: 'string', format: 'uri', description: 'The kind of problem, one URN per code.', example: 'urn:maatlat:problem:assessment.closed' },
      title: { type: 'string', description: 'The HTTP status phrase.', example: 'Unprocessable Entity' },
      status: { type: 'integer', minimum: 400, maximum: 599, example: 422 },
      detail: { type: 'string', description: 'What went wrong, for a person to read.', example: 'assessment 0192c6c4-5d1e-7a4e-9b0a-3f1e2d3c4b5a is closed' },
      instance: { type: 'string', format: 'uri-reference', description: 'The path of the request, without its query.', example: '/v1/assessments/0192c6c4-5d1e-7a4e-9b0a-3f1e2d3c4b5a/close' },
      code: { type: 'string', description: 'The stable code a client can act on.', example: 'assessment.closed' },
      details: { type: 'object', additionalProperties: true, description: 'Facts about the problem, by code: e.g. `expectedVersion` and `actualVersion` of a stale If-Match.' },
      errors: { type: 'array', description: 'Every field of a refused request with its problem (validation failures).', items: ref('schemas', 'FieldProblem') },
      invalidParams: { type: 'array', description: 'The same field problems, in the shape the NL GOV API Design Rules name.', items: ref('schemas', 'InvalidParam') },
      correlationId: { type: 'string', description: 'The request\'s correlation id (also the X-Correlation-Id header): quote it when reporting a problem.' },
    },
  },
  FieldProblem: {
    type: 'object',
    required: ['field', 'problem'],
    properties: {
      field: { type: 'string', description: 'The field, written like `evidence[0].title`.', example: 'level' },
      problem: { type: 'string', example: 'level must not be greater than 5' },
    },
  },
  InvalidParam: {
    type: 'object',
    required: ['name', 'reason'],
    properties: {
      name: { type: 'string', example: 'level' },
      reason: { type: 'string', example: 'level must not be greater than 5' },
    },
  },
};

const HEADERS: Record<string, HeaderObject> = {
  [API_VERSION_HEADER]: {
    description: 'The full version of the API contract (semantic versioning); the major version is also the path prefix.',
    required: true,
    schema: { type: 'string', pattern: '^\\d+\\.\\d+\\.\\d+$', example: API_VERSION },
  },
  ETag: {
    description: "The resource's revision: send it back as If-Match to change the resource without losing another's update.",
    schema: { type: 'string', pattern: '^"\\d+"$', example: '"3"' },
  },
  'Retry-After': {
    description: 'Seconds to wait before trying again.',
    schema: { type: 'integer', minimum: 0, example: RETRY_AFTER_SECONDS },
  },
};

interface ErrorResponse {
  name: string;
  description: string;
  headers?: string[];
}

/** The error responses the edge, the guards and the error filter can give, by status. */
const ERROR_RESPONSES: Record<number, ErrorResponse> = {
  400: { name: 'BadRequest', description: 'The request is malformed: a field, parameter, header or the body itself; `errors` names each field and its problem.' },
  401: { name: 'Unauthorized', description: 'No bearer token, or one that was refused (expired, wrong issuer or audience, bad signature).' },
  403: { name: 'Forbidden', description: 'The caller lacks a role this operation admits, or does not act for the organisation concerned.' },
  404: { name: 'NotFound', description: 'The resource, or one the request refers to, does not exist.' },
  409: { name: 'Conflict', description: 'The resource has moved on since the revision in If-Match (the body names the current one), or the change conflicts with what exists.' },
  413: { name: 'PayloadTooLarge', description: 'The request body is larger than the limit.' },
  415: { name: 'UnsupportedMediaType', description: 'The request body is not JSON, or uses a charset or Content-Encoding that is not supported.' },
  422: { name: 'UnprocessableEntity', description: 'The request is well-formed but breaks a rule of the resource in its current state, or reuses an Idempotency-Key with a different request.' },
  429: { name: 'TooManyRequests', description: 'Too many requests (failed authentications from one address, or invitations from one caller); try again in a minute.' },
  500: { name: 'InternalServerError', description: 'An internal error; quote the correlation id when reporting it.' },
  503: { name: 'ServiceUnavailable', description: "The platform's database or queue is unavailable for a moment; retry after Retry-After seconds.", headers: ['Retry-After'] },
};

export interface ApiDocumentCompletion {
  /** The server URL of the versioned resources, e.g. `/v1`: relative, so the document is right behind any host. */
  serverUrl: string;
  /** Whether a path is served outside the versioned prefix (health probes), given the root as its server. */
  unversioned: (path: string) => boolean;
  /** The security scheme every operation needs unless it is public. */
  securityScheme: string;
  /** Named schemas that view classes refer to but no class describes (JSON Schemas of documents). */
  schemas?: Record<string, SchemaObject>;
}

/** The statuses every operation of its kind can give, whatever its handler does. */
function commonErrorStatuses(path: string, method: HttpMethod, operation: OperationObject, isPublic: boolean): number[] {
  const writes = method === 'post' || method === 'put' || method === 'patch' || method === 'delete';
  const statuses: number[] = [];
  // Public operations need no token (no 401/403, no per-caller rate limit). The probes answer for
  // themselves; the others (demo sign-in, the open dataset, the key set) read the database.
  if (isPublic) {
    if (/^\/(health|ready)$/.test(path)) return statuses;
    statuses.push(500, 503);
  } else {
    statuses.push(401, 403, 429, 500, 503);
  }
  if (writes || (operation.parameters ?? []).length > 0) statuses.push(400);
  // Every write takes an Idempotency-Key: the same key with another request is a 422.
  if (writes) statuses.push(413, 415, 422);
  if (path.includes('{')) statuses.push(404);
  return statuses;
}

function schemaHasRevision(document: OpenAPIObject, schema: SchemaObject | ReferenceObject | undefined): boolean {
  const resolved = isReference(schema) ? document.components?.schemas?.[schema.$ref.split('/').pop()!] : schema;
  if (!resolved || isReference(resolved)) return false;
  // Mirrors ETagInterceptor: an object view with an integer `revision` (or an assessment's `version`).
  const properties = resolved.properties ?? {};
  return ['revision', 'version'].some((name) => {
    const property = properties[name];
    return property !== undefined && !isReference(property) && property.type === 'integer';
  });
}

/**
 * Closes every object schema that lists its properties (the API refuses unknown fields and sends
 * none), writes a reference Nest wraps in a lone `allOf` as the reference itself, and gives a
 * nullable reference the type OpenAPI 3.0 wants beside `nullable`.
 */
function tidySchemas(schema: unknown, schemas: Record<string, SchemaObject | ReferenceObject>): void {
  if (Array.isArray(schema)) return schema.forEach((item) => tidySchemas(item, schemas));
  if (typeof schema !== 'object' || schema === null) return;
  const node = schema as SchemaObject & Record<string, unknown>;
  if (node.properties && node.additionalProperties === undefined) node.additionalProperties = false;
  const [first] = node.allOf ?? [];
  if (node.nullable && !node.type && first && isReference(first)) {
    const target = schemas[first.$ref.split('/').pop()!];
    if (target && !isReference(target)) node.type = target.type;
  }
  for (const [key, value] of Object.entries(node)) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) continue;
    const child = value as Record<string, unknown>;
    const [only, ...more] = Array.isArray(child.allOf) ? child.allOf : [];
    if (only && more.length === 0 && Object.keys(child).length === 1 && isReference(only)) node[key] = only;
  }
  for (const value of Object.values(node)) tidySchemas(value, schemas);
}

/**
 * Completes the document Nest generates into the published contract: the servers (versioned and
 * not), security on every operation (`security: []` on public ones), the one Problem schema and
 * the error responses every operation can give, the API-Version header on every response and ETag
 * on those that carry a revision, and closed object schemas.
 */
export function completeApiDocument(document: OpenAPIObject, options: ApiDocumentCompletion): OpenAPIObject {
  const components = (document.components ??= {});
  components.schemas = { ...components.schemas, ...options.schemas, ...PROBLEM_SCHEMAS };
  components.headers = { ...components.headers, ...HEADERS };
  const responses: Record<string, ResponseObject> = {};
  const sharedErrorResponse = (status: number): ReferenceObject => {
    const { name, description, headers } = ERROR_RESPONSES[status];
    responses[name] ??= errorResponse(description, headers);
    return ref('responses', name);
  };

  document.servers = [{ url: options.serverUrl, description: 'This API, version ' + API_VERSION.split('.')[0] }];
  document.security = [{ [options.securityScheme]: [] }];
  for (const [path, item] of Object.entries(document.paths) as [string, PathItemObject & Record<string, unknown>][]) {
    if (options.unversioned(path)) item.servers = [{ url: '/', description: 'Operational endpoints, outside the versioned contract' }];
    for (const method of HTTP_METHODS) {
      const operation = item[method] as (OperationObject & Record<string, unknown>) | undefined;
      if (!operation) continue;
      const isPublic = operation[PUBLIC_OPERATION_EXTENSION] === true;
      const roles = operation[ROLES_OPERATION_EXTENSION] as string[] | undefined;
      delete operation[PUBLIC_OPERATION_EXTENSION];
      delete operation[ROLES_OPERATION_EXTENSION];
      if (isPublic) operation.security = [];
      else delete operation.security;
      // Who may call it, from the metadata the access guard enforces, so the two cannot disagree.
      const access = isPublic ? 'Public: no token needed.' : roles?.length ? `Admits the roles: ${roles.join(', ')}.` : 'Admits no role.';
      operation.description = [operation.description, access].filter(Boolean).join('\n\n');

      for (const status of commonErrorStatuses(path, method, operation, isPublic)) {
        operation.responses[status] ??= sharedErrorResponse(status);
      }
      for (const [status, response] of Object.entries(operation.responses)) {
        if (!response || isReference(response)) continue;
        const code = Number(status);
        if (code >= 400 && !response.content && ERROR_RESPONSES[code]) {
          // Declared with a description of its own (ApiIfMatch, ApiProblems): keep it, add the body.
          Object.assign(response, errorResponse(response.description || ERROR_RESPONSES[code].description, ERROR_RESPONSES[code].headers));
        }
        response.headers = { [API_VERSION_HEADER]: ref('headers', API_VERSION_HEADER), ...response.headers };
        if (code < 300 && schemaHasRevision(document, response.content?.['application/json']?.schema)) response.headers.ETag = ref('headers', 'ETag');
      }
      operation.responses = Object.fromEntries(Object.entries(operation.responses).sort(([a], [b]) => a.localeCompare(b)));
    }
  }
  components.responses = { ...components.responses, ...responses };
  tidySchemas(components.schemas, components.schemas);
  return document;
}

function errorResponse(description: string, headers: string[] = []): ResponseObject {
  return {
    description,
    headers: Object.fromEntries([API_VERSION_HEADER, ...headers].map((name) => [name, ref('headers', name)])),
    content: { [PROBLEM_JSON]: { schema: ref('schemas', 'Problem') } },
  };
}
