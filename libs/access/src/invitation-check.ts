import { applyDecorators, createParamDecorator, HttpException, HttpStatus, Injectable, SetMetadata, UseInterceptors, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { catchError, from, type Observable } from 'rxjs';

/** What an invitation token claims, as the access guard hands it to the check. */
export interface InvitationClaimed {
  invitationId: string;
  respondentId: string;
  organisationId: string;
  assessmentId: string;
  layer: string;
}

/**
 * The check's answer: why the invitation is refused, or the respondent's stream and the version
 * at which it was found honoured.
 */
export type InvitationVerdict = { refusal: string } | { refusal?: undefined; streamId: string; version: number };

/**
 * What the access guard asks of every invitation token that verifies: is it still honoured? The
 * respondents feature provides it under INVITATION_CHECK (it knows erasures and revocations); the
 * guard finds it wherever it is provided, and without one refuses invitation tokens.
 */
export interface InvitationCheck {
  /** Why the invitation is refused ("the respondent has been erased", …), or undefined when it is honoured: on the stream as it is now. */
  refusalOf(claim: InvitationClaimed): Promise<string | undefined>;
  /**
   * The same check, on the respondent's stream as this process last folded it (`fresh`: read up to
   * now first). A refusal is always on the stream as it is now; an honoured invitation names the
   * version it was honoured at, which holds only for a write that finds that stream unchanged.
   */
  verdictOf(claim: InvitationClaimed, options?: { fresh?: boolean }): Promise<InvitationVerdict>;
}

export const INVITATION_CHECK = Symbol('INVITATION_CHECK');

/**
 * An invitation honoured on the respondent's stream at `version`, possibly as this process
 * remembered it: the request's write must append only while that stream is still at that version
 * (the event store's `AppendGuard.unchanged`). When the stream moved, `renew` checks the invitation
 * afresh: it throws the same 401 the access guard gives (revoked, erased) or returns the hold at the
 * version the stream is at now. A request that ends without such a write (a refusal, a replay, an
 * answer already given) renews first, so a revoked invitation never learns more than a 401.
 */
export interface InvitationHold {
  streamId: string;
  version: number;
  renew(): Promise<InvitationHold>;
}

export const INVITATION_HELD_BY_WRITE = 'maatlat:invitation-held-by-write';

/**
 * On a route marked `@InvitationHeldByWrite()`: a request that fails (a refusal, a body that does
 * not validate, a closed assessment) did not append, so nothing held its invitation to the version
 * the guard saw. It is checked afresh first, and a revoked or erased respondent hears 401 (as on
 * any other route) rather than what the route would have said.
 */
@Injectable()
export class InvitationHoldRenewal implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<{ invitationHold?: InvitationHold }>();
    if (!request.invitationHold) return next.handle();
    return next.handle().pipe(
      catchError((error: unknown) =>
        from(
          (async () => {
            // A refusal of the invitation itself (renewed already, and counted) stands as it is.
            const refused = error instanceof HttpException && [HttpStatus.UNAUTHORIZED, HttpStatus.TOO_MANY_REQUESTS].includes(error.getStatus());
            if (!refused) await request.invitationHold!.renew();
            throw error;
          })(),
        ),
      ),
    );
  }
}

/**
 * For a route whose work is one write that can carry the invitation's hold (see InvitationHold):
 * the access guard checks an invitation on the respondent's stream as this process remembers it,
 * without reading it, and the handler passes `@InvitationHeld()` on to its append; a request that
 * fails is checked afresh (InvitationHoldRenewal). Other routes read the respondent's stream on
 * every request.
 */
export const InvitationHeldByWrite = () => applyDecorators(SetMetadata(INVITATION_HELD_BY_WRITE, true), UseInterceptors(InvitationHoldRenewal));

/** The request's InvitationHold, on a route marked `@InvitationHeldByWrite()` called with an invitation; undefined otherwise. */
export const InvitationHeld = createParamDecorator((_: unknown, context: ExecutionContext): InvitationHold | undefined => context.switchToHttp().getRequest<{ invitationHold?: InvitationHold }>().invitationHold);
