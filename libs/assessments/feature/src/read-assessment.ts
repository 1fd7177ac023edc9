import { foldAssessment } from '@maatlat/assessments/data-access';
import { answersOf, type RecordedAssessmentEvent, type ScoreEventReference, type ScoreEventSelector, type ScoreResult } from '@maatlat/assessments/domain';
import { summaryOf, type AssessmentsContext } from './assessments.context';

/**
 * The assessment now, or as it stood at `asOf`: its summary, the answers that counted then (each
 * respondent's latest per question: value, layer and the event it comes from) and the score that
 * stood then, with the event recording it.
 */
export async function readAssessment(context: AssessmentsContext, assessmentId: string, asOf?: Date) {
  // Answers and the score are cited by their events, so the read includes the hashes.
  const { stored, events, version } = await context.assessments.readWithHashes(assessmentId, asOf);
  const state = foldAssessment(assessmentId, stored);
  const scored = lastScoreEvent(events, stored);
  const countedAnswers = answersOf(events).map((answer) => ({
    questionId: answer.questionId,
    layer: answer.layer,
    respondentId: answer.respondentId,
    answer: answer.level === null ? { dontKnow: true as const } : { level: answer.level },
    source: answer.source,
  }));
  return {
    ...summaryOf(state, version),
    asOf: asOf?.toISOString() ?? null,
    score: scored?.score ?? null,
    scoreEvent: scored?.scoreEvent ?? null,
    countedAnswers,
  };
}

function lastScoreEvent(events: readonly RecordedAssessmentEvent[], stored: readonly { version: number; recordedAt: Date }[]): { score: ScoreResult; scoreEvent: ScoreEventReference } | null {
  for (let i = events.length - 1; i >= 0; i--) {
    const { streamId, version, eventId, hash, event } = events[i];
    if (streamId === undefined && (event.type === 'ScoreCalculated' || event.type === 'ScoreRecalculated')) {
      return { score: event.data.score, scoreEvent: { version, eventId, hash, type: event.type, recordedAt: stored[i].recordedAt.toISOString() } };
    }
  }
  return null;
}

/** A recorded score: the latest (calculated or recalculated), or the one `scoreEvent` selects. */
export async function recordedScore(context: AssessmentsContext, assessmentId: string, scoreEvent?: ScoreEventSelector): Promise<ScoreResult> {
  return (await context.assessments.scoreEvent(assessmentId, scoreEvent)).score;
}

/** Every score event of the assessment, oldest first: what each scored, with what and why, and its overall score. */
export async function listScoreEvents(context: AssessmentsContext, assessmentId: string) {
  await context.assessments.organisationOf(assessmentId); // 404 when there is no such assessment
  return context.assessments.scoreEvents(assessmentId);
}

/**
 * The audit timeline: who (pseudonymous), what, when and why, and each event's links in the hash
 * chain (its hash, the previous link and its content hash) by which the events an explanation
 * cites can be matched and every link recomputed. The assessment's own stream and its response
 * streams, merged in the order they were appended. Justifications stay sealed.
 */
export async function assessmentTimeline(context: AssessmentsContext, assessmentId: string) {
  const events = await context.assessments.readChained(assessmentId);
  foldAssessment(assessmentId, events); // 404 when there is no such assessment
  return events.map((event) => ({
    streamId: event.streamId,
    version: event.version,
    eventId: event.eventId,
    hash: event.hash,
    previousHash: event.previousHash,
    contentHash: event.contentHash,
    position: event.position,
    type: event.type,
    recordedAt: event.recordedAt.toISOString(),
    actor: event.metadata.actor,
    reason: event.metadata.reason ?? null,
    correlationId: event.metadata.correlationId,
    ...(event.type === 'AnswerRecorded' || event.type === 'AnswerRevised' ? { questionId: event.data.questionId, answer: event.data.answer } : {}),
    ...(event.type === 'ScoreCalculated' || event.type === 'ScoreRecalculated' ? { overall: { score: event.data.score.overall.score, stage: event.data.score.overall.stage } } : {}),
  }));
}
