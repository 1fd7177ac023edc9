import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { DB } from '@maatlat/shared/database';
import { NotFound, parseStreamId, type CommandMetadata } from '@maatlat/shared/domain';
import { deterministicUuid, foldEvents, handleCommand, type PostgresEventStore, type Projection, type StoredEvent } from '@maatlat/shared/event-store';
import { jobIdFor } from '@maatlat/shared/jobs';
import type { Reaction } from '@maatlat/shared/features';
import { readAssessmentStream } from './assessment-stream';
import { documentHash, type ModelVersionEvent } from '@maatlat/model-catalogue/domain';
import type { ModelCatalogue } from '@maatlat/model-catalogue/data-access';
import {
  answersOf,
  assessmentDecider,
  assessmentStreamId,
  CURRENT_SCORING_ALGORITHM,
  latestScoreOf,
  mapAnswers,
  mappingOf,
  scoreWith,
  type AssessmentEvent,
  type AssessmentState,
  type RecalculationCause,
} from '@maatlat/assessments/domain';

export function recalculationStreamId(recalculationId: string): string {
  return `recalculation-${recalculationId}`;
}

export function parseRecalculationStreamId(streamId: string): string {
  return parseStreamId('recalculation', streamId);
}

type Started = { recalculationId: string; cause: RecalculationCause; assessmentIds: string[]; target: { key: string; version: string } };
/** An assessment that closed after its recalculation started, so the start could not list it. */
type Included = { assessmentId: string };

/** The model version a recalculation rescores from: the predecessor, or the same version for an algorithm upgrade. */
function sourceOf(started: Started): string {
  return started.cause.kind === 'model-published' ? started.cause.from : `${started.target.key}@${started.target.version}`;
}

/**
 * Recalculations: a cause (a new model version with a crosswalk, or a new scoring algorithm), the
 * closed assessments it touches, one job per assessment through the outbox, and progress.
 */
export class Recalculations {
  /** A recalculation's start never changes once recorded: read once per process. */
  private readonly startedById = new Map<string, Started>();

  constructor(
    private readonly db: Kysely<DB>,
    private readonly store: PostgresEventStore,
    private readonly catalogue: ModelCatalogue,
  ) {}

  /**
   * Starts a recalculation once per cause: the id is derived from the cause, and the start, with its
   * jobs in the outbox, is one idempotent append.
   */
  async start(cause: RecalculationCause, target: { key: string; version: string }, from: { key: string; version: string }, metadata: CommandMetadata): Promise<string> {
    const causeKey = cause.kind === 'model-published' ? cause.publishedEventId : `${cause.algorithm}@${target.key}@${target.version}`;
    const recalculationId = deterministicUuid(metadata.now.getTime(), 'recalculation', causeKey);
    // Read from the events themselves, not the assessments read model, which may lag behind the
    // publication being reacted to.
    const { rows } = await sql<{ assessment_id: string }>`
      SELECT o.data->>'assessmentId' AS assessment_id FROM events o
       WHERE o.type = 'AssessmentOpened' AND o.data->'model'->>'key' = ${from.key} AND o.data->'model'->>'version' = ${from.version}
         AND EXISTS (SELECT 1 FROM events c WHERE c.stream_id = o.stream_id AND c.type = 'AssessmentClosed')
       ORDER BY 1`.execute(this.db);
    const assessmentIds = rows.map((r) => r.assessment_id);
    const started: Started = { recalculationId, cause, assessmentIds, target };
    const eventId = deterministicUuid(metadata.now.getTime(), recalculationId, 'started');
    await this.store.append(
      recalculationStreamId(recalculationId),
      'any',
      [{ eventId, type: 'RecalculationStarted', data: started }],
      { ...metadata, commandId: `start:${causeKey}` },
      {
        jobs: assessmentIds.map((assessmentId) => ({
          jobId: `${jobIdFor(eventId, 'assessment.recalculate')}_${assessmentId}`,
          jobName: 'assessment.recalculate',
          payload: { recalculationId, assessmentId },
          causedByEventId: eventId,
        })),
      },
    );
    return recalculationId;
  }

