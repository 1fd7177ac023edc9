import { createHash } from 'node:crypto';
import { Inject, Injectable, SetMetadata, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { sql } from 'kysely';
import { from, lastValueFrom, type Observable } from 'rxjs';
import type { Database } from '@maatlat/shared/database';
import { canonicalJson, Conflict, RuleBroken, ValidationFailed } from '@maatlat/shared/domain';
import { DATABASE } from '@maatlat/shared/tokens';
import type { RequestWithPrincipal } from './access.guard';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** A request that claimed its key and then said nothing for this long is taken to have died with its process. */
const ABANDONED_AFTER_MS = 120_000;
const RERUN_ON_REPLAY = 'maatlat:idempotency-rerun';

/**
 * For a route whose response carries personal data or a credential (a registration's name and
 * e-mail, an invitation's token), which must not be kept in the database: an identical replay runs
 * the route again, and the route answers as the first time by itself (its ids derive from the key).
 */
export const RerunOnReplay = () => SetMetadata(RERUN_ON_REPLAY, true);

export const REPLAYED_HEADER = 'Idempotent-Replayed';

interface KeyRow {
  fingerprint: Buffer;
  status: number | null;
  response: unknown;
  created_at: Date;
}

/**
 * Idempotency-Key for every change (POST, PUT, PATCH, DELETE), per caller: the first request with a
 * key is recorded with a fingerprint of what it asked (method, path, If-Match, body) and, once it
 * succeeds, its status and response. An identical replay gets that response and changes nothing; a
 * different request under the same key is a 422; one that arrives while the first still runs, a
 * 409. A request that fails leaves no record, so it can be retried with the same key.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    @Inject(DATABASE) private readonly database: Database,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<RequestWithPrincipal>();
    const header = request.headers['idempotency-key'];
    if (header === undefined || !WRITE_METHODS.has(request.method) || !request.principal) return next.handle();
    return from(this.handle(context, request, header, next));
  }

  private async handle(context: ExecutionContext, request: RequestWithPrincipal, header: string | string[], next: CallHandler): Promise<unknown> {
    const key = Array.isArray(header) ? header.join(',') : header;
    if (!/^[\x21-\x7e]{1,200}$/.test(key)) throw new ValidationFailed([{ field: 'Idempotency-Key', problem: 'must be 1 to 200 visible ASCII characters' }]);
    // Subjects are unique per issuer only.
    const caller = `${request.principal!.issuer} ${request.principal!.subject}`;
    const path = request.originalUrl.split('?')[0];
    const fingerprint = createHash('sha256')
      .update(canonicalJson({ method: request.method, url: request.originalUrl, ifMatch: request.headers['if-match'] ?? null, body: request.body ?? null }))
      .digest();
    const rerun = this.reflector.getAllAndOverride<boolean>(RERUN_ON_REPLAY, [context.getHandler(), context.getClass()]) === true;
    const response = context.switchToHttp().getResponse<Response>();

    const claimed = await this.claim(caller, key, request.method, path, fingerprint);
    if (!claimed) {
      const first = await this.database.db.selectFrom('idempotency_keys').select(['fingerprint', 'status', 'response', 'created_at']).where('caller', '=', caller).where('key', '=', key).executeTakeFirst();
      // Gone since (the first request failed): this one is the first now.
      if (!first) return this.handle(context, request, header, next);
      if (!first.fingerprint.equals(fingerprint)) {
        throw new RuleBroken('idempotency-key.reused', 'this Idempotency-Key was already used with a different request; use a new key for a new request');
      }
      if (first.status === null && !(await this.takeOverAbandoned(caller, key, first))) {
        throw new Conflict('idempotency-key.in-progress', 'a request with this Idempotency-Key is still being answered; retry it shortly');
      }
      if (first.status !== null) {
        response.setHeader(REPLAYED_HEADER, 'true');
        if (!rerun) {
          response.status(first.status);
          return first.response ?? undefined;
        }
        // Answered before, its response not kept: the route answers the same by itself.
        return lastValueFrom(next.handle(), { defaultValue: undefined });
      }
    }

    let body: unknown;
    try {
      body = await lastValueFrom(next.handle(), { defaultValue: undefined });
    } catch (error) {
      await this.database.db.deleteFrom('idempotency_keys').where('caller', '=', caller).where('key', '=', key).where('status', 'is', null).execute();
      throw error;
    }
    const kept = rerun || body === undefined ? null : JSON.stringify(body);
    await this.database.db
      .updateTable('idempotency_keys')
      .set({ status: response.statusCode, response: kept === null ? null : sql`${kept}::json`, completed_at: new Date() })
      .where('caller', '=', caller)
      .where('key', '=', key)
      .execute();
    return body;
  }

  /** Records the key as taken by this request; false when it already was. */
  private async claim(caller: string, key: string, method: string, path: string, fingerprint: Buffer): Promise<boolean> {
    const inserted = await this.database.db
      .insertInto('idempotency_keys')
      .values({ caller, key, method, path, fingerprint, status: null, response: null, completed_at: null })
      .onConflict((conflict) => conflict.columns(['caller', 'key']).doNothing())
      .executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  /** A first request that never finished (its process died) hands the key to this one, once. */
  private async takeOverAbandoned(caller: string, key: string, first: KeyRow): Promise<boolean> {
    const abandonedBefore = new Date(Date.now() - ABANDONED_AFTER_MS);
    if (first.created_at >= abandonedBefore) return false;
    // Of two replays taking over at once, one moves created_at on and the other then finds it young.
    const taken = await this.database.db
      .updateTable('idempotency_keys')
      .set({ created_at: new Date() })
      .where('caller', '=', caller)
      .where('key', '=', key)
      .where('status', 'is', null)
      .where('created_at', '<', abandonedBefore)
      .executeTakeFirst();
    return taken.numUpdatedRows > 0n;
  }
}
