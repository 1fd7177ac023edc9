import { foldAssessment } from '@maatlat/assessments/data-access';
import { latestScoreOf, type ScoreEventSelector, type ScoreResult } from '@maatlat/assessments/domain';
import { summaryOf, type AssessmentsContext } from './assessments.context';

/** The assessment and its latest score, now or as they stood at `asOf`. */
export async function readAssessment(context: AssessmentsContext, assessmentId: string, asOf?: Date) {
  // Neither the summary nor the score cites events, so their hashes are not read.
  const events = await context.assessments.read(assessmentId, asOf);
  const state = foldAssessment(assessmentId, events);
  const score = latestScoreOf(events.map((event) => ({ event })));
  return { ...summaryOf(state, events.length), asOf: asOf?.toISOString() ?? null, score };
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
 * cites can be matched and every link recomputed. Justifications stay sealed.
 */
export async function assessmentTimeline(context: AssessmentsContext, assessmentId: string) {
  const events = await context.assessments.readChained(assessmentId);
  foldAssessment(assessmentId, events); // 404 when there is no such assessment
  return events.map((event) => ({
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
