import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { APP_CONFIG } from './tokens';
import type { AppConfig } from '@maatlat/shared/config';

export type RequestWithActor = Request & { actor?: string; id?: string };

/**
 * Stand-in for the platform administrator role until identity and access (JWT, roles) arrive:
 * `Authorization: Bearer <ADMIN_TOKEN>`, with the acting person named in `X-Actor`. Without an
 * ADMIN_TOKEN configured, administration is closed.
 */
@Injectable()
export class AdminGuard implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<RequestWithActor>();
    if (!this.config.adminToken) throw new ForbiddenException('administration is closed: no ADMIN_TOKEN is configured');
    const header = request.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
    const expected = Buffer.from(this.config.adminToken);
    const given = Buffer.from(token);
    if (!token || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new UnauthorizedException('a valid administrator bearer token is required');
    }
    const actor = request.headers['x-actor'];
    request.actor = typeof actor === 'string' && /^[A-Za-z0-9._@-]{1,100}$/.test(actor) ? actor : 'platform-admin';
    return true;
  }
}
