/**
 * Whether an error means a dependency (PostgreSQL, Redis) is down, restarting, overloaded or too
 * slow right now, rather than that the request or the code is wrong: such a request may succeed
 * when retried, so the API answers 503 with Retry-After instead of 500.
 */
export function isDependencyUnavailable(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const { code, message, name } = error as { code?: unknown; message?: unknown; name?: unknown };
  if (typeof code === 'string') {
    // PostgreSQL: connection exceptions (class 08), shutting down or starting up (57P01-57P03),
    // too many connections (53300), statement or lock timeout (57014, 55P03), out of resources (53xxx).
    if (/^08|^57P0[1-3]$|^53|^57014$|^55P03$/.test(code)) return true;
    if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN'].includes(code)) return true;
  }
  if (name === 'MaxRetriesPerRequestError') return true;
  if (typeof message === 'string') {
    return /Connection terminated|connection timeout|timeout exceeded when trying to connect|not queryable|Connection is closed|Client was closed|the database system is (starting up|shutting down)/i.test(message);
  }
  return false;
}
