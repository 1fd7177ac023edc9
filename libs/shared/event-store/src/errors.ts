import { Conflict } from '@maatlat/shared/domain';

/** The stream moved on since the caller read it: reload, decide again, or tell the client (409). */
export class WrongExpectedVersion extends Conflict {
  constructor(
    readonly streamId: string,
    readonly expectedVersion: number,
    readonly actualVersion: number,
  ) {
    super(
      'stream.wrong-expected-version',
      `stream ${streamId} is at version ${actualVersion}, not the expected version ${expectedVersion}`,
      { streamId, expectedVersion, actualVersion },
    );
  }
}

export class DuplicateEventId extends Conflict {
  constructor(readonly streamId: string) {
    super('stream.duplicate-event-id', `an event appended to ${streamId} reuses an existing event id`, { streamId });
  }
}

/**
 * A guarded append met its guard closed: the guard stream holds an event that refuses further
 * appends (an assessment closed while its respondents answered). The caller says why, in its words.
 */
export class GuardRefused extends Conflict {
  constructor(readonly guardStreamId: string) {
    super('stream.guard-refused', `appends guarded by ${guardStreamId} are refused now`, { guardStreamId });
  }
}

/**
 * An append that needed another stream unchanged (`AppendGuard.unchanged`) found it moved on: what
 * the caller decided on that stream's state as of `expectedVersion` no longer holds. Read that
 * stream again and decide again (a revoked invitation, an erased respondent, a new invitation).
 */
export class StreamMoved extends Conflict {
  constructor(
    readonly streamId: string,
    readonly expectedVersion: number,
    readonly actualVersion: number,
  ) {
    super('stream.moved', `stream ${streamId} is at version ${actualVersion}, no longer at version ${expectedVersion}`, { streamId, expectedVersion, actualVersion });
  }
}
