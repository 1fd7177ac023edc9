import { createRemoteJWKSet, decodeJwt, errors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { INVITATION_ISSUER, LOCAL_ISSUER, type AuthConfig } from '@maatlat/shared/config';
import { ROLES, type Principal, type Role } from './principal';

/** Why a token was refused: the reason a 401 carries. */
export class TokenRejected extends Error {}

function stringList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  if (typeof value === 'string') return value.split(/[\s,]+/).filter(Boolean);
  return [];
}

function principalOf(payload: JWTPayload, rolesClaim: string, organisationsClaim: string): Principal {
  if (!payload.sub) throw new TokenRejected('the token names no subject');
  const roles = stringList(payload[rolesClaim]).filter((r): r is Role => (ROLES as readonly string[]).includes(r));
  return { subject: payload.sub, roles, organisations: stringList(payload[organisationsClaim]), issuer: String(payload.iss) };
}

/**
 * Claims every accepted token must carry, whoever issued it. jose checks `exp` only when present,
 * and a token without one would be valid for ever: it is refused.
 */
const REQUIRED_CLAIMS = ['exp'];

/**
 * A copy of a remembered principal for one request, which may change its copy freely: the
 * principal's known shape copied field by field (structuredClone costs several times more, on
 * every request).
 */
function copyOf(principal: Principal): Principal {
  const copy: Principal = { subject: principal.subject, roles: [...principal.roles], organisations: [...principal.organisations], issuer: principal.issuer };
  if (principal.invitation) copy.invitation = { ...principal.invitation };
  return copy;
}

/** Tokens verified recently, remembered until they expire: at most this many (the oldest go first). */
const VERIFIED_REMEMBERED = 10_000;

/**
 * Verifies bearer tokens from the configured issuers: an OpenID Connect provider (by its JWKS)
 * and, only when switched on, the local development issuer.
 *
 * A token is immutable: what its signature and claims said once they verified, they say until it
 * expires. So each token is verified once and its principal remembered until its `exp` (a
 * respondent sends the same token with every answer). Whether an invitation is still honoured
 * (revoked, erased) is not a property of the token, and is asked on every request by the guard.
 */
export class TokenVerifier {
  private readonly jwks?: ReturnType<typeof createRemoteJWKSet>;
  private readonly localKey?: Uint8Array;
  private readonly invitationKey?: Uint8Array;
  private readonly verified = new Map<string, { principal: Principal; expiresAtMs: number }>();

  constructor(private readonly config: AuthConfig) {
    if (config.oidc) this.jwks = createRemoteJWKSet(new URL(config.oidc.jwksUrl), { timeoutDuration: 5000, cooldownDuration: 30_000 });
    if (config.local) this.localKey = new TextEncoder().encode(config.local.secret);
    if (config.invitations) this.invitationKey = new TextEncoder().encode(config.invitations.secret);
  }

