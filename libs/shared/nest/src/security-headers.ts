import type { NextFunction, Request, Response } from 'express';

export interface SecurityHeaderOptions {
  /** Where the Swagger UI is served: the only pages that run scripts and styles. */
  docsPath: string;
  /** Paths a cache may keep (liveness probes), matched exactly. */
  cacheablePaths: string[];
}

// The API answers JSON only, so nothing it sends may load anything or be framed.
const API_POLICY = "default-src 'none'; frame-ancestors 'none'";
// Swagger UI's page sets up the UI with an inline script and styles itself inline.
const DOCS_POLICY = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'";

/**
 * The security headers of every response (helmet's defaults, narrowed to a JSON API): no MIME
 * sniffing, no framing, no referrer, no caching of data that may be personal, HSTS over TLS.
 */
export function securityHeaders(options: SecurityHeaderOptions) {
  const cacheable = new Set(options.cacheablePaths);
  const isDocs = (path: string) => path === options.docsPath || path.startsWith(`${options.docsPath}/`);
  return function securityHeaders(request: Request, response: Response, next: NextFunction): void {
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('X-Frame-Options', 'DENY');
    response.setHeader('Referrer-Policy', 'no-referrer');
    response.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    response.setHeader('Content-Security-Policy', isDocs(request.path) ? DOCS_POLICY : API_POLICY);
    if (request.secure) response.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    if (!cacheable.has(request.path)) response.setHeader('Cache-Control', 'no-store');
    next();
  };
}

/**
 * The policy of the web application's pages and files (served beside the API): its own scripts
 * and styles only (no inline script or style element, no eval), requests to itself and to
 * `connectSources` (the OpenID Connect provider), nothing framed.
 */
export function webApplicationPolicy(connectSources: string[] = []): string {
  return `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src ${["'self'", ...connectSources].join(' ')}; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'`;
}
