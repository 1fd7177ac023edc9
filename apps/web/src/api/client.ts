import createClient, { type Middleware } from 'openapi-fetch';
import { currentSession, signOut } from '../auth/session';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];
export type Problem = Schemas['Problem'];

/** A refused or failed request, with the problem the API described (RFC 9457). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Partial<Problem> | null,
    readonly etag: string | null = null,
  ) {
    super(problem?.detail ?? `HTTP ${status}`);
  }
}

const bearer: Middleware = {
  onRequest({ request }) {
    const session = currentSession();
    if (session && !request.headers.has('authorization')) request.headers.set('authorization', `Bearer ${session.token}`);
    return request;
  },
  onResponse({ response }) {
    // An expired or revoked token: sign out, and the page says to sign in again.
    if (response.status === 401 && currentSession()) signOut();
    return response;
  },
};

/** The API, typed from its OpenAPI document (schema.ts, generated). Paths are relative to /v1. */
export const api = createClient<paths>({ baseUrl: '/v1' });
api.use(bearer);

/** The data of a response, or an ApiError with the problem. */
export async function data<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch {
    throw new ApiError(0, null);
  }
  if (result.response.ok && result.data !== undefined) return result.data;
  if (result.response.ok) return undefined as T;
  const problem = typeof result.error === 'object' && result.error !== null ? (result.error as Partial<Problem>) : null;
  throw new ApiError(result.response.status, problem, result.response.headers.get('etag'));
}

/** A fresh Idempotency-Key: a retried write appends nothing twice. */
export const idempotencyKey = () => crypto.randomUUID();