  /**
   * An assessment closed after a recalculation of its model version started (or while the start was
   * looking): the start did not list it, so it is added here, with its job, once per recalculation.
   * An algorithm upgrade to the algorithm that closing already uses has nothing to add.
   * Returns the recalculations it was added to.
   */
  async includeLateClose(assessmentId: string, metadata: CommandMetadata): Promise<string[]> {
    const [opened] = await this.store.readStream(assessmentStreamId(assessmentId), { toVersion: 1 });
    if (opened?.type !== 'AssessmentOpened') return [];
    const { model } = (opened.data as Extract<AssessmentEvent, { type: 'AssessmentOpened' }>['data']);
    const source = `${model.key}@${model.version}`;
    // Recalculations are few (one per publication or upgrade): their first events are read whole.
    const { rows } = await sql<{ data: Started }>`
      SELECT e.data FROM streams s JOIN events e ON e.stream_id = s.stream_id AND e.version = 1
       WHERE s.category = 'recalculation' AND e.type = 'RecalculationStarted'`.execute(this.db);
    const included: string[] = [];
    for (const started of rows.map((r) => r.data)) {
      if (sourceOf(started) !== source || started.assessmentIds.includes(assessmentId)) continue;
      if (started.cause.kind === 'algorithm-upgrade' && started.cause.algorithm === CURRENT_SCORING_ALGORITHM) continue;
      const eventId = deterministicUuid(metadata.now.getTime(), started.recalculationId, 'included', assessmentId);
      const data: Included = { assessmentId };
      await this.store.append(
        recalculationStreamId(started.recalculationId),
        'any',
        [{ eventId, type: 'RecalculationIncluded', data }],
        { ...metadata, commandId: `include:${assessmentId}` },
        { jobs: [{ jobId: `${jobIdFor(eventId, 'assessment.recalculate')}_${assessmentId}`, jobName: 'assessment.recalculate', payload: { recalculationId: started.recalculationId, assessmentId }, causedByEventId: eventId }] },
      );
      included.push(started.recalculationId);
    }
    return included;
  }

  /** The job: rescore one assessment; running it twice appends nothing the second time. */
  async recalculateOne(recalculationId: string, assessmentId: string, metadata: CommandMetadata): Promise<void> {
    const started = await this.started(recalculationId);
    const { stored, events } = await readAssessmentStream(this.store, assessmentId);
    const state = foldEvents(assessmentDecider, stored) as AssessmentState;
    if (state.status !== 'closed') throw new NotFound('closed-assessment', assessmentId);
    const closedAt = events.find((e) => e.event.type === 'ScoreCalculated')!.event as Extract<AssessmentEvent, { type: 'ScoreCalculated' }>;
    const previous = latestScoreOf(events);
    const target = await this.catalogue.get(started.target.key, started.target.version);
    const mapping = started.cause.kind === 'model-published' && target.crosswalk ? mappingOf(target.crosswalk, documentHash(target.crosswalk)) : null;
    const answers = answersOf(events, closedAt.data.answersUpToVersion);
    const score = scoreWith(
      started.cause.kind === 'algorithm-upgrade' ? started.cause.algorithm : CURRENT_SCORING_ALGORITHM,
      target.document,
      target.contentHash ?? '',
      mapAnswers(answers, mapping),
    );
    await handleCommand(this.store, assessmentDecider, assessmentStreamId(assessmentId), {
      type: 'RecalculateScore',
      data: { recalculationId, cause: started.cause, previous, score, mapping, answersUpToVersion: closedAt.data.answersUpToVersion },
      metadata: { ...metadata, tenantId: state.organisationId, commandId: `recalculate:${recalculationId}`, causationId: recalculationId },
    }, { history: stored });
  }

  /** Records that an assessment could not be rescored after every retry, with the reason. */
  async recordFailure(recalculationId: string, assessmentId: string, reason: string, metadata: CommandMetadata): Promise<void> {
    await this.store.append(
      recalculationStreamId(recalculationId),
      'any',
      [{ eventId: deterministicUuid(metadata.now.getTime(), recalculationId, 'failed', assessmentId), type: 'RecalculationFailed', data: { assessmentId, reason } }],
      { ...metadata, commandId: `failed:${assessmentId}` },
    );
  }

  /** The newest recalculations (at most 100) with their progress. */
  async list() {
    const rows = await this.db.selectFrom('streams').select('stream_id').where('category', '=', 'recalculation').orderBy('created_at', 'desc').limit(100).execute();
    return Promise.all(rows.map((r) => this.progress(parseRecalculationStreamId(r.stream_id))));
  }

