import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { mintLocalToken } from '@maatlat/access';
import { SHIPPED_MODELS } from '@maatlat/model-catalogue/domain';
import { routesOf } from './support/routes';
import { startPlatform, TEST_ISSUER_SECRET as SECRET, type TestPlatform } from './support/platform';

describe('tenant isolation over every endpoint', () => {
  let platform: TestPlatform;
  let api: INestApplication;
  const secret = { name: `Gemeente Geheim ${randomUUID().slice(0, 8)}`, unit: `Team Verborgen ${randomUUID().slice(0, 8)}`, person: 'Geertruida Verborgen' };
  let organisationA: string;
  let unitA: string;
  let respondentA: string;
  let chainA: string;
  let assessmentA: string;
  let exportA: string;
  let otherToken: string;

  beforeAll(async () => {
    platform = await startPlatform();
    api = platform.api;
    const admin = `Bearer ${await mintLocalToken(SECRET, { subject: 'admin', roles: ['platform-admin'], organisations: [] })}`;
    const http = request(api.getHttpServer());
    organisationA = (await http.post('/v1/organisations').set('Authorization', admin).send({ name: secret.name, organisationType: 'municipality', sizeBand: 'small' }).expect(201)).body.organisationId;
    const organisationB = (await request(api.getHttpServer()).post('/v1/organisations').set('Authorization', admin).send({ name: 'Gemeente Anders', organisationType: 'municipality', sizeBand: 'small' }).expect(201)).body.organisationId;
    unitA = (await request(api.getHttpServer()).post(`/v1/organisations/${organisationA}/units`).set('Authorization', admin).send({ name: secret.unit, kind: 'team' }).expect(201)).body.unitId;
    respondentA = (await request(api.getHttpServer()).post(`/v1/organisations/${organisationA}/respondents`).set('Authorization', admin).send({ name: secret.person, email: 'g.verborgen@example.nl' }).expect(201)).body.respondentId;
    chainA = (await request(api.getHttpServer()).post('/v1/chains').set('Authorization', admin).send({ name: `Keten ${secret.name}`, description: 'geheim' }).expect(201)).body.chainId;
    await request(api.getHttpServer()).post(`/v1/chains/${chainA}/members`).set('Authorization', admin).send({ organisationId: organisationA, unitId: unitA }).expect(201);
    await request(api.getHttpServer()).post('/v1/model-versions').set('Authorization', admin).send({ document: SHIPPED_MODELS['2026.1'] }).expect(201);
    await request(api.getHttpServer()).post('/v1/model-versions/datagedreven-overheid/2026.1/publish').set('Authorization', admin).send({ legalBasis: 'Woo', effectiveFrom: '2026-01-01' }).expect(200);
    assessmentA = (
      await request(api.getHttpServer())
        .post('/v1/assessments')
        .set('Authorization', admin)
        .send({ organisationId: organisationA, scope: { kind: 'organisation' }, period: '2026', model: { key: 'datagedreven-overheid', version: '2026.1' }, layers: ['strategic'] })
        .expect(201)
    ).body.assessmentId;
    exportA = (await request(api.getHttpServer()).post(`/v1/organisations/${organisationA}/archive-exports`).set('Authorization', admin).expect(202)).body.exportId;
    // Everything a non-administrator can be, but for organisation B.
    otherToken = await mintLocalToken(SECRET, { subject: 'someone-of-b', roles: ['coordinator', 'auditor', 'respondent', 'benchmark-reader'], organisations: [organisationB] });
  });
  afterAll(() => platform?.stop());

  it('finds the endpoints to check', () => {
    const routes = routesOf(api);
    expect(routes.length).toBeGreaterThanOrEqual(15);
    expect(routes.filter((r) => r.path.includes(':organisationId')).length).toBeGreaterThanOrEqual(6);
  });

  it('gives a caller of another organisation nothing of the first, on every endpoint', async () => {
    const checked: string[] = [];
    // The demo sign-in hands out any persona while the local issuer is on (never in production):
    // there is nothing to isolate on a platform where anyone may sign in as its administrator.
    const routes = routesOf(api).filter((route) => !route.path.startsWith('/v1/demo/'));
    // Three: the personas, a persona's session, a demo respondent's session.
    expect(routes.length).toBe(routesOf(api).length - 3);
    for (const route of routes) {
      const path = route.path
        .replace(':organisationId', organisationA)
        .replace(':unitId', unitA)
        .replace(':respondentId', respondentA)
        .replace(':chainId', chainA)
        .replace(':assessmentId', assessmentA)
        .replace(':exportId', exportA)
        .replace(':questionId', 'F01-Q1')
        .replace(':key', 'datagedreven-overheid')
        .replace(':version', '2026.1')
        .replace(':period', '2026');
      const response = await (request(api.getHttpServer()) as unknown as Record<string, (p: string) => request.Test>)[route.method](path)
        .set('Authorization', `Bearer ${otherToken}`)
        .send({});
      const problem = String(response.headers['content-type']).startsWith('application/problem+json');
      // A problem's instance is the path the caller asked for, its own input; the rest must hold nothing of A.
      if (problem) expect({ route: `${route.method} ${route.path}`, instance: response.body.instance }).toEqual({ route: `${route.method} ${route.path}`, instance: path });
      const body = problem ? JSON.stringify({ ...response.body, instance: undefined }) : JSON.stringify(response.body ?? '') + (response.text ?? '');
      expect({ route: `${route.method} ${route.path}`, leaks: [organisationA, secret.name, secret.unit, secret.person, respondentA, assessmentA, exportA].filter((s) => body.includes(s)) }).toEqual({
        route: `${route.method} ${route.path}`,
        leaks: [],
      });
      if (route.path.includes(':organisationId') || route.path.includes(':assessmentId') || (route.path.includes(':chainId') && route.method === 'get')) {
        expect({ route: `${route.method} ${route.path}`, status: response.status }).toEqual({ route: `${route.method} ${route.path}`, status: 403 });
      }
      checked.push(`${route.method.toUpperCase()} ${route.path} -> ${response.status}`);
    }
    expect(checked.length).toBe(routes.length);
  });
});
