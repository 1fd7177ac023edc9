import type { LayerId } from '@maatlat/model-catalogue/domain';
import type { AssessmentEvent } from './assessment.events';
import type { ScoreResult, ScoringAnswer } from './scoring';

/** An assessment event as read from its stream: with its place and hash in the chain. */
export interface RecordedAssessmentEvent {
  version: number;
  eventId: string;
  hash: string;
  event: AssessmentEvent;
}

/**
 * The answers that count: each respondent's latest answer per question, with the layer they were
 * invited for and the event it comes from. Pure, so scoring and its replay read the same input.
 */
export function answersOf(events: readonly RecordedAssessmentEvent[], upToVersion = Number.MAX_SAFE_INTEGER): ScoringAnswer[] {
  const layerOf = new Map<string, LayerId>();
  const latest = new Map<string, ScoringAnswer>();
  for (const { version, eventId, hash, event } of events) {
    if (version > upToVersion) break;
    if (event.type === 'RespondentInvitedToAssessment') layerOf.set(event.data.respondentId, event.data.layer);
    if (event.type === 'AnswerRecorded' || event.type === 'AnswerRevised') {
      const layer = layerOf.get(event.data.respondentId);
      if (!layer) continue;
      latest.set(`${event.data.respondentId}|${event.data.questionId}`, {
        questionId: event.data.questionId,
        layer,
        respondentId: event.data.respondentId,
        level: 'level' in event.data.answer ? event.data.answer.level : null,
        source: { streamVersion: version, eventId, hash },
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
