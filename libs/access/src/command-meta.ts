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
  return metadataOf(request, request.principal.subject);
});

/**
 * `@CommandMeta()` for a public route whose change the platform makes on nobody's behalf (there is
 * no verified caller to name): the actor is the platform's part that acts, so the log still says
 * who did it. Everything else is taken as `@CommandMeta()` takes it.
 * @example signIn(@Body() dto: DemoRespondentSessionDto, @PlatformCommandMeta('demo-sign-in') meta: CommandMetadata) { … }
 */
export const PlatformCommandMeta = createParamDecorator((actor: string, context: ExecutionContext): CommandMetadata =>
  metadataOf(context.switchToHttp().getRequest<RequestWithPrincipal>(), actor),
);

function metadataOf(request: RequestWithPrincipal, actor: string): CommandMetadata {
  return {
    now: new Date(),
    actor,
    correlationId: String(request.id ?? ''),
    ...(request.commandId ? { commandId: request.commandId } : {}),
    ...reasonIn(request),
  };
}

/** The body's `reason`, when it has one. */
function reasonIn(request: { body?: unknown }): { reason?: string } {
  const reason = request.body && typeof request.body === 'object' ? (request.body as { reason?: unknown }).reason : undefined;
  return typeof reason === 'string' && reason ? { reason } : {};
}
