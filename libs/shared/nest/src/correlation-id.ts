import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

/** The request's correlation id (the caller's `x-correlation-id`, or the one the logger made). */
export const CorrelationId = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const request = context.switchToHttp().getRequest<{ id?: unknown }>();
  return String(request.id ?? '');
});
