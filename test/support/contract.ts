import type { NextFunction, Request, Response } from 'express';
import Ajv, { type ValidateFunction } from 'ajv';

/** One response the API gave, as the recorder saw it leave. */
export interface Exchange {
  method: string;
  /** The path as requested, without its query. */
  path: string;
  status: number;
  contentType?: string;
  apiVersion?: string;
  body: Buffer;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };
interface Operation {
  key: string;
  responses: JsonObject;
}
interface Route {
  pattern: RegExp;
  /** Literal segments: a route with more of them wins (`/model-versions/{key}/diff` over `/{key}/{version}`). */
  literals: number;
  template: string;
  operations: Record<string, Operation>;
}

const isObject = (value: Json | undefined): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

// Annotations of OpenAPI that JSON Schema validation has no use for (oneOf decides what discriminator says).
const ANNOTATIONS = new Set(['example', 'xml', 'externalDocs', 'discriminator']);

/**
 * An OpenAPI 3.0 schema as the JSON Schema ajv validates with: `nullable` becomes "or null",
 * boolean exclusive bounds the numeric ones, and references point into one shared schema.
 */
function asJsonSchema(node: Json): Json {
  if (Array.isArray(node)) return node.map(asJsonSchema);
  if (!isObject(node)) return node;
  const result: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (ANNOTATIONS.has(key) || key === 'nullable') continue;
    if (key === '$ref' && typeof value === 'string') result.$ref = value.replace('#/components/schemas/', 'contract#/definitions/');
    else if ((key === 'exclusiveMinimum' || key === 'exclusiveMaximum') && typeof value === 'boolean') {
      const bound = key === 'exclusiveMinimum' ? 'minimum' : 'maximum';
      if (value && typeof node[bound] === 'number') result[key] = node[bound];
    } else if (key === 'properties' && isObject(value)) result[key] = Object.fromEntries(Object.entries(value).map(([name, schema]) => [name, asJsonSchema(schema)]));
    else result[key] = asJsonSchema(value);
  }
  if (node.exclusiveMinimum === true) delete result.minimum;
  if (node.exclusiveMaximum === true) delete result.maximum;
  return node.nullable === true ? { anyOf: [{ type: 'null' }, result] } : result;
}

const FORMATS: Record<string, RegExp> = {
  'date-time': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/,
  date: /^\d{4}-\d{2}-\d{2}$/,
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  email: /^[^\s@]+@[^\s@]+$/,
  uri: /^[a-z][a-z0-9+.-]*:\S+$/i,
  'uri-reference': /^\S*$/,
};

export interface ContractReport {
  /** Responses checked against the document (status, media type, body schema, API-Version). */
  validated: number;
  /** Operations (`GET /organisations/{organisationId}`) that answered with a documented success. */
  succeeded: Set<string>;
  violations: string[];
}

/** Holds responses to the OpenAPI document the API publishes: every status, media type and body. */
export class ContractChecker {
  private readonly ajv = new Ajv({ allErrors: true, strict: true });
  private readonly routes: Route[] = [];
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly version: string;
  readonly report: ContractReport = { validated: 0, succeeded: new Set(), violations: [] };

  constructor(private readonly document: JsonObject) {
    for (const [name, format] of Object.entries(FORMATS)) this.ajv.addFormat(name, format);
    const components = isObject(document.components) ? document.components : {};
    const schemas = isObject(components.schemas) ? components.schemas : {};
    this.ajv.addSchema({ $id: 'contract', definitions: asJsonSchema(schemas) } as object);
    this.version = String((document.info as JsonObject).version);
    const servers = (document.servers as JsonObject[]) ?? [{ url: '/' }];
    for (const [template, item] of Object.entries(document.paths as JsonObject)) {
      if (!isObject(item)) continue;
      const base = String(((item.servers as JsonObject[] | undefined) ?? servers)[0].url).replace(/\/$/, '');
      const full = `${base}${template}`;
      const pattern = new RegExp(`^${full.split(/\{[^}]+\}/).map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&')).join('[^/]+')}$`);
      const operations: Record<string, Operation> = {};
      for (const [method, operation] of Object.entries(item)) {
        if (isObject(operation) && isObject(operation.responses)) operations[method.toUpperCase()] = { key: `${method.toUpperCase()} ${template}`, responses: operation.responses };
      }
      this.routes.push({ pattern, literals: full.split('/').filter((segment) => segment && !segment.startsWith('{')).length, template, operations });
    }
    this.routes.sort((a, b) => b.literals - a.literals);
  }

