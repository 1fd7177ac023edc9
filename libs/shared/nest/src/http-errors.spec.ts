import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { Body, Controller, Get, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsString, Max, Min, ValidateNested } from 'class-validator';
import request from 'supertest';
import { Conflict, NotFound, RuleBroken } from '@maatlat/shared/domain';
import { clientErrorCarriedBy } from './client-errors';
import { DomainErrorFilter } from './domain-error.filter';
import { jsonBodyProblems, useJsonBodies } from './json-bodies';
import { securityHeaders } from './security-headers';
import { strictValidationPipe } from './validation';

class EvidenceDto {
  @IsString() title!: string;
}
class AnswerDto {
  @IsInt() @Min(0) @Max(5) level!: number;
  @IsIn(['strategic', 'tactical', 'operational']) layer!: string;
  @ValidateNested() @Type(() => EvidenceDto) evidence!: EvidenceDto;
}

const written: unknown[] = [];

@Controller()
class ProbeController {
  @Post('answers') record(@Body() answer: AnswerDto) {
    written.push(answer);
    return { ok: true };
  }
  // No DTO: the body arrives as parsed, so only the edge stands between it and the handler.
  @Post('documents') keep(@Body() document: Record<string, unknown>) {
    written.push(document);
    return { keys: Object.keys(document ?? {}) };
  }
  @Get('crash') crash() {
    throw new Error('connection string postgres://secret@db leaked?');
  }
  @Get('missing') missing() {
    throw new NotFound('assessment', 'a-1');
  }
  @Get('stale') stale() {
    throw new Conflict('stream.wrong-expected-version', 'stream s is at version 3, not the expected version 2', { actualVersion: 3 });
  }
  @Get('closed') closed() {
    throw new RuleBroken('assessment.closed', 'the assessment is closed');
  }
  @Get('health') health() {
    return { status: 'ok' };
  }
  @Get('carried') carried() {
    throw Object.assign(new Error('the widget is gone'), { status: 410, expose: true });
  }
  @Get('carried-server-error') carriedServerError() {
    throw Object.assign(new Error('upstream at 10.0.0.7 refused'), { statusCode: 502, expose: false });
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

/** supertest serialises a Buffer sent as JSON into JSON; a compressed body has to go as it is. */
async function rawPost(app: INestApplication, path: string, headers: Record<string, string>, body: Buffer): Promise<{ status: number; body: Record<string, unknown> }> {
  const address = app.getHttpServer().address() as AddressInfo;
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    const sent = httpRequest({ host: '127.0.0.1', port: address.port, method: 'POST', path, headers: { ...headers, 'Content-Length': String(body.length) } }, resolve);
    sent.on('error', reject);
    sent.end(body);
  });
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return { status: response.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
}

const LIMITS = { maxDepth: 32, maxArrayLength: 10_000 };
const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

function expectProblem(response: request.Response, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  expect(response.body).toMatchObject({ type: `urn:maatlat:problem:${code}`, status, code });
  expect(typeof response.body.title).toBe('string');
  expect(typeof response.body.detail).toBe('string');
}

describe('HTTP errors', () => {
  let app: INestApplication;
  beforeAll(async () => {
    written.length = 0;
    // Nest's own body parsers, as any app gets them: the filter alone turns their errors into 4xx.
    app = await NestFactory.create(ProbeModule, { logger: false });
    app.useGlobalPipes(strictValidationPipe());
    app.useGlobalFilters(new DomainErrorFilter());
    await app.init();
  });
  afterAll(() => app.close());

  it('answers bad input with a 400 problem naming each field and its problem, and writes nothing', async () => {
    const response = await request(app.getHttpServer())
      .post('/answers?token=abc')
      .send({ level: 6, layer: 'board', evidence: { title: 3 }, extra: true })
      .expect(400);
    expectProblem(response, 400, 'validation.failed');
    const problems = [
      { field: 'level', problem: 'level must not be greater than 5' },
      { field: 'layer', problem: 'layer must be one of the following values: strategic, tactical, operational' },
      { field: 'evidence.title', problem: 'title must be a string' },
      { field: 'extra', problem: 'property extra should not exist' },
    ];
    expect(response.body.details.problems).toEqual(expect.arrayContaining(problems));
    expect(response.body.errors).toEqual(response.body.details.problems);
    expect(response.body.invalidParams).toEqual(expect.arrayContaining(problems.map((p) => ({ name: p.field, reason: p.problem }))));
    expect(response.body).toMatchObject({ title: 'Bad Request', instance: '/answers' });
    expect(response.body.detail).toContain('level: level must not be greater than 5');
    expect(written).toEqual([]);
  });

  it.each([
    ['/missing', 404, 'assessment.not-found'],
    ['/stale', 409, 'stream.wrong-expected-version'],
    ['/closed', 422, 'assessment.closed'],
  ])('maps the domain error of %s to %i', async (path, status, code) => {
    const response = await request(app.getHttpServer()).get(path).expect(status);
    expectProblem(response, status, code);
    expect(response.body.instance).toBe(path);
  });

  it('never leaks an internal error or its stack trace', async () => {
    const response = await request(app.getHttpServer()).get('/crash').expect(500);
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(response.body).toEqual({
      type: 'urn:maatlat:problem:internal',
      title: 'Internal Server Error',
      status: 500,
      detail: 'an internal error occurred; quote the correlation id when reporting it',
      instance: '/crash',
      code: 'internal',
      correlationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(response.headers['x-correlation-id']).toBe(response.body.correlationId);
    expect(JSON.stringify(response.body)).not.toContain('secret');
  });

  it('honours the 4xx status an error carries, and only a 4xx one', async () => {
    expectProblem(await request(app.getHttpServer()).get('/carried'), 410, 'http.410');
    expect((await request(app.getHttpServer()).get('/carried')).body.detail).toBe('the widget is gone');
    const hidden = await request(app.getHttpServer()).get('/carried-server-error');
    expectProblem(hidden, 500, 'internal');
    expect(JSON.stringify(hidden.body)).not.toContain('10.0.0.7');
    expect(clientErrorCarriedBy(Object.assign(new Error('x'), { statusCode: 404, expose: true }))?.getStatus()).toBe(404);
    expect(clientErrorCarriedBy(Object.assign(new Error('x'), { status: '400' }))).toBeUndefined();
    expect(clientErrorCarriedBy(Object.assign(new Error('x'), { status: 503 }))).toBeUndefined();
    expect(clientErrorCarriedBy('a string')).toBeUndefined();
  });

  describe("body-parser's errors, with its default parser", () => {
    it('answers a body over the limit with 413', async () => {
      const response = await request(app.getHttpServer()).post('/answers').set('Content-Type', 'application/json').send(`{"layer":"${'x'.repeat(200_000)}"}`);
      expectProblem(response, 413, 'request.body-too-large');
      expect(response.body.detail).toBe('the request body is larger than the limit of 102400 bytes');
    });

    it('answers an unsupported charset with 415', async () => {
      const response = await request(app.getHttpServer()).post('/answers').set('Content-Type', 'application/json; charset=latin1').send('{"level":1}');
      expectProblem(response, 415, 'request.unsupported-charset');
      expect(response.body.detail).toBe('the charset "latin1" is not supported; send UTF-8');
    });

    it('answers an unsupported Content-Encoding with 415 and a body that is not what its encoding says with 400', async () => {
      const unknown = await request(app.getHttpServer()).post('/answers').set('Content-Type', 'application/json').set('Content-Encoding', 'x-squash').send('{"level":1}');
      expectProblem(unknown, 415, 'request.unsupported-encoding');
      expect(unknown.body.detail).toContain('"x-squash"');
      for (const encoding of ['gzip', 'deflate', 'br']) {
        const corrupt = await request(app.getHttpServer()).post('/answers').set('Content-Type', 'application/json').set('Content-Encoding', encoding).send('{"level":1}');
        expectProblem(corrupt, 400, 'request.undecodable-body');
      }
    });

    it('answers malformed JSON with 400', async () => {
      expectProblem(await request(app.getHttpServer()).post('/answers').set('Content-Type', 'application/json').send('{"level": 1,'), 400, 'http.400');
    });
  });
});

describe('the JSON edge and security headers', () => {
  let app: NestExpressApplication;
  const http = () => request(app.getHttpServer());
  const postJson = (path: string, text: string) => http().post(path).set('Content-Type', 'application/json').send(text);

  beforeAll(async () => {
    written.length = 0;
    app = await NestFactory.create<NestExpressApplication>(ProbeModule, { logger: false });
    // As behind a TLS-terminating proxy, so that one test can ask for HTTPS.
    app.set('trust proxy', true);
    app.use(securityHeaders({ docsPath: '/api/docs', cacheablePaths: ['/health'] }));
    useJsonBodies(app, { limit: '64kb', ...LIMITS });
    app.useGlobalPipes(strictValidationPipe());
    app.useGlobalFilters(new DomainErrorFilter());
    await app.listen(0, '127.0.0.1');
  });
  afterAll(() => app.close());

  it('refuses a write whose body is not JSON with 415, and takes JSON and +json', async () => {
    for (const [type, body] of [
      ['application/x-www-form-urlencoded', 'level=1&layer=strategic'],
      ['text/plain', '{"level":1}'],
      ['multipart/form-data; boundary=x', '--x\r\n\r\n--x--'],
      ['application/jsonx', '{}'],
      ['', '{}'],
    ]) {
      const response = await http().post('/documents').set('Content-Type', type).send(body);
      expectProblem(response, 415, 'request.unsupported-media-type');
    }
    expect(written).toEqual([]);
    // Refused before the logger's middleware could name the request: the caller's id still travels.
    const traced = await http().post('/documents').set('Content-Type', 'text/plain').set('x-correlation-id', 'trace-7').send('{}');
    expect([traced.body.correlationId, traced.headers['x-correlation-id']]).toEqual(['trace-7', 'trace-7']);
    await http().post('/documents').set('Content-Type', 'application/merge-patch+json').send('{"a":1}').expect(201, { keys: ['a'] });
    await http().post('/documents').set('Content-Type', 'application/json; charset=utf-8').send('{"b":1}').expect(201, { keys: ['b'] });
    // Without a body there is nothing to refuse.
    await http().post('/documents').expect(201, { keys: [] });
    written.length = 0;
  });

  it('answers body-parser errors with their own status through the edge too', async () => {
    expectProblem(await postJson('/documents', `{"a":"${'x'.repeat(70_000)}"}`), 413, 'request.body-too-large');
    expectProblem(await postJson('/documents', '{"a":'), 400, 'request.malformed-json');
    expect((await postJson('/documents', '{"a": secret-token')).body.detail).toBe('the request body is not valid JSON');
    const bomb = gzipSync(Buffer.alloc(10_000_000, 0x20));
    const bombed = await rawPost(app, '/documents', { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }, bomb);
    expect(bombed.status).toBe(413);
    expect(bombed.body.code).toBe('request.body-too-large');
    expect(written).toEqual([]);
  });

  it('refuses JSON nested deeper than 32 levels quickly, naming the limit, before any validation', async () => {
    const started = Date.now();
    for (const path of ['/documents', '/answers']) {
      const response = await postJson(path, nested(10_000));
      expectProblem(response, 400, 'validation.failed');
      expect(response.body.detail).toMatch(/is nested deeper than the limit of 32 levels/);
      const deepObject = await postJson(path, '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000));
      expect(deepObject.status).toBe(400);
      expect(deepObject.body.errors[0].field).toBe(Array.from({ length: 32 }, () => 'a').join('.'));
    }
    expect(Date.now() - started).toBeLessThan(2000);
    expect(written).toEqual([]);
    await postJson('/documents', `{"a":${nested(31)}}`).expect(201);
    written.length = 0;
  });

  it('refuses an array of more than 10,000 items, naming the limit and the field', async () => {
    const response = await postJson('/documents', JSON.stringify({ items: new Array(10_001).fill(0) }));
    expectProblem(response, 400, 'validation.failed');
    expect(response.body.errors).toEqual([{ field: 'items', problem: 'has more than the limit of 10000 items' }]);
    await postJson('/documents', JSON.stringify({ items: new Array(10_000).fill(0) })).expect(201);
    written.length = 0;
  });

  it('refuses NUL characters and lone surrogates in any string or key, naming the field', async () => {
    const cases: [string, string, string][] = [
      ['{"evidence":[{"title":"a\\u0000b"}]}', 'evidence[0].title', 'must not contain the NUL character (\\u0000)'],
      ['{"evidence":[{"kind":"url","title":"broken \\ud800"}]}', 'evidence[0].title', 'must not contain an unpaired UTF-16 surrogate'],
      ['{"note":"\\udc00 first"}', 'note', 'must not contain an unpaired UTF-16 surrogate'],
      ['["\\u0000"]', '[0]', 'must not contain the NUL character (\\u0000)'],
      ['{"a":{"k\\u0000":1}}', 'a["k\\u0000"]', 'the field name must not contain the NUL character (\\u0000)'],
    ];
    for (const [body, field, problem] of cases) {
      const response = await postJson('/documents', body);
      expectProblem(response, 400, 'validation.failed');
      expect(response.body.errors).toEqual([{ field, problem }]);
    }
    expect(written).toEqual([]);
    // A surrogate pair is one character, and welcome.
    await postJson('/documents', '{"title":"\\ud83d\\udcca grafiek"}').expect(201);
    written.length = 0;
  });

  it('refuses __proto__, constructor and prototype keys as unknown fields', async () => {
    for (const [body, field] of [
      ['{"__proto__":{"isAdmin":true}}', '__proto__'],
      ['{"evidence":{"title":"t","constructor":{"prototype":{}}}}', 'evidence.constructor'],
      ['{"list":[{"prototype":1}]}', 'list[0].prototype'],
    ]) {
      for (const path of ['/documents', '/answers']) {
        const response = await postJson(path, body);
        expectProblem(response, 400, 'validation.failed');
        expect(response.body.errors).toContainEqual({ field, problem: `property ${field.split(/[.\]]/).pop()} should not exist` });
      }
    }
    expect(written).toEqual([]);
  });

  it('sets the security headers on every response', async () => {
    for (const response of [await http().get('/missing'), await postJson('/answers', '{}'), await http().get('/crash')]) {
      expect(response.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
        'referrer-policy': 'no-referrer',
        'cross-origin-resource-policy': 'same-origin',
        'cache-control': 'no-store',
      });
      expect(response.headers['strict-transport-security']).toBeUndefined();
    }
    const health = await http().get('/health').expect(200);
    expect(health.headers['cache-control']).toBeUndefined();
    expect(health.headers['x-content-type-options']).toBe('nosniff');
    const docs = await http().get('/api/docs/anything');
    expect(docs.headers['content-security-policy']).toContain("script-src 'self' 'unsafe-inline'");
    const overTls = await http().get('/health').set('X-Forwarded-Proto', 'https');
    expect(overTls.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  });

  it('finds nothing wrong with an ordinary document, and stops after a handful of problems', () => {
    expect(jsonBodyProblems({ factors: [{ id: 'F01', questions: [{ rubric: [{ level: 0, text: 'Ad hoc 📊' }] }] }], reason: null }, LIMITS)).toEqual([]);
    expect(jsonBodyProblems(Array.from({ length: 500 }, () => '\u0000'), LIMITS)).toHaveLength(20);
    expect(jsonBodyProblems('\u0000', LIMITS)).toEqual([{ field: '$', problem: 'must not contain the NUL character (\\u0000)' }]);
  });
});
