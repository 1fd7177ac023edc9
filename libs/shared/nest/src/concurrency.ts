import { applyDecorators, createParamDecorator, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { ApiConflictResponse, ApiHeader } from '@nestjs/swagger';
import type { Response } from 'express';
import { map, type Observable } from 'rxjs';
import { ValidationFailed } from '@maatlat/shared/domain';

/** The revision in an If-Match header (`"12"`, `W/"12"` or `12`); undefined when there is none. */
export function parseIfMatch(header: string | string[] | undefined): number | undefined {
  if (header === undefined) return undefined;
  const match = /^(?:W\/)?"?(\d{1,15})"?$/.exec(String(header).trim());
  if (!match) throw new ValidationFailed([{ field: 'If-Match', problem: 'must be the revision (ETag) you last saw, e.g. "12"' }]);
  return Number(match[1]);
}

/**
 * The revision a client last saw, from If-Match: optimistic concurrency for every change of a
 * mutable resource. Absent, the change applies to the current revision.
 */
export const IfMatch = createParamDecorator((_: unknown, context: ExecutionContext): number | undefined =>
  parseIfMatch(context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>().headers['if-match']),
);

/** OpenAPI for a change guarded by If-Match: the header, and the 409 a stale revision gets. */
export const ApiIfMatch = () =>
  applyDecorators(
    ApiHeader({ name: 'If-Match', required: false, description: 'The revision (ETag) you last saw. When the resource has moved on since, the change is refused with 409 naming its current revision.' }),
    ApiConflictResponse({ description: 'The resource is no longer at the revision in If-Match (the body names the current one), or the change conflicts with its state.' }),
  );

/**
 * Sets `ETag: "<revision>"` on every response whose body is a mutable resource's view (it carries
 * `revision`, or an assessment's `version`), so a client has what to send back as If-Match.
 */
export class ETagInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      map((body: unknown) => {
        if (body && typeof body === 'object' && !Array.isArray(body)) {
          const { revision, version } = body as { revision?: unknown; version?: unknown };
          const tag = typeof revision === 'number' ? revision : typeof version === 'number' ? version : undefined;
          if (tag !== undefined) context.switchToHttp().getResponse<Response>().setHeader('ETag', `"${tag}"`);
        }
        return body;
      }),
    );
  }
}
