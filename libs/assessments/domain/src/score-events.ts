import { ValidationFailed } from '@maatlat/shared/domain';

export const SCORE_EVENT_TYPES = ['ScoreCalculated', 'ScoreRecalculated'] as const;
export type ScoreEventType = (typeof SCORE_EVENT_TYPES)[number];

/**
 * Which recorded score a reader means: by its stream version or its event id (the two ways an
 * explanation, the timeline and the score-event list cite it). Absent means the latest.
 */
export type ScoreEventSelector = { version: number } | { eventId: string };

/** A score event as cited: its place in the stream, its id and its link in the hash chain. */
export interface ScoreEventReference {
  version: number;
  eventId: string;
  hash: string;
  type: ScoreEventType;
  recordedAt: string;
}

const EVENT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `?scoreEvent=` as given: a stream version (`7`) or an event id (a uuid); 400 naming the parameter otherwise.
 * @example parseScoreEventSelector('7') // { version: 7 }
 */
export function parseScoreEventSelector(raw: unknown, field = 'scoreEvent'): ScoreEventSelector {
  // A repeated query parameter arrives as an array: as malformed as any other non-selector.
  if (typeof raw === 'string' && /^\d{1,9}$/.test(raw) && Number(raw) >= 1) return { version: Number(raw) };
  if (typeof raw === 'string' && EVENT_ID.test(raw)) return { eventId: raw.toLowerCase() };
  throw new ValidationFailed([{ field, problem: 'must be the stream version of a score event (a whole number from 1) or its event id (a uuid)' }]);
}

/** How a selector is named in messages: `7`, or the event id. */
export function describeScoreEventSelector(selector: ScoreEventSelector): string {
  return 'version' in selector ? String(selector.version) : selector.eventId;
}
