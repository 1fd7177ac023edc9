import { createParamDecorator, UnauthorizedException, type ExecutionContext } from '@nestjs/common';
import type { CommandMetadata } from '@maatlat/shared/domain';
import type { RequestWithPrincipal } from './access.guard';

/**
 * Who, when and why of a change, in one place: the verified caller (pseudonymous subject), the
 * request's correlation id, the moment, and the command id the IdempotencyInterceptor derives from
 * the Idempotency-Key and the request (a retried request appends nothing twice). A reason, where a route takes one, comes from its DTO.
 * @example change(@Body() dto: ChangeDto, @CommandMeta() meta: CommandMetadata) { return service.change(dto, { ...meta, reason: dto.reason }); }
 */
export const CommandMeta = createParamDecorator((_: unknown, context: ExecutionContext): CommandMetadata => {
  const request = context.switchToHttp().getRequest<RequestWithPrincipal>();
  if (!request.principal) throw new UnauthorizedException('no verified caller');
  return {
    now: new Date(),
    actor: request.principal.subject,
    correlationId: String(request.id ?? ''),
    ...(request.commandId ? { commandId: request.commandId } : {}),
  };
});
