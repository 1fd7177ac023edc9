import { NotFound, type CommandMetadata } from '@maatlat/shared/domain';
import { deterministicUuid, foldEvents, handleCommand, keyedUuid, type OutboxJob } from '@maatlat/shared/event-store';
import { jobIdFor } from '@maatlat/shared/jobs';
import { documentHash } from '@maatlat/model-catalogue/domain';
import {
  answersOf,
  assessmentDecider,
  assessmentStreamId,
  belongsInRecalculation,
  CURRENT_SCORING_ALGORITHM,
  latestScoreOf,
  mapAnswers,
  mappingOf,
  recalculationDecider,
  recalculationStreamId,
  scoreWith,
  type ModelVersionRef,
  type RecalculationCause,
  type RecalculationCommand,
  type RecalculationEvent,
} from '@maatlat/assessments/domain';
import type { AssessmentsContext } from './assessments.context';

/**
 * Recalculation, the one use case behind every rescoring: a cause (a model version published with
 * a crosswalk, or a scoring-algorithm upgrade) starts it once, with one job per closed assessment
 * through the outbox; each job rescores one assessment; a failure after every try is recorded.
 */

/** One job per assessment, its id derived from the event that caused it: a re-delivery is a no-op. */
function rescoreJobs(recalculationId: string, events: readonly { eventId: string }[], assessmentIds: readonly string[]): OutboxJob[] {
  const [cause] = events;
  if (!cause) return [];
  return assessmentIds.map((assessmentId) => ({
    jobId: `${jobIdFor(cause.eventId, 'assessment.recalculate')}_${assessmentId}`,
    jobName: 'assessment.recalculate',
    payload: { recalculationId, assessmentId },
    causedByEventId: cause.eventId,
  }));
}

function runRecalculationCommand(context: Pick<AssessmentsContext, 'store'>, recalculationId: string, command: RecalculationCommand, jobs?: (events: { eventId: string }[]) => OutboxJob[]) {
  // Many closes and job failures may land on one recalculation at once: conflicts are retried on the
  // fresh stream, where the decider drops what is already there.
  return handleCommand<RecalculationCommand, ReturnType<typeof recalculationDecider.initialState>, RecalculationEvent>(
    context.store,
    recalculationDecider,
    recalculationStreamId(recalculationId),
    command,
    { maxAttempts: 20, jobs },
  );
}

/**
 * Starts a recalculation once per cause: its id is derived from the cause alone, and the start,
 * with its jobs in the outbox, is one idempotent append. The target must exist (404).
 */
export async function startRecalculation(context: AssessmentsContext, cause: RecalculationCause, target: ModelVersionRef, from: ModelVersionRef, metadata: CommandMetadata): Promise<string> {
  await context.catalogue.get(target.key, target.version);
  const causeKey = cause.kind === 'model-published' ? cause.publishedEventId : `${cause.algorithm}@${target.key}@${target.version}`;
  // A publication is started by its reaction with the publication's own time as `now`, which ids
  // already recorded were derived with; an upgrade has no time of its own, so none goes in.
  const recalculationId =
    cause.kind === 'model-published' ? deterministicUuid(metadata.now.getTime(), 'recalculation', causeKey) : keyedUuid('recalculation', causeKey);
  const assessmentIds = await context.recalculations.closedAssessmentsOf(from);
  await runRecalculationCommand(
    context,
    recalculationId,
    { type: 'StartRecalculation', data: { recalculationId, cause, assessmentIds, target }, metadata: { ...metadata, commandId: `start:${causeKey}` } },
    (events) => rescoreJobs(recalculationId, events, assessmentIds),
  );
  return recalculationId;
}

/**
 * An assessment closed after a recalculation of its model version started (or while the start was
 * looking): the start did not list it, so it is added here, with its job, once per recalculation.
 * Returns the recalculations it was added to.
 */
export async function includeLateClose(context: AssessmentsContext, assessmentId: string, metadata: CommandMetadata): Promise<string[]> {
  const opened = await context.assessments.opened(assessmentId);
  if (!opened) return [];
  const included: string[] = [];
  for (const recalculation of await context.recalculations.all()) {
    if (!belongsInRecalculation(recalculation, opened.model, assessmentId, CURRENT_SCORING_ALGORITHM)) continue;
    const { recalculationId } = recalculation;
    await runRecalculationCommand(
      context,
      recalculationId,
      { type: 'IncludeInRecalculation', data: { assessmentId }, metadata: { ...metadata, commandId: `include:${assessmentId}` } },
      (events) => rescoreJobs(recalculationId, events, [assessmentId]),
    );
    included.push(recalculationId);
  }
  return included;
}

/** The job: rescore one closed assessment; running it twice appends nothing the second time. */
export async function recalculateAssessment(context: AssessmentsContext, recalculationId: string, assessmentId: string, metadata: CommandMetadata): Promise<void> {
  const started = await context.recalculations.started(recalculationId);
  const { stored, events, own } = await context.assessments.readWithHashes(assessmentId);
  const state = foldEvents(assessmentDecider, stored);
  const closing = events.find((e) => e.event.type === 'ScoreCalculated')?.event;
  if (state.status !== 'closed' || closing?.type !== 'ScoreCalculated') throw new NotFound('closed-assessment', assessmentId);
  const target = await context.catalogue.get(started.target.key, started.target.version);
  const mapping = started.cause.kind === 'model-published' && target.crosswalk ? mappingOf(target.crosswalk, documentHash(target.crosswalk)) : null;
  const answers = answersOf(events, closing.data);
  const algorithm = started.cause.kind === 'algorithm-upgrade' ? started.cause.algorithm : CURRENT_SCORING_ALGORITHM;
  const score = scoreWith(algorithm, target.document, target.contentHash ?? '', mapAnswers(answers, mapping));
  await handleCommand(
    context.store,
    assessmentDecider,
    assessmentStreamId(assessmentId),
    {
      type: 'RecalculateScore',
      data: {
        recalculationId,
        cause: started.cause,
        previous: latestScoreOf(events),
        score,
        mapping,
        answersUpToVersion: closing.data.answersUpToVersion,
        ...(closing.data.responses ? { responses: closing.data.responses } : {}),
      },
      metadata: { ...metadata, tenantId: state.organisationId, commandId: `recalculate:${recalculationId}`, causationId: recalculationId },
    },
    { history: own },
  );
}

/** Records that an assessment could not be rescored after every try, with the reason (once). */
export async function recordRecalculationFailure(context: AssessmentsContext, recalculationId: string, assessmentId: string, reason: string, metadata: CommandMetadata): Promise<void> {
  await runRecalculationCommand(context, recalculationId, { type: 'RecordRecalculationFailure', data: { assessmentId, reason }, metadata: { ...metadata, commandId: `failed:${assessmentId}` } });
}

/** Progress: total, done and failed (with reasons). */
export async function recalculationProgress(context: AssessmentsContext, recalculationId: string) {
  const recalculation = await context.recalculations.get(recalculationId);
  return {
    recalculationId,
    cause: recalculation.cause,
    target: recalculation.target,
    total: recalculation.assessmentIds.length,
    done: await context.recalculations.rescoredCount(recalculationId),
    failed: recalculation.failures.length,
    failures: recalculation.failures,
  };
}

/** The newest recalculations (at most 100) with their progress. */
export async function listRecalculations(context: AssessmentsContext) {
  return Promise.all((await context.recalculations.newest(100)).map((id) => recalculationProgress(context, id)));
}
