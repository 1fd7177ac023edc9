import { createParamDecorator, UnauthorizedException, type ExecutionContext } from '@nestjs/common';
import type { CommandMetadata } from '@maatlat/shared/domain';
import type { RequestWithPrincipal } from './access.guard';

/**
 * Who, when and why of a change, in one place: the verified caller (pseudonymous subject), the
 * request's correlation id, the moment, the command id the IdempotencyInterceptor derives from the
 * Idempotency-Key and the request (a retried request appends nothing twice), and the reason where
 * the route's body takes one (`reason`, checked by its DTO: a body that fails validation never
 * reaches the handler).
 * @example retire(@Body() dto: RetireDto, @CommandMeta() meta: CommandMetadata) { return service.retire(key, meta); }
 */
export const CommandMeta = createParamDecorator((_: unknown, context: ExecutionContext): CommandMetadata => {
  const request = context.switchToHttp().getRequest<RequestWithPrincipal>();
  if (!request.principal) throw new UnauthorizedException('no verified caller');
  return {
    now: new Date(),
    actor: request.principal.subject,
    correlationId: String(request.id ?? ''),
    ...(request.commandId ? { commandId: request.commandId } : {}),
    ...reasonIn(request),
  };
});

/** The body's `reason`, when it has one. */
function reasonIn(request: { body?: unknown }): { reason?: string } {
  const reason = request.body && typeof request.body === 'object' ? (request.body as { reason?: unknown }).reason : undefined;
  return typeof reason === 'string' && reason ? { reason } : {};
}
