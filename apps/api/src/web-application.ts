import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Application, type NextFunction, type Request, type Response } from 'express';
import type { AppConfig } from '@maatlat/shared/config';
import { webApplicationPolicy } from '@maatlat/shared/nest';

/** Where `npm run build:web` writes the web application. */
export const WEB_ROOT = join(__dirname, '..', '..', 'web', 'dist');

/** Paths the API answers itself: never the web application's, whatever the request accepts. */
const API_PATHS = /^\/(v\d+|api|health|ready|open-data|\.well-known)(\/|$)/;

/**
 * What the browser needs to know before anyone signs in: how to sign in. Not a secret: the
 * OpenID Connect client is a public one (PKCE), and the issuer is in every token anyway.
 */
export function webConfiguration(config: AppConfig) {
  return {
    oidc: config.auth.oidc ? { issuer: config.auth.oidc.issuer, clientId: config.auth.oidc.clientId ?? 'maatlat-web', audience: config.auth.oidc.audience } : null,
    demoSignIn: Boolean(config.auth.local),
  };
}

/**
 * Serves the built web application at `/`: its hashed assets (cached for good, their names change
 * with their content), and index.html for any page a browser navigates to, so that a link into the
 * application (an invitation) opens it. The API's own paths stay the API's, and a client that does
 * not ask for HTML still gets the API's 404. Nothing happens when the application is not built.
 */
export function serveWebApplication(server: Application, config: AppConfig, root = WEB_ROOT): boolean {
  const indexFile = join(root, 'index.html');
  if (!existsSync(indexFile)) return false;
  const index = readFileSync(indexFile);
  const configuration = JSON.stringify(webConfiguration(config));
  // The browser exchanges its authorisation code at the provider's token endpoint.
  const policy = webApplicationPolicy(config.auth.oidc ? [new URL(config.auth.oidc.issuer).origin] : []);
  const withPolicy = (response: Response) => response.setHeader('Content-Security-Policy', policy);
  server.use(
    '/assets',
    express.static(join(root, 'assets'), {
      index: false,
      immutable: true,
      maxAge: '365d',
      setHeaders: withPolicy,
    }),
  );
  // Middleware, not routes: the tests that go over every route of the API meet none of these.
  server.use((request: Request, response: Response, next: NextFunction) => {
    if (request.method === 'GET' && request.path === '/app-config.json') return void withPolicy(response.type('application/json')).send(configuration);
    if ((request.method !== 'GET' && request.method !== 'HEAD') || API_PATHS.test(request.path) || !request.accepts('html') || !request.headers.accept?.includes('text/html')) return next();
    withPolicy(response);
    response.type('html').send(index);
  });
  return true;
}
