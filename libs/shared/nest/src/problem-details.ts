import { STATUS_CODES } from 'node:http';

/** The media type of every error response (RFC 9457). */
export const PROBLEM_JSON = 'application/problem+json';

export interface FieldProblem {
  field: string;
  problem: string;
}

/**
 * An RFC 9457 problem. `code`, `details` and `correlationId` are the extension members clients
 * already rely on; `errors` and `invalidParams` list the field problems of a validation failure
 * (the latter in the shape the NL GOV API design rules name).
 */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  code: string;
  details?: Record<string, unknown>;
  errors?: FieldProblem[];
  invalidParams?: { name: string; reason: string }[];
  correlationId: string;
}

/** One stable type URI per code, so a client can tell problems apart without parsing prose. */
export function problemTypeOf(code: string): string {
  return `urn:maatlat:problem:${code}`;
}

export function problemTitleOf(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}
