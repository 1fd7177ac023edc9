import type { INestApplication } from '@nestjs/common';

export interface Route {
  /** As Express keeps it: lower case (`get`, `post`, …), what supertest is called with. */
  method: string;
  /** As mounted, version prefix included: `/v1/assessments/:assessmentId`. */
  path: string;
}

/**
 * Every endpoint the API serves, read from the router itself, so a new one cannot escape the
 * tests that go over them all. Nest mounts its middleware (the request logger) as routes that
 * answer every method, on the version prefix and on each unversioned path: an endpoint is one method.
 */
export function routesOf(api: INestApplication): Route[] {
  const express = api.getHttpAdapter().getInstance();
  const stack = (express.router ?? express._router).stack as { route?: { path: string; methods: Record<string, boolean> } }[];
  return stack
    .filter((layer) => layer.route && Object.keys(layer.route.methods).length === 1)
    .flatMap((layer) => Object.keys(layer.route!.methods).map((method) => ({ method, path: layer.route!.path })));
}