  check(exchange: Exchange): void {
    // The documentation UI is for people, not part of the contract; HEAD answers without a body.
    if (exchange.path.startsWith('/api/docs') || exchange.method === 'HEAD') return;
    // Nor is the web application (its pages, scripts and settings), served beside the API.
    if (!/^\/(v\d+|health|ready|open-data|\.well-known)(\/|$)/.test(exchange.path) && exchange.status < 400) return;
    const where = `${exchange.method} ${exchange.path.slice(0, 120)} -> ${exchange.status}`;
    const problems: string[] = [];
    if (exchange.apiVersion !== this.version) problems.push(`API-Version is ${JSON.stringify(exchange.apiVersion)}, not ${this.version}`);
    const operation = this.routes.find((route) => route.pattern.test(exchange.path) && route.operations[exchange.method])?.operations[exchange.method];
    if (!operation) {
      // No such route: the router's 404, which is a Problem too.
      if (exchange.status === 404) problems.push(...this.bodyProblems(exchange, 'unrouted 404', { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } }));
      else problems.push('no documented operation answers this method and path');
    } else {
      const response = this.resolve(operation.responses[String(exchange.status)]);
      if (!response) problems.push(`${operation.key} does not document status ${exchange.status}`);
      else {
        problems.push(...this.bodyProblems(exchange, `${operation.key} ${exchange.status}`, isObject(response.content) ? response.content : undefined));
        if (exchange.status < 300 && problems.length === 0) this.report.succeeded.add(operation.key);
      }
    }
    if (problems.length) this.report.violations.push(`${where}: ${problems.join('; ')}`);
    else this.report.validated += 1;
  }

  private resolve(response: Json | undefined): JsonObject | undefined {
    if (!isObject(response)) return undefined;
    if (typeof response.$ref !== 'string') return response;
    return this.resolve((this.document.components as JsonObject & { responses: JsonObject }).responses[response.$ref.split('/').pop()!]);
  }

  private bodyProblems(exchange: Exchange, key: string, content: JsonObject | undefined): string[] {
    const mediaType = exchange.contentType?.split(';')[0].trim().toLowerCase();
    if (!content) return exchange.body.length === 0 ? [] : [`sent a body (${mediaType}) where the document has none`];
    const documented = mediaType ? content[mediaType] : undefined;
    if (!isObject(documented)) return [`content type ${JSON.stringify(mediaType)} is not one of ${Object.keys(content).join(', ')}`];
    if (!isObject(documented.schema) || !mediaType?.endsWith('json')) return [];
    let body: unknown;
    try {
      body = JSON.parse(exchange.body.toString('utf8'));
    } catch {
      return ['the body is not JSON'];
    }
    const id = `${key} ${mediaType}`;
    let validate = this.validators.get(id);
    if (!validate) {
      validate = this.ajv.compile(asJsonSchema(documented.schema) as object);
      this.validators.set(id, validate);
    }
    if (validate(body)) return [];
    return (validate.errors ?? []).slice(0, 5).map((error) => `body${error.instancePath} ${error.message}${error.params && 'additionalProperty' in error.params ? ` (${String(error.params.additionalProperty)})` : ''}`);
  }
}

/**
 * Express middleware that copies every response on its way out (status, headers and body) and
 * hands it over once it is sent. Mounted before anything else, so it sees errors, 404s and the
 * responses of middleware too.
 */
export function recordExchanges(onExchange: (exchange: Exchange) => void) {
  return function recordExchanges(request: Request, response: Response, next: NextFunction): void {
    const chunks: Buffer[] = [];
    const keep = (chunk: unknown, encoding?: unknown) => {
      if (typeof chunk === 'string') chunks.push(Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8'));
      else if (chunk instanceof Uint8Array) chunks.push(Buffer.from(chunk));
    };
    const write = response.write.bind(response) as (...args: unknown[]) => boolean;
    const end = response.end.bind(response) as (...args: unknown[]) => Response;
    response.write = ((chunk: unknown, ...rest: unknown[]) => {
      keep(chunk, rest[0]);
      return write(chunk, ...rest);
    }) as Response['write'];
    response.end = ((chunk?: unknown, ...rest: unknown[]) => {
      if (typeof chunk !== 'function') keep(chunk, rest[0]);
      return end(chunk, ...rest);
    }) as Response['end'];
    response.on('finish', () => {
      const header = (name: string) => {
        const value = response.getHeader(name);
        return value === undefined ? undefined : String(value);
      };
      onExchange({
        method: request.method,
        path: (request.originalUrl ?? request.url).split('?')[0],
        status: response.statusCode,
        contentType: header('content-type'),
        apiVersion: header('api-version'),
        body: Buffer.concat(chunks),
      });
    });
    next();
  };
}
