import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import type { INestApplication } from '@nestjs/common';
import { mintLocalToken } from '@maatlat/access';
import { seededRandom } from '@maatlat/shared/domain';
import { SHIPPED_MODELS } from '@maatlat/model-catalogue/domain';
import { routesOf, type Route } from './support/routes';
import { startPlatform, TEST_ISSUER_SECRET as SECRET, type TestPlatform } from './support/platform';

/** A seeded fuzz of every write endpoint: a failure names its seed, so it can be replayed exactly. */
const SEED = Number(process.env.FUZZ_SEED ?? 20_260_601);
// FUZZ_REQUESTS=10000 for a longer run than the suite's; either prints its status histogram when FUZZ_REPORT=1.
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 2_500);
const CONCURRENCY = 4;
const BODY_LIMIT = 5 * 1024 * 1024;

type Random = () => number;

const integer = (random: Random, min: number, max: number) => min + Math.floor(random() * (max - min + 1));
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)];
const chance = (random: Random, p: number) => random() < p;

/** The router's routes with the method as HTTP writes it (`POST`), as the fuzz reports them. */
const endpointsOf = (api: INestApplication): Route[] => routesOf(api).map((route) => ({ ...route, method: route.method.toUpperCase() }));

interface Schema {
  type?: string;
  enum?: unknown[];
  $ref?: string;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
}

interface OpenApi {
  paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: Schema }> } }>>;
  components: { schemas: Record<string, Schema> };
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

interface FuzzRequest {
  route: string;
  defect: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  chunked: boolean;
}

// Path parameters that name nothing: malformed, encoded oddly, too long, or of another kind.
const BAD_IDS = ['x', '0', '-1', 'does-not-exist', '..', '%2e%2e', '%00', '%FF', '%E0%A4%A', 'a'.repeat(300), '__proto__', 'constructor', '%3Cscript%3E', "'%3B%20DROP%20TABLE%20events%3B--", 'NaN', 'null', 'F99-Q9', '0000.0'];
const NON_JSON_TYPES = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=zz', 'application/xml', 'text/json', 'application/jsonp', 'application/javascript', 'application/octet-stream', ';;;', 'application/', 'json'];
const BAD_CHARSETS = ['latin1', 'iso-8859-1', 'windows-1252', 'ucs-2', 'utf-99', 'koi8-r', 'utf-16le', 'utf-32'];
const BAD_ENCODINGS = ['x-compress', 'compress', 'zstd', 'gzip, gzip', 'identity;q=0', 'gzip', 'deflate', 'br', 'base64'];
/** What every API response carries (see securityHeaders). */
const SECURITY_HEADERS = [
  ['x-content-type-options', 'nosniff'],
  ['x-frame-options', 'DENY'],
  ['content-security-policy', "default-src 'none'; frame-ancestors 'none'"],
  ['cache-control', 'no-store'],
] as const;
const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype'];
const STRINGS = ['', ' ', 'a', 'Gemeente Utrecht', 'é', '📊', '<script>alert(1)</script>', "' OR 1=1 --", '${jndi:ldap://x}', '../../etc/passwd', '2026', '2026.1', 'datagedreven-overheid', 'strategic', 'municipality', 'true', '0', '-1', '1e309'];
// Markers for what JSON.stringify cannot write (deep nesting would overflow its stack; size).
const DEEP_MARKER = '\u2063deep\u2063';
const HUGE_MARKER = '\u2063huge\u2063';

function deepJson(random: Random, depth: number): string {
  let open = '';
  let close = '';
  for (let level = 0; level < depth; level++) {
    if (chance(random, 0.5)) {
      open += '[';
      close = ']' + close;
    } else {
      open += '{"k":';
      close = '}' + close;
    }
  }
  return `${open}0${close}`;
}

