import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger, SetMetadata, type CallHandler, type OnApplicationBootstrap, type OnApplicationShutdown, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { sql } from 'kysely';
import { from, lastValueFrom, type Observable } from 'rxjs';
import type { Database } from '@maatlat/shared/database';
import { canonicalJson, Conflict, RuleBroken, ValidationFailed } from '@maatlat/shared/domain';
import type { AppConfig } from '@maatlat/shared/config';
import { APP_CONFIG, DATABASE } from '@maatlat/shared/tokens';
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
  private readonly retentionHours: number;

  constructor(
    @Inject(DATABASE) private readonly database: Database,
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.retentionHours = config.idempotencyKeyRetentionHours;
  }

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
    // The command id below HTTP: the key and what was asked. A replay (or a retry after a failure)
    // is the same command and appends nothing twice; a key used again once it has expired, for
    // another request, is another command (on the same stream too) and creates something new.
    request.commandId = `${key}:${fingerprint.toString('hex', 0, 16)}`;
    const rerun = this.reflector.getAllAndOverride<boolean>(RERUN_ON_REPLAY, [context.getHandler(), context.getClass()]) === true;
    const response = context.switchToHttp().getResponse<Response>();

    const claimed = await this.claim(caller, key, request.method, path, fingerprint);
    if (!claimed) {
      // Whatever a key used before answers, an invitation held on a remembered version is checked
      // afresh first: a revoked or erased respondent's replay is refused like any other request.
      if (request.invitationHold) request.invitationHold = await request.invitationHold.renew();
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

  /**
   * Records the key as taken by this request; false when it already was. A key past its retention
   * counts as never used (whether or not the cleanup has purged it yet): it is taken over afresh.
   */
  private async claim(caller: string, key: string, method: string, path: string, fingerprint: Buffer): Promise<boolean> {
    const now = new Date();
    const inserted = await this.database.db
      .insertInto('idempotency_keys')
      .values({ caller, key, method, path, fingerprint, status: null, response: null, created_at: now, completed_at: null })
      .onConflict((conflict) =>
        conflict
          .columns(['caller', 'key'])
          .doUpdateSet({ method, path, fingerprint, status: null, response: null, created_at: now, completed_at: null })
          .where('idempotency_keys.created_at', '<', expiredBefore(this.retentionHours, now)),
      )
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

/** The moment before which a key, counted from its first use, is past its retention. */
function expiredBefore(retentionHours: number, now = new Date()): Date {
  return new Date(now.getTime() - retentionHours * 3_600_000);
}

/** How often the cleanup looks for expired keys. */
const CLEANUP_EVERY_MS = 15 * 60_000;
/** Rows deleted per statement, so a large backlog never holds locks or a statement long. */
const CLEANUP_BATCH = 5_000;

/**
 * Purges Idempotency-Keys past their retention (IDEMPOTENCY_KEY_RETENTION_HOURS from their first
 * use, 24 by default as the IETF draft suggests): once at start and every quarter of an hour, in
 * batches. Every API instance runs it; they may overlap harmlessly. A key past its retention is
 * already treated as unused by the interceptor; this keeps the table from growing without end.
 */
@Injectable()
export class IdempotencyKeyCleanup implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Idempotency');
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    @Inject(DATABASE) private readonly database: Database,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    void this.runQuietly();
    this.timer = setInterval(() => void this.runQuietly(), CLEANUP_EVERY_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Deletes every key past its retention; returns how many. */
  async purgeExpired(now = new Date()): Promise<number> {
    const before = expiredBefore(this.config.idempotencyKeyRetentionHours, now);
    let purged = 0;
    for (;;) {
      const { rows } = await sql<{ n: number }>`
        WITH expired AS (
          DELETE FROM idempotency_keys WHERE ctid IN (SELECT ctid FROM idempotency_keys WHERE created_at < ${before} LIMIT ${CLEANUP_BATCH})
          RETURNING 1)
        SELECT count(*)::int AS n FROM expired`.execute(this.database.db);
      purged += rows[0].n;
      if (rows[0].n < CLEANUP_BATCH) return purged;
    }
  }

  private async runQuietly(): Promise<void> {
    if (this.running) return;
    this.running = this.purgeExpired();
    try {
      const purged = await this.running;
      if (purged > 0) this.logger.log({ purged }, 'expired idempotency keys purged');
    } catch (error) {
      // PostgreSQL away: the next round tries again.
      this.logger.warn({ error: (error as Error).message }, 'expired idempotency keys could not be purged');
    } finally {
      this.running = undefined;
    }
  }
}
