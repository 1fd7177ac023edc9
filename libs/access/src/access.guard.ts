import { CanActivate, ExecutionContext, ForbiddenException, Injectable, SetMetadata, UnauthorizedException, createParamDecorator } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { PUBLIC_ENDPOINT } from '@maatlat/shared/nest';
import { assertActsFor, hasRole, type Principal, type Role } from './principal';
import { TokenRejected, TokenVerifier } from './token-verifier';

const ROLES_KEY = 'maatlat:roles';

/** The roles an endpoint admits. An endpoint without it (and not @Public) admits nobody. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

export type RequestWithPrincipal = Request & { principal?: Principal; id?: string };

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
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ENDPOINT, targets)) return true;
    const request = context.switchToHttp().getRequest<RequestWithPrincipal>();
    const header = request.headers.authorization;
    if (!header) throw new UnauthorizedException('a bearer token is required');
    const [scheme, token] = header.split(' ');
    if (scheme !== 'Bearer' || !token) throw new UnauthorizedException('the Authorization header must be "Bearer <token>"');
    try {
      request.principal = await this.verifier.verify(token);
    } catch (error) {
      if (error instanceof TokenRejected) throw new UnauthorizedException(error.message);
      throw error;
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