/** Sets an own key, even `__proto__`, which plain assignment would treat as the prototype. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

class Fuzzer {
  private readonly random: Random;
  private authFailuresLeft = 12;

  constructor(
    seed: number,
    private readonly openApi: OpenApi,
    private readonly ids: Record<string, string>,
    private readonly tokens: { admin: string; respondent: string },
  ) {
    this.random = seededRandom(seed);
  }

  private schemaOf(route: Route): Schema | undefined {
    // The document's paths are relative to its server, /v1.
    const path = route.path.replace(/^\/v1(?=\/)/, '').replace(/:(\w+)/g, '{$1}');
    const content = this.openApi.paths[path]?.[route.method.toLowerCase()]?.requestBody?.content;
    const schema = content?.['application/json']?.schema;
    return schema ? this.resolve(schema) : undefined;
  }

  private resolve(schema: Schema): Schema {
    return schema.$ref ? this.openApi.components.schemas[schema.$ref.split('/').pop()!] : schema;
  }

  private string(): string {
    const r = this.random();
    if (r < 0.55) return pick(this.random, STRINGS);
    if (r < 0.8) return pick(this.random, Object.values(this.ids));
    if (r < 0.95) return Array.from({ length: integer(this.random, 1, 40) }, () => String.fromCharCode(integer(this.random, 0x20, 0x7e))).join('');
    return 'x'.repeat(integer(this.random, 1_000, 200_000));
  }

  /** Any JSON value, small. */
  private anything(depth = 0): unknown {
    const r = this.random();
    if (r < 0.15) return null;
    if (r < 0.3) return chance(this.random, 0.5);
    if (r < 0.5) return pick(this.random, [0, 1, -1, 5, 6, 3.5, 1e21, -2147483649, Number.MAX_SAFE_INTEGER]);
    if (r < 0.75 || depth > 2) return this.string();
    if (r < 0.88) return Array.from({ length: integer(this.random, 0, 4) }, () => this.anything(depth + 1));
    return Object.fromEntries(Array.from({ length: integer(this.random, 0, 3) }, () => [pick(this.random, ['a', 'kind', 'title', 'level', 'id', 'x']), this.anything(depth + 1)]));
  }

  /** A value that could be meant for the property, or nearly. */
  private valueFor(schema: Schema, depth = 0): unknown {
    const resolved = this.resolve(schema);
    if (resolved.enum && chance(this.random, 0.8)) return pick(this.random, resolved.enum);
    if (resolved.properties && depth < 3) return this.objectFor(resolved, depth + 1);
    switch (resolved.type) {
      case 'string':
        return this.string();
      case 'number':
      case 'integer':
        return pick(this.random, [0, 1, 2, 3, 4, 5, -1, 6, 2.5, 1e9]);
      case 'boolean':
        return chance(this.random, 0.7);
      case 'array':
        return Array.from({ length: integer(this.random, 0, 4) }, () => (resolved.items ? this.valueFor(resolved.items, depth + 1) : this.anything(depth + 1)));
      default:
        return this.anything(depth + 1);
    }
  }

  private objectFor(schema: Schema, depth = 0): Record<string, unknown> {
    const body: Record<string, unknown> = {};
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      if (chance(this.random, 0.85)) body[name] = this.valueFor(property, depth);
    }
    return body;
  }

  /** Wrong types, nulls, huge strings, missing and extra fields: some may pass, some not. */
  private addNoise(body: Record<string, unknown>): void {
    for (let count = integer(this.random, 0, 3); count > 0; count--) {
      const names = Object.keys(body);
      const name = names.length > 0 && chance(this.random, 0.8) ? pick(this.random, names) : pick(this.random, ['extra', 'id', 'kind']);
      const r = this.random();
      if (r < 0.25) delete body[name];
      else if (r < 0.45) body[name] = null;
      else if (r < 0.6) body[name] = 'y'.repeat(integer(this.random, 300, 100_000));
      else body[name] = this.anything();
    }
  }

  /** A value that no validator of a property of this type accepts. */
  private wrongTypeFor(schema: Schema): unknown {
    const type = this.resolve(schema).properties ? 'object' : this.resolve(schema).type;
    const candidates: Record<string, unknown[]> = {
      string: [42, true, ['a'], { a: 1 }, 0],
      number: ['1', true, [1], { a: 1 }],
      integer: ['1', true, [1], { a: 1 }, 1.5],
      boolean: ['true', 1, [true], {}],
      array: ['strategic', 3, { 0: 'strategic' }, true],
      object: ['{}', 7, ['a'], true],
    };
    return pick(this.random, candidates[type ?? ''] ?? [undefined]);
  }

  private containersOf(body: unknown): (Record<string, unknown> | unknown[])[] {
    const found: (Record<string, unknown> | unknown[])[] = [];
    const visit = (value: unknown, depth: number) => {
      if (typeof value !== 'object' || value === null || depth > 8) return;
      found.push(value as Record<string, unknown> | unknown[]);
      for (const child of Object.values(value)) visit(child, depth + 1);
    };
    visit(body, 0);
    return found;
  }

  /** Puts a value somewhere in the body: at the top, or inside a nested object or array. */
  private plant(body: Record<string, unknown>, value: unknown): void {
    const container = pick(this.random, this.containersOf(body));
    if (Array.isArray(container)) container.push(value);
    else setOwn(container, pick(this.random, ['note', 'title', 'name', 'reason', 'extra']), value);
  }

  /** Puts a key at the top or into a nested object (an array has no keys to poison). */
  private plantKey(body: Record<string, unknown>, key: string, value: unknown): void {
    setOwn(pick(this.random, this.containersOf(body).filter((container) => !Array.isArray(container))) as Record<string, unknown>, key, value);
  }

  private poisonString(random: Random): string {
    const poison = pick(random, ['\u0000', '\ud800', '\udfff', '\udc00\ud800', 'a\ud83d']);
    // A host without surrogates, or the poison could pair up with its neighbours into valid text.
    const text = pick(random, STRINGS.filter((s) => !/[\ud800-\udfff]/.test(s)));
    const at = integer(random, 0, text.length);
    return text.slice(0, at) + poison + text.slice(at);
  }

  private pathFor(route: Route, badPath: boolean): string {
    const params = route.path.match(/:\w+/g) ?? [];
    const broken = badPath ? pick(this.random, params) : undefined;
    return route.path.replace(/:(\w+)/g, (param, name: string) => {
      if (param !== broken) return encodeURIComponent(this.ids[name] ?? 'x');
      // Another kind of id, or no sort of id at all.
      return chance(this.random, 0.3) ? encodeURIComponent(pick(this.random, Object.values(this.ids).filter((id) => id !== this.ids[name]))) : pick(this.random, BAD_IDS);
    });
  }

  private authorisation(route: Route): Record<string, string> {
    const forRespondent = /\/answers\/|\/submit$/.test(route.path);
    const r = this.random();
    if (r < 0.02 && this.authFailuresLeft > 0) {
      // Failed authentications are limited per address: a few only, or everything after them is 429.
      this.authFailuresLeft--;
      return chance(this.random, 0.5) ? {} : { Authorization: pick(this.random, ['Bearer', 'Bearer not.a.token', 'Basic YWRtaW46YWRtaW4=', `Bearer ${this.tokens.admin}x`]) };
    }
    if (r < 0.06) return { Authorization: `Bearer ${forRespondent ? this.tokens.admin : this.tokens.respondent}` };
    return { Authorization: `Bearer ${forRespondent ? this.tokens.respondent : this.tokens.admin}` };
  }

  /** One request that must be refused: every one carries at least one defect no endpoint accepts. */
  next(routes: Route[], gzipBomb: Buffer): FuzzRequest {
    const route = pick(this.random, routes);
    const schema = this.schemaOf(route);
    const hasParams = route.path.includes(':');
    const required = (schema?.required ?? []).filter((name) => this.wrongTypeFor(schema!.properties![name]) !== undefined);
    const defects = [
      'non-json-type', 'bad-charset', 'bad-encoding', 'gzip-bomb', 'oversized', 'malformed-json', 'random-bytes',
      'deep-nesting', 'long-array', 'nul-or-surrogate', 'poisoned-key', 'prototype-key',
      ...(schema ? ['unknown-field', 'unknown-field', 'wrong-type', 'wrong-type'] : []),
      ...(hasParams && !schema ? ['bad-path', 'bad-path', 'bad-path'] : []),
    ];
    let defect = pick(this.random, defects);
    // Large bodies are few: they prove the limit, not the limit a thousand times.
    if ((defect === 'oversized' || defect === 'gzip-bomb') && chance(this.random, 0.7)) defect = 'malformed-json';
    if (defect === 'wrong-type' && required.length === 0) defect = 'unknown-field';

    const body = schema ? this.objectFor(schema) : chance(this.random, 0.5) ? {} : (this.anything() as Record<string, unknown>);
    const object: Record<string, unknown> = typeof body === 'object' && body !== null && !Array.isArray(body) ? body : { value: body };
    this.addNoise(object);
    const path = this.pathFor(route, defect === 'bad-path' || (hasParams && chance(this.random, 0.1)));
    const headers: Record<string, string> = { 'Content-Type': 'application/json', ...this.authorisation(route) };
    if (chance(this.random, 0.05)) headers['Idempotency-Key'] = this.string().slice(0, 100).replace(/[^\x21-\x7e]/g, '-') || 'k';
    if (chance(this.random, 0.05)) headers['If-Match'] = pick(this.random, ['"1"', 'W/"2"', '*', 'abc', '"-1"', '']);

    switch (defect) {
      case 'unknown-field':
        object[`zz${integer(this.random, 0, 1e6)}`] = this.anything();
        break;
      case 'wrong-type': {
        const name = pick(this.random, required);
        object[name] = this.wrongTypeFor(schema!.properties![name]);
        break;
      }
      case 'deep-nesting':
        this.plant(object, DEEP_MARKER);
        break;
      case 'long-array':
        this.plant(object, new Array(integer(this.random, 10_001, 12_000)).fill(pick(this.random, [0, 'a', null])));
        break;
      case 'nul-or-surrogate':
        this.plant(object, this.poisonString(this.random));
        break;
      case 'poisoned-key':
        this.plantKey(object, this.poisonString(this.random), this.anything());
        break;
      case 'prototype-key':
        this.plantKey(object, pick(this.random, PROTOTYPE_KEYS), chance(this.random, 0.5) ? { isAdmin: true } : this.anything());
        break;
      case 'oversized':
        this.plant(object, HUGE_MARKER);
        break;
    }

    let text = JSON.stringify(object)
      .replace(JSON.stringify(DEEP_MARKER), () => deepJson(this.random, integer(this.random, 33, 15_000)))
      .replace(JSON.stringify(HUGE_MARKER), () => JSON.stringify('z'.repeat(BODY_LIMIT + integer(this.random, 1, 300_000))));
    let payload: Buffer | undefined;
    switch (defect) {
      case 'non-json-type': {
        const type = pick(this.random, NON_JSON_TYPES);
        if (type === 'application/x-www-form-urlencoded') text = Object.entries(object).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(JSON.stringify(v))}`).join('&') || 'a=1';
        if (chance(this.random, 0.15)) delete headers['Content-Type'];
        else headers['Content-Type'] = type;
        break;
      }
      case 'bad-charset':
        headers['Content-Type'] = `application/json; charset=${pick(this.random, BAD_CHARSETS)}`;
        break;
      case 'bad-encoding':
        headers['Content-Encoding'] = pick(this.random, BAD_ENCODINGS);
        break;
      case 'gzip-bomb':
        headers['Content-Encoding'] = 'gzip';
        payload = gzipBomb;
        break;
      case 'malformed-json':
        text = chance(this.random, 0.6) ? text.slice(0, integer(this.random, 1, Math.max(1, text.length - 1))) : text + pick(this.random, ['x', ',', '}', "'", ' {']);
        break;
      case 'random-bytes': {
        const bytes = Buffer.from(Array.from({ length: integer(this.random, 1, 3000) }, () => integer(this.random, 0, 255)));
        // Never the start of a JSON text, so that the bytes cannot parse by luck.
        bytes[0] = pick(this.random, [0x00, 0x01, 0x22, 0x41, 0x7d, 0xff, 0xc3]);
        payload = bytes;
        if (chance(this.random, 0.3)) headers['Content-Type'] = pick(this.random, NON_JSON_TYPES);
        break;
      }
    }
    return {
      route: `${route.method} ${route.path}`,
      defect,
      method: route.method,
      path,
      headers,
      body: payload ?? Buffer.from(text, 'utf8'),
      chunked: chance(this.random, 0.05),
    };
  }
}

function send(port: number, agent: Agent, fuzz: Pick<FuzzRequest, 'method' | 'path' | 'headers' | 'body' | 'chunked'>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...fuzz.headers };
    if (fuzz.body && !fuzz.chunked) headers['Content-Length'] = String(fuzz.body.length);
    const outgoing = httpRequest({ host: '127.0.0.1', port, agent, method: fuzz.method, path: fuzz.path, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, text: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    // The server may answer (and close) before it has read a large body: that is its right.
    outgoing.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error)));
    if (fuzz.body && fuzz.chunked) {
      const middle = Math.floor(fuzz.body.length / 2);
      outgoing.write(fuzz.body.subarray(0, middle));
      outgoing.end(fuzz.body.subarray(middle));
    } else {
      outgoing.end(fuzz.body);
    }
  });
}

function parsed(answer: Answer): Record<string, unknown> | undefined {
  try {
    return JSON.parse(answer.text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

describe('malformed HTTP input to every write endpoint', () => {
  let platform: TestPlatform;
  let port: number;
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const ids: Record<string, string> = { questionId: 'F01-Q1', key: 'datagedreven-overheid', version: '2026.1' };
  let adminToken: string;
  let respondentToken: string;
  const eventCount = async () => Number((await platform.database.pool.query('SELECT count(*) AS n FROM events')).rows[0].n);
  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    send(port, agent, {
      method,
      path,
      headers: { ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), Authorization: `Bearer ${adminToken}`, ...headers },
      body: body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
      chunked: false,
    });
  const created = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const answer = await call('POST', path, body, headers);
    if (answer.status >= 300) throw new Error(`${path}: ${answer.status} ${answer.text}`);
    return parsed(answer)!;
  };

  beforeAll(async () => {
    platform = await startPlatform();
    await platform.api.listen(0, '127.0.0.1');
    port = (platform.api.getHttpServer().address() as AddressInfo).port;
    adminToken = await mintLocalToken(SECRET, { subject: 'admin', roles: ['platform-admin'], organisations: [] });
    ids.organisationId = (await created('/v1/organisations', { name: 'Gemeente Fuzz', organisationType: 'municipality', sizeBand: 'small' })).organisationId as string;
    ids.unitId = (await created(`/v1/organisations/${ids.organisationId}/units`, { name: 'Team Rand', kind: 'team' })).unitId as string;
    ids.respondentId = (await created(`/v1/organisations/${ids.organisationId}/respondents`, { name: 'Rik Rand', email: 'rik.rand@example.nl' })).respondentId as string;
    ids.chainId = (await created('/v1/chains', { name: 'Keten Rand', description: 'fuzz' })).chainId as string;
    await created(`/v1/chains/${ids.chainId}/members`, { organisationId: ids.organisationId, unitId: ids.unitId });
    await created('/v1/model-versions', { document: SHIPPED_MODELS['2026.1'] });
    await created('/v1/model-versions/datagedreven-overheid/2026.1/publish', { legalBasis: 'Woo', effectiveFrom: '2026-01-01' });
    ids.assessmentId = (
      await created('/v1/assessments', { organisationId: ids.organisationId, scope: { kind: 'organisation' }, period: '2026', model: { key: 'datagedreven-overheid', version: '2026.1' }, layers: ['strategic'] })
    ).assessmentId as string;
    await created(`/v1/assessments/${ids.assessmentId}/invitations`, { respondentId: ids.respondentId, layer: 'strategic' });
    respondentToken = (await created(`/v1/organisations/${ids.organisationId}/respondents/${ids.respondentId}/invitations`, { assessmentId: ids.assessmentId, layer: 'strategic' })).token as string;
  });
  afterAll(async () => {
    agent.destroy();
    await platform?.stop();
  });

  it(`refuses ${REQUESTS} malformed requests (seed ${SEED}) with a 4xx problem each, and writes nothing`, async () => {
    const routes = endpointsOf(platform.api).filter((route) => ['POST', 'PUT', 'PATCH'].includes(route.method));
    expect(routes.length).toBeGreaterThanOrEqual(20);
    const openApi = JSON.parse((await call('GET', '/v1/openapi.json')).text) as OpenApi;
    const fuzzer = new Fuzzer(SEED, openApi, ids, { admin: adminToken, respondent: respondentToken });
    const gzipBomb = gzipSync(Buffer.alloc(BODY_LIMIT + 1_000_000, 0x20));
    const requests = Array.from({ length: REQUESTS }, () => fuzzer.next(routes, gzipBomb));

    const before = await eventCount();
    const histogram: Record<string, number> = {};
    const byDefect: Record<string, Record<string, number>> = {};
    const unexpected: { route: string; defect: string; path: string; status: number; contentType?: string; body: string }[] = [];
    const routesHit = new Set<string>();
    let cursor = 0;
    const worker = async () => {
      while (cursor < requests.length) {
        const fuzz = requests[cursor++];
        const answer = await send(port, agent, fuzz);
        routesHit.add(fuzz.route);
        histogram[answer.status] = (histogram[answer.status] ?? 0) + 1;
        byDefect[fuzz.defect] = { ...byDefect[fuzz.defect], [answer.status]: (byDefect[fuzz.defect]?.[answer.status] ?? 0) + 1 };
        const body = parsed(answer);
        const isProblem = String(answer.headers['content-type']).startsWith('application/problem+json') && body?.status === answer.status;
        // Refusals too carry the security headers, whichever layer (body parser, guard, pipe, filter) answered.
        const secured = SECURITY_HEADERS.every(([name, value]) => answer.headers[name] === value);
        if (answer.status < 400 || answer.status >= 500 || !isProblem || !secured) {
          unexpected.push({ route: fuzz.route, defect: fuzz.defect, path: fuzz.path.slice(0, 120), status: answer.status, contentType: answer.headers['content-type'], body: secured ? answer.text.slice(0, 300) : 'security headers missing' });
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const written = (await eventCount()) - before;
    if (process.env.FUZZ_REPORT) process.stderr.write(`fuzz: seed ${SEED}, ${requests.length} requests, ${routesHit.size} routes, statuses ${JSON.stringify(histogram)}, by defect ${JSON.stringify(byDefect)}, written ${written}, unexpected ${unexpected.length}\n`);

    // The histogram travels in the assertion, so a failure shows the whole picture.
    expect({ seed: SEED, requests: requests.length, routesHit: routesHit.size, histogram, byDefect, written, unexpected: unexpected.slice(0, 15), unexpectedCount: unexpected.length }).toEqual({
      seed: SEED,
      requests: REQUESTS,
      routesHit: routes.length,
      histogram,
      byDefect,
      written: 0,
      unexpected: [],
      unexpectedCount: 0,
    });
    // A longer run (FUZZ_REQUESTS) gets the time it needs on a busy machine.
  }, Math.max(60_000, REQUESTS * 100));

  describe('the cases the outside tester reported', () => {
    const problemOf = (answer: Answer) => {
      expect(answer.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      const body = parsed(answer)!;
      expect(body.status).toBe(answer.status);
      return body as { code: string; detail: string; errors?: { field: string; problem: string }[]; instance: string };
    };
    const fieldsOf = (answer: Answer) => (problemOf(answer).errors ?? []).map((e) => e.field);

    it('refuses null for every optional field of an organisation profile change, naming it', async () => {
      const before = await eventCount();
      for (const field of ['name', 'organisationType', 'sizeBand', 'expectedRevision']) {
        const answer = await call('PATCH', `/v1/organisations/${ids.organisationId}`, { [field]: null });
        expect({ field, status: answer.status }).toEqual({ field, status: 400 });
        expect(fieldsOf(answer)).toContain(field);
      }
      expect(await eventCount()).toBe(before);
      // Left out, a field is kept as it is.
      expect((await call('PATCH', `/v1/organisations/${ids.organisationId}`, { name: 'Gemeente Fuzz-Rand' })).status).toBe(200);
    });

    it('refuses an assessment without a scope or a model, naming it', async () => {
      const before = await eventCount();
      const valid = { organisationId: ids.organisationId, scope: { kind: 'organisation' }, period: '2027', model: { key: 'datagedreven-overheid', version: '2026.1' }, layers: ['strategic'] };
      for (const field of ['scope', 'model'] as const) {
        const { [field]: _, ...without } = valid;
        for (const body of [without, { ...valid, [field]: null }, { ...valid, [field]: 'organisation' }]) {
          const answer = await call('POST', '/v1/assessments', body);
          expect({ field, status: answer.status }).toEqual({ field, status: 400 });
          expect(fieldsOf(answer)).toContain(field);
        }
      }
      expect(await eventCount()).toBe(before);
    });

    it('refuses an asOf outside the years 1 to 9999, naming it', async () => {
      for (const asOf of ['-271821-04-20', '+275760-09-13T00:00:00Z', '10000-01-01', '0000-12-31T00:00:00Z', 'yesterday']) {
        const answer = await call('GET', `/v1/assessments/${ids.assessmentId}?asOf=${encodeURIComponent(asOf)}`);
        expect({ asOf, status: answer.status }).toEqual({ asOf, status: 400 });
        expect(fieldsOf(answer)).toEqual(['asOf']);
      }
      // In range, the year 1 is simply before the assessment was opened.
      const yearOne = await call('GET', `/v1/assessments/${ids.assessmentId}?asOf=0001-01-01T00:00:00Z`);
      expect([yearOne.status, problemOf(yearOne).code]).toEqual([404, 'assessment.not-found']);
      expect((await call('GET', `/v1/assessments/${ids.assessmentId}?asOf=9999-12-31T23:59:59Z`)).status).toBe(200);
    });

    it('answers body-parser errors with 413 and 415, not 500', async () => {
      const big = await call('POST', '/v1/model-versions', { document: SHIPPED_MODELS['2026.1'], reason: 'r'.repeat(BODY_LIMIT) });
      expect([big.status, problemOf(big).code]).toEqual([413, 'request.body-too-large']);
      const charset = await call('POST', '/v1/chains', { name: 'K', description: 'd' }, { 'Content-Type': 'application/json; charset=latin1' });
      expect([charset.status, problemOf(charset).code]).toEqual([415, 'request.unsupported-charset']);
      const encoding = await call('POST', '/v1/chains', { name: 'K', description: 'd' }, { 'Content-Encoding': 'x-compress' });
      expect([encoding.status, problemOf(encoding).code]).toEqual([415, 'request.unsupported-encoding']);
      const form = await call('POST', '/v1/chains', 'name=K&description=d', { 'Content-Type': 'application/x-www-form-urlencoded' });
      expect([form.status, problemOf(form).code]).toEqual([415, 'request.unsupported-media-type']);
    });

    it('refuses a body nested 10,000 deep with a 400 naming the limit, quickly', async () => {
      const started = Date.now();
      const answer = await call('POST', '/v1/model-versions', `{"document":${'['.repeat(10_000)}${']'.repeat(10_000)}}`);
      expect(Date.now() - started).toBeLessThan(1000);
      expect(answer.status).toBe(400);
      expect(problemOf(answer).detail).toMatch(/nested deeper than the limit of 32 levels/);
    });

    it('refuses NUL and lone surrogates before they reach PostgreSQL, naming the field', async () => {
      const before = await eventCount();
      for (const title of ['Datastrategie\u0000', 'Data\ud800strategie']) {
        const answer = await call('PUT', `/v1/assessments/${ids.assessmentId}/answers/F01-Q2`, { level: 3, evidence: [{ kind: 'document', reference: 'DMS-1', title }] }, { Authorization: `Bearer ${respondentToken}` });
        expect(answer.status).toBe(400);
        expect(fieldsOf(answer)).toEqual(['evidence[0].title']);
      }
      expect(await eventCount()).toBe(before);
    });

    it('refuses __proto__ in a body as an unknown field instead of dropping it', async () => {
      const before = await eventCount();
      const answer = await call('POST', '/v1/organisations', '{"name":"Gemeente Proto","organisationType":"municipality","sizeBand":"small","__proto__":{"isAdmin":true}}');
      expect(answer.status).toBe(400);
      expect(problemOf(answer).errors).toEqual([{ field: '__proto__', problem: 'property __proto__ should not exist' }]);
      expect(await eventCount()).toBe(before);
    });

    it('finds no unit by a name every JavaScript object has', async () => {
      const before = await eventCount();
      const units = `/v1/organisations/${ids.organisationId}/units`;
      for (const [method, path, body] of [
        ['POST', `${units}/constructor/close`, undefined],
        ['PATCH', `${units}/constructor`, { name: 'Team Constructor' }],
        ['POST', `${units}/constructor/move`, { toParentUnitId: null }],
        ['POST', units, { name: 'Team Onder', kind: 'team', parentUnitId: 'constructor' }],
        ['POST', `${units}/${ids.unitId}/move`, { toParentUnitId: 'constructor' }],
      ] as const) {
        const answer = await call(method, path, body);
        expect({ method, path, status: answer.status, code: problemOf(answer).code }).toEqual({ method, path, status: 404, code: 'unit.not-found' });
      }
      expect(await eventCount()).toBe(before);
    });

    it('sets the security headers, with a policy the API docs can work under', async () => {
      const api = await call('GET', '/v1/organisations');
      expect(api.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
        'referrer-policy': 'no-referrer',
        'cross-origin-resource-policy': 'same-origin',
        'cache-control': 'no-store',
      });
      expect(api.headers['access-control-allow-origin']).toBeUndefined();
      const health = await call('GET', '/health');
      expect(health.headers['cache-control']).toBeUndefined();
      expect(health.headers['x-frame-options']).toBe('DENY');
      const docs = await call('GET', '/api/docs');
      expect(docs.status).toBe(200);
      expect(docs.headers['content-security-policy']).toBe("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'");
      // Everything the page loads comes from the API itself, which the policy allows.
      const sources = [...docs.text.matchAll(/(?:src|href)=["']([^"']+)["']/g)].map((match) => match[1]);
      const paths = sources.map((source) => new URL(source, 'http://api.invalid/api/docs').pathname);
      expect(paths).toEqual(expect.arrayContaining(['/api/docs/swagger-ui-bundle.js', '/api/docs/swagger-ui-init.js', '/api/docs/swagger-ui.css']));
      expect(sources.filter((source) => /^[a-z]+:|^\/\//i.test(source))).toEqual([]);
      for (const path of paths) expect({ path, status: (await call('GET', path)).status }).toEqual({ path, status: 200 });
    });
  });
});
