/**
 * Domain errors carry a code that the HTTP layer maps to a status: validation 400, not found 404,
 * forbidden 403, conflict 409, rule broken 422. They never carry stack traces to clients.
 */
export type DomainErrorKind = 'validation' | 'not-found' | 'forbidden' | 'conflict' | 'rule-broken';

export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;
  /** A stable, machine-readable code such as `assessment.closed`. */
  abstract readonly code: string;
  /** Extra facts a client may act on (field names, versions); never personal data. */
  readonly details: Record<string, unknown>;

  protected constructor(message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = new.target.name;
    this.details = details;
  }
}

export class ValidationFailed extends DomainError {
  readonly kind = 'validation';
  readonly code = 'validation.failed';
  constructor(readonly problems: { field: string; problem: string }[]) {
    super(problems.map((p) => `${p.field}: ${p.problem}`).join('; '), { problems });
  }
}

export class NotFound extends DomainError {
  readonly kind = 'not-found';
  readonly code: string;
  constructor(what: string, id: string) {
    super(`${what} ${id} was not found`, { [what]: id });
    this.code = `${what}.not-found`;
  }
}

export class Forbidden extends DomainError {
  readonly kind = 'forbidden';
  readonly code = 'access.forbidden';
  constructor(message = 'this action is not allowed for the caller') {
    super(message);
  }
}

export class RuleBroken extends DomainError {
  readonly kind = 'rule-broken';
  constructor(readonly code: string, message: string, details: Record<string, unknown> = {}) {
    super(message, details);
  }
}

export class Conflict extends DomainError {
  readonly kind = 'conflict';
  constructor(readonly code: string, message: string, details: Record<string, unknown> = {}) {
    super(message, details);
  }
}