  /** Progress: total, done and failed (with reasons). */
  async progress(recalculationId: string) {
    const events = await this.store.readStream(recalculationStreamId(recalculationId));
    const started = this.remember(recalculationId, events[0]);
    const failures = events.filter((e) => e.type === 'RecalculationFailed').map((e) => e.data as { assessmentId: string; reason: string });
    const included = events.filter((e) => e.type === 'RecalculationIncluded').length;
    const { rows } = await sql<{ done: number }>`
      SELECT count(DISTINCT stream_id)::int AS done FROM events
       WHERE type = 'ScoreRecalculated' AND data->>'recalculationId' = ${recalculationId}`.execute(this.db);
    return {
      recalculationId,
      cause: started.cause,
      target: started.target,
      total: started.assessmentIds.length + included,
      done: rows[0].done,
      failed: failures.length,
      failures,
    };
  }

  private async started(recalculationId: string): Promise<Started> {
    const cached = this.startedById.get(recalculationId);
    if (cached) return cached;
    const [first] = await this.store.readStream(recalculationStreamId(recalculationId), { toVersion: 1 });
    return this.remember(recalculationId, first);
  }

  /** A recalculation's start, from the first event of its stream, kept for the next time. */
  private remember(recalculationId: string, first: StoredEvent | undefined): Started {
    if (first?.type !== 'RecalculationStarted') throw new NotFound('recalculation', recalculationId);
    const started = first.data as Started;
    if (this.startedById.size >= 1000) this.startedById.clear();
    this.startedById.set(recalculationId, started);
    return started;
  }
}

/** Which assessments exist, whose, on which model version and whether closed. */
export const assessmentsProjection: Projection = {
  name: 'assessments',
  eventTypes: ['AssessmentOpened', 'AssessmentClosed'],
  async apply(trx, events) {
    for (const stored of events) {
      const event = { type: stored.type, data: stored.data } as AssessmentEvent;
      if (event.type === 'AssessmentOpened') {
        await trx
          .insertInto('assessments')
          .values({
            assessment_id: event.data.assessmentId,
            organisation_id: event.data.organisationId,
            period: event.data.period,
            model_key: event.data.model.key,
            model_version: event.data.model.version,
            status: 'open',
            opened_at: stored.recordedAt,
          })
          .execute();
      } else if (event.type === 'AssessmentClosed') {
        await trx.updateTable('assessments').set({ status: 'closed', closed_at: stored.recordedAt }).where('assessment_id', '=', event.data.assessmentId).execute();
      }
    }
  },
  async reset(trx) {
    await trx.deleteFrom('assessments').execute();
  },
};

/**
 * A reaction, run like a projection (checkpointed): a model version published with a crosswalk
 * starts the recalculation of the closed assessments of its predecessor; an assessment closed later
 * (in log order) is added to the recalculations of its model version that started before. Both
 * are idempotent, so a batch that runs again after a crash starts or adds nothing twice.
 * Why both are needed: a close read before the publication had committed when the start looked
 * (the log is fenced below running transactions), and a close read after it finds the start.
 */
export const recalculationTrigger: Reaction<{ recalculations: Recalculations }> = {
    name: 'recalculation_trigger',
    eventTypes: ['ModelVersionPublished', 'AssessmentClosed'],
    async apply(_trx, events, { recalculations }) {
      for (const stored of events) {
        if (stored.type === 'AssessmentClosed') {
          const { assessmentId } = stored.data as Extract<AssessmentEvent, { type: 'AssessmentClosed' }>['data'];
          await recalculations.includeLateClose(assessmentId, { now: stored.recordedAt, actor: 'system:recalculation', correlationId: stored.metadata.correlationId, causationId: stored.eventId });
          continue;
        }
        const event = { type: stored.type, data: stored.data } as Extract<ModelVersionEvent, { type: 'ModelVersionPublished' }>;
        if (!event.data.predecessor) continue;
        const [key, version] = event.data.predecessor.split('@');
        await recalculations.start(
          { kind: 'model-published', publishedEventId: stored.eventId, from: event.data.predecessor, to: `${event.data.key}@${event.data.version}`, crosswalkHash: event.data.crosswalkHash },
          { key: event.data.key, version: event.data.version },
          { key, version },
          { now: stored.recordedAt, actor: 'system:recalculation', correlationId: stored.metadata.correlationId, causationId: stored.eventId },
        );
      }
    },
};
