import type { NextFunction, Request, Response } from 'express';

/**
 * The version of the API contract (semantic versioning, NL GOV API Design Rules /core/semver): in
 * the OpenAPI document's info.version and in every response's API-Version header. Its major
 * version is also the path prefix, so the two can never disagree (/core/uri-version).
 */
export const API_VERSION = '1.0.0';

/** The path segment every resource lives under: the major version, e.g. `v1`. */
export const API_PATH_PREFIX = `v${API_VERSION.split('.')[0]}`;

/**
 * Endpoints outside the versioned contract: the probes, which must not change with it, the
 * well-known key set, whose place other parties look up by name (RFC 8615), and the public open
 * dataset (`open-data` and everything under it), whose addresses are the identifiers in its metadata.
 */
export const UNVERSIONED_PATHS = ['health', 'ready', '.well-known/maatlat-keys', 'open-data'] as const;

/** Whether a path (`/open-data/versions/{version}`, say) is outside the versioned contract. */
export function isUnversionedPath(path: string): boolean {
  return UNVERSIONED_PATHS.some((unversioned) => path === `/${unversioned}` || (unversioned === 'open-data' && path.startsWith('/open-data/')));
}

/** The routes setGlobalPrefix leaves where they are (path-to-regexp patterns). */
export const UNVERSIONED_ROUTES = [...UNVERSIONED_PATHS, 'open-data/{*rest}'];

export const API_VERSION_HEADER = 'API-Version';

/** Stamps the full contract version on every response (/core/version-header), errors included. */
export function apiVersionHeader() {
  return function apiVersionHeader(_request: Request, response: Response, next: NextFunction): void {
    response.setHeader(API_VERSION_HEADER, API_VERSION);
    next();
  };
}
