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
