import { Forbidden } from '@maatlat/shared/domain';

export const ROLES = ['platform-admin', 'coordinator', 'respondent', 'auditor', 'benchmark-reader'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: from a verified bearer token. `subject` is what events record as the actor. */
export interface Principal {
  subject: string;
  roles: Role[];
  /** The organisations the caller acts for (a platform administrator acts for all). */
  organisations: string[];
  issuer: string;
  /** Set for an invitation: the one assessment (and layer) this caller may act in, and the invitation's id (the token's jti). */
  invitation?: { invitationId: string; assessmentId: string; layer: string };
}

export function hasRole(principal: Principal, ...roles: Role[]): boolean {
  return principal.roles.some((role) => roles.includes(role));
}

/**
 * Tenant isolation in one place: only a platform administrator or someone who acts for the
 * organisation may touch it. The message names nothing of the organisation.
 */
export function assertActsFor(principal: Principal, organisationId: string): void {
  if (hasRole(principal, 'platform-admin')) return;
  if (!principal.organisations.includes(organisationId)) throw new Forbidden('this organisation is not one the caller acts for');
}
