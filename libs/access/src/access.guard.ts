import { applyDecorators, CanActivate, ExecutionContext, ForbiddenException, HttpException, HttpStatus, Injectable, SetMetadata, UnauthorizedException, createParamDecorator } from '@nestjs/common';
import { ModuleRef, Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ApiExtension } from '@nestjs/swagger';
import { PUBLIC_ENDPOINT, ROLES_OPERATION_EXTENSION } from '@maatlat/shared/nest';
import { INVITATION_CHECK, INVITATION_HELD_BY_WRITE, type InvitationCheck, type InvitationClaimed, type InvitationHold } from './invitation-check';
import { assertActsFor, hasRole, type Principal, type Role } from './principal';
import { RateLimiter } from './rate-limiter';
import { TokenRejected, TokenVerifier } from './token-verifier';

/** Failed authentications one address may make per minute before it is told to wait. */
export const FAILED_AUTH_LIMIT = 20;

const ROLES_KEY = 'maatlat:roles';

/**
 * The roles an endpoint admits. An endpoint without it (and not @Public) admits nobody. The OpenAPI
 * document names them from the same decorator.
 */
export const Roles = (...roles: Role[]) => applyDecorators(SetMetadata(ROLES_KEY, roles), ApiExtension(ROLES_OPERATION_EXTENSION, roles));

/**
 * `commandId`: set by the IdempotencyInterceptor for a request with an Idempotency-Key.
 * `invitationHold`: set by the AccessGuard on a route marked `@InvitationHeldByWrite()`.
 */
export type RequestWithPrincipal = Request & { principal?: Principal; id?: string; commandId?: string; invitationHold?: InvitationHold };

/** The verified caller, in a controller method. */
export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<RequestWithPrincipal>().principal;
  if (!principal) throw new UnauthorizedException('no verified caller');
  return principal;
});

/**
 * The global guard: every request needs a valid bearer token and a role the endpoint declares
 * (default deny), and a route about an organisation needs a caller who acts for it. 401 says why a
 * token was refused; 403 says what is missing.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
    private readonly limiter: RateLimiter,
    private readonly modules: ModuleRef,
  ) {}

  private invitationCheck?: InvitationCheck | null;

  /** The feature that knows erasures and revocations provides the check; found once, wherever it is provided. */
  private findInvitationCheck(): InvitationCheck | null {
    if (this.invitationCheck === undefined) {
      try {
        this.invitationCheck = this.modules.get<InvitationCheck>(INVITATION_CHECK, { strict: false });
      } catch {
        this.invitationCheck = null;
      }
    }
    return this.invitationCheck;
  }

  private claimOf(principal: Principal): InvitationClaimed {
    return { ...principal.invitation!, respondentId: principal.subject, organisationId: principal.organisations[0] ?? '' };
  }

  /** A validly signed invitation is still refused once revoked, or once its respondent was erased. */
  private async invitationRefusal(principal: Principal): Promise<string | undefined> {
    const check = this.findInvitationCheck();
    if (!check) return 'invitations cannot be checked by this server';
    return check.refusalOf(this.claimOf(principal));
  }

  /**
   * The same, on a route whose write carries the hold (`@InvitationHeldByWrite()`): checked on the
   * respondent's stream as this process remembers it, and held by the write to that version. Its
   * `renew` refuses as this guard does (401, counted against the address).
   */
  private async invitationHold(request: RequestWithPrincipal, check: InvitationCheck, fresh = false): Promise<InvitationHold> {
    const verdict = await check.verdictOf(this.claimOf(request.principal!), { fresh });
    if (verdict.refusal !== undefined) return this.refuse(request, verdict.refusal);
    return { streamId: verdict.streamId, version: verdict.version, renew: () => this.invitationHold(request, check, true) };
  }

  /**
   * Guessing tokens is slowed down per address: after too many failures in a minute, failures are
   * answered 429. Only failures count and only failures wait: behind a proxy or NAT one attacker
   * must not lock a whole municipality's valid tokens out (TRUST_PROXY makes the address the client's).
   */
  private async refuse(request: RequestWithPrincipal, reason: string): Promise<never> {
    if (!(await this.limiter.hit(`auth-fail:${request.ip}`, FAILED_AUTH_LIMIT, 60))) {
      throw new HttpException({ code: 'rate-limited', message: 'too many failed authentication attempts; try again in a minute' }, HttpStatus.TOO_MANY_REQUESTS);
    }
    throw new UnauthorizedException(reason);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ENDPOINT, targets)) return true;
    const request = context.switchToHttp().getRequest<RequestWithPrincipal>();
    const header = request.headers.authorization;
    if (!header) return this.refuse(request, 'a bearer token is required');
    const [scheme, token] = header.split(' ');
    if (scheme !== 'Bearer' || !token) return this.refuse(request, 'the Authorization header must be "Bearer <token>"');
    try {
      request.principal = await this.verifier.verify(token);
    } catch (error) {
      if (error instanceof TokenRejected) return this.refuse(request, error.message);
      throw error;
    }
    // An invitation is honoured while its respondent's stream says so (neither revoked nor erased),
    // and reaches one assessment only: routes about that assessment (`:assessmentId`).
    const invitation = request.principal.invitation;
    if (invitation) {
      const check = this.reflector.getAllAndOverride<boolean>(INVITATION_HELD_BY_WRITE, targets) ? this.findInvitationCheck() : null;
      if (check) {
        request.invitationHold = await this.invitationHold(request, check);
      } else {
        const refusal = await this.invitationRefusal(request.principal);
        if (refusal) return this.refuse(request, refusal);
      }
      if (request.params?.assessmentId !== invitation.assessmentId) throw new ForbiddenException('this invitation is for another assessment');
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (!roles || roles.length === 0) throw new ForbiddenException('this endpoint admits no role');
    if (!hasRole(request.principal, ...roles)) throw new ForbiddenException(`this endpoint needs one of the roles: ${roles.join(', ')}`);
    // Tenant isolation before anything reads the body: a route about an organisation is only for
    // those who act for it. Routes name the organisation `:organisationId`, always.
    const organisationId = request.params?.organisationId;
    if (typeof organisationId === 'string') {
      try {
        assertActsFor(request.principal, organisationId);
      } catch {
        throw new ForbiddenException('this organisation is not one the caller acts for');
      }
    }
    return true;
  }
}
