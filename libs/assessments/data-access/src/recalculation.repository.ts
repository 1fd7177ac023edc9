import { sql, type Kysely } from 'kysely';
import type { DB } from '@maatlat/shared/database';
import { NotFound } from '@maatlat/shared/domain';
import { foldEvents, type PostgresEventStore } from '@maatlat/shared/event-store';
import {
  parseRecalculationStreamId,
  recalculationDecider,
  recalculationStreamId,
  type ModelVersionRef,
  type RecalculationEvent,
  type RecalculationStarted,
  type RecalculationState,
} from '@maatlat/assessments/domain';

export type StartedRecalculation = Extract<RecalculationState, { status: 'started' }>;

/** Reads of recalculations and of the assessments they touch. */
export class RecalculationRepository {
  /** A recalculation's start never changes once recorded: read once per process. */
  private readonly startedById = new Map<string, RecalculationStarted['data']>();

  constructor(
    private readonly db: Kysely<DB>,
    private readonly store: PostgresEventStore,
  ) {}

  /**
   * The closed assessments of a model version, from the events themselves: the assessments read
   * model may lag behind the publication being reacted to.
   */
  async closedAssessmentsOf(model: ModelVersionRef): Promise<string[]> {
    const { rows } = await sql<{ assessment_id: string }>`
      SELECT o.data->>'assessmentId' AS assessment_id FROM events o
       WHERE o.type = 'AssessmentOpened' AND o.data->'model'->>'key' = ${model.key} AND o.data->'model'->>'version' = ${model.version}
         AND EXISTS (SELECT 1 FROM events c WHERE c.stream_id = o.stream_id AND c.type = 'AssessmentClosed')
       ORDER BY 1`.execute(this.db);
    return rows.map((r) => r.assessment_id);
  }

  /** Every recalculation as it stands; they are few (one per publication or upgrade). */
  async all(): Promise<StartedRecalculation[]> {
    const ids = await this.newest(Number.MAX_SAFE_INTEGER);
    return Promise.all(ids.map((id) => this.get(id)));
  }

  /** The ids of the newest recalculations. */
  async newest(limit: number): Promise<string[]> {
    const rows = await this.db.selectFrom('streams').select('stream_id').where('category', '=', 'recalculation').orderBy('created_at', 'desc').limit(limit).execute();
    return rows.map((r) => parseRecalculationStreamId(r.stream_id));
  }

  /** A recalculation as its stream says now; 404 when there is none. */
  async get(recalculationId: string): Promise<StartedRecalculation> {
    const state = foldEvents(recalculationDecider, await this.store.readStream<RecalculationEvent>(recalculationStreamId(recalculationId)));
    if (state.status !== 'started') throw new NotFound('recalculation', recalculationId);
    return state;
  }

  /** A recalculation's start (cached: it never changes); 404 when there is none. */
  async started(recalculationId: string): Promise<RecalculationStarted['data']> {
    const cached = this.startedById.get(recalculationId);
    if (cached) return cached;
    const [first] = await this.store.readStream<RecalculationEvent>(recalculationStreamId(recalculationId), { toVersion: 1 });
    if (first?.type !== 'RecalculationStarted') throw new NotFound('recalculation', recalculationId);
    if (this.startedById.size >= 1000) this.startedById.clear();
    this.startedById.set(recalculationId, first.data);
    return first.data;
  }

  /** How many assessments the recalculation has rescored (one score event each, however often a job ran). */
  async rescoredCount(recalculationId: string): Promise<number> {
    const { rows } = await sql<{ done: number }>`
      SELECT count(DISTINCT stream_id)::int AS done FROM events
       WHERE type = 'ScoreRecalculated' AND data->>'recalculationId' = ${recalculationId}`.execute(this.db);
    return rows[0].done;
  }
}