  async verify(token: string): Promise<Principal> {
    const known = this.verified.get(token);
    if (known && Date.now() < known.expiresAtMs) return copyOf(known.principal);
    if (known) this.verified.delete(token);
    const { principal, expiresAtMs } = await this.verifyAnew(token);
    if (this.verified.size >= VERIFIED_REMEMBERED) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, { principal, expiresAtMs });
    return copyOf(principal);
  }

  private async verifyAnew(token: string): Promise<{ principal: Principal; expiresAtMs: number }> {
    const principal = await this.verifySignatureAndClaims(token);
    // Required and checked above, so present and in the future.
    return { principal, expiresAtMs: (decodeJwt(token).exp ?? 0) * 1000 };
  }

  private async verifySignatureAndClaims(token: string): Promise<Principal> {
    let issuer: string | undefined;
    try {
      issuer = decodeJwt(token).iss;
    } catch {
      throw new TokenRejected('the token is malformed');
    }
    try {
      if (issuer === LOCAL_ISSUER && this.localKey) {
        const { payload } = await jwtVerify(token, this.localKey, { issuer: LOCAL_ISSUER, audience: 'maatlat', algorithms: ['HS256'], requiredClaims: REQUIRED_CLAIMS });
        return principalOf(payload, 'roles', 'organisations');
      }
      if (issuer === INVITATION_ISSUER && this.invitationKey) {
        const { payload } = await jwtVerify(token, this.invitationKey, { issuer: INVITATION_ISSUER, audience: 'maatlat', algorithms: ['HS256'], requiredClaims: REQUIRED_CLAIMS });
        const { assessment, layer, jti } = payload as { assessment?: unknown; layer?: unknown; jti?: unknown };
        if (typeof assessment !== 'string' || typeof layer !== 'string') throw new TokenRejected('the invitation names no assessment and layer');
        // The invitation's id is what revocation and erasure are checked against.
        if (typeof jti !== 'string' || jti === '') throw new TokenRejected('the invitation names no invitation id (jti)');
        return { ...principalOf(payload, 'roles', 'organisations'), roles: ['respondent'], invitation: { invitationId: jti, assessmentId: assessment, layer } };
      }
      if (this.config.oidc && this.jwks && issuer === this.config.oidc.issuer) {
        const { payload } = await jwtVerify(token, this.jwks, { issuer: this.config.oidc.issuer, audience: this.config.oidc.audience, requiredClaims: REQUIRED_CLAIMS });
        return principalOf(payload, this.config.oidc.rolesClaim, this.config.oidc.organisationsClaim);
      }
    } catch (error) {
      if (error instanceof TokenRejected) throw error;
      if (error instanceof errors.JWTExpired) throw new TokenRejected('the token has expired');
      if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey) throw new TokenRejected('the token signature is not valid');
      if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'exp' && error.reason === 'missing') throw new TokenRejected('the token has no expiry (exp)');
      if (error instanceof errors.JWTClaimValidationFailed) throw new TokenRejected(`the token's ${error.claim} claim is not accepted`);
      if (error instanceof errors.JOSEError) throw new TokenRejected('the token is malformed or its signature cannot be checked');
      throw error;
    }
    throw new TokenRejected('the token comes from an issuer this platform does not trust');
  }
}

/**
 * Mints a token of the local development issuer (what `cli token` prints).
 * @example await mintLocalToken(secret, { subject: 'anna', roles: ['coordinator'], organisations: [orgId] })
 */
export async function mintLocalToken(
  secret: string,
  claims: { subject: string; roles: Role[]; organisations: string[] },
  options: { ttlSeconds?: number; now?: Date } = {},
): Promise<string> {
  const issuedAt = Math.floor((options.now ?? new Date()).getTime() / 1000);
  return new SignJWT({ roles: claims.roles, organisations: claims.organisations })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.subject)
    .setIssuer(LOCAL_ISSUER)
    .setAudience('maatlat')
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + (options.ttlSeconds ?? 8 * 3600))
    .sign(new TextEncoder().encode(secret));
}

/**
 * An invitation token: the respondent (by pseudonym) may act in one assessment, at one layer,
 * for one organisation, until it expires.
 */
export async function mintInvitationToken(
  secret: string,
  invitation: { invitationId: string; respondentId: string; organisationId: string; assessmentId: string; layer: string },
  options: { ttlSeconds?: number; now?: Date } = {},
): Promise<{ token: string; expiresAt: Date }> {
  const issuedAt = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const expires = issuedAt + (options.ttlSeconds ?? 30 * 24 * 3600);
  const token = await new SignJWT({ roles: ['respondent'], organisations: [invitation.organisationId], assessment: invitation.assessmentId, layer: invitation.layer })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(invitation.respondentId)
    .setJti(invitation.invitationId)
    .setIssuer(INVITATION_ISSUER)
    .setAudience('maatlat')
    .setIssuedAt(issuedAt)
    .setExpirationTime(expires)
    .sign(new TextEncoder().encode(secret));
  return { token, expiresAt: new Date(expires * 1000) };
}
