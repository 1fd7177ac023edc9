import type { LayerId } from '@maatlat/model-catalogue/domain';
import type { AssessmentEvent, ResponseCut } from './assessment.events';
import type { ScoreResult, ScoringAnswer } from './scoring';

/**
 * An assessment event as read from its streams: with its place and hash in the chain. `streamId`:
 * the response stream it is in; absent for the assessment's own stream.
 */
export interface RecordedAssessmentEvent {
  streamId?: string;
  version: number;
  eventId: string;
  hash: string;
  event: AssessmentEvent;
}

/**
 * Which events a score read: the assessment stream up to `answersUpToVersion` and, when `responses`
 * is given, each listed response stream up to its version (a stream it does not list, none of).
 * Score events carry exactly this shape, so `answersOf(events, scoreEvent.data)` replays one.
 */
export interface AnswersCut {
  answersUpToVersion: number;
  responses?: readonly Pick<ResponseCut, 'streamId' | 'version'>[];
}

/**
 * The answers that count: each respondent's latest answer per question, with the layer they were
 * invited for and the event it comes from. `events`: the assessment stream and its response
 * streams merged in the order they were appended. `cut` (a version of the assessment stream, or a
 * score's cut): only what a score read. Pure, so scoring and its replay read the same input.
 */
export function answersOf(events: readonly RecordedAssessmentEvent[], cut: number | AnswersCut = Number.MAX_SAFE_INTEGER): ScoringAnswer[] {
  const upToVersion = typeof cut === 'number' ? cut : cut.answersUpToVersion;
  const responses = typeof cut === 'number' || !cut.responses ? undefined : new Map(cut.responses.map((r) => [r.streamId, r.version]));
  const layerOf = new Map<string, LayerId>();
  const latest = new Map<string, ScoringAnswer>();
  for (const { streamId, version, eventId, hash, event } of events) {
    if (streamId === undefined ? version > upToVersion : responses !== undefined && version > (responses.get(streamId) ?? 0)) continue;
    if (event.type === 'RespondentInvitedToAssessment') layerOf.set(event.data.respondentId, event.data.layer);
    if (event.type === 'AnswerRecorded' || event.type === 'AnswerRevised') {
      const layer = layerOf.get(event.data.respondentId);
      if (!layer) continue;
      latest.set(`${event.data.respondentId}|${event.data.questionId}`, {
        questionId: event.data.questionId,
        layer,
        respondentId: event.data.respondentId,
        level: 'level' in event.data.answer ? event.data.answer.level : null,
        source: streamId === undefined ? { streamVersion: version, eventId, hash } : { streamId, streamVersion: version, eventId, hash },
      });
    }
  }
  return [...latest.values()];
}

/** The most recent score of a stream: a recalculation supersedes the original, which stays in the stream. */
export function latestScoreOf(events: readonly Pick<RecordedAssessmentEvent, 'event'>[]): ScoreResult | null {
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i].event;
    if (event.type === 'ScoreCalculated' || event.type === 'ScoreRecalculated') return event.data.score;
  }
  return null;
}
