import { sql, type Kysely } from 'kysely';
import type { DB } from '@maatlat/shared/database';
import { NotFound } from '@maatlat/shared/domain';
import { foldEvents, type PostgresEventStore, type RecordedEvent } from '@maatlat/shared/event-store';
import { assessmentDecider, assessmentStreamId, type AssessmentEvent, type AssessmentState, type RecordedAssessmentEvent, type ScoreResult } from '@maatlat/assessments/domain';

export type ExistingAssessment = Extract<AssessmentState, { status: 'open' | 'closed' }>;

/** An event of the audit timeline: its data, and its place and links in the stream's hash chain. */
export type ChainedAssessmentEvent = RecordedEvent<AssessmentEvent> & { hash: string; previousHash: string; contentHash: string };

/** The score of an assessment's latest score event (calculated or recalculated), found from the stream's end. */
const latestScoreEvent = (assessmentId: string) => sql<{ score: ScoreResult }>`
  SELECT data -> 'score' AS score FROM events
   WHERE stream_id = ${assessmentStreamId(assessmentId)} AND type IN ('ScoreCalculated', 'ScoreRecalculated')
   ORDER BY version DESC LIMIT 1`;

/** Folds an assessment's stream; 404 when there is no such assessment (then). */
export function foldAssessment(assessmentId: string, events: readonly RecordedEvent<AssessmentEvent>[]): ExistingAssessment {
  const state = foldEvents(assessmentDecider, events);
  if (state.status === 'none') throw new NotFound('assessment', assessmentId);
  return state;
}

/** Reads of assessment streams and their recorded scores, as the use cases need them. */
export class AssessmentRepository {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly store: PostgresEventStore,
  ) {}

  /**
   * The stream with each event's place and hash in the chain: what scores cite as their sources, so
   * scoring and every replay of it read them the same way.
   */
  async readWithHashes(assessmentId: string, asOf?: Date): Promise<{ stored: RecordedEvent<AssessmentEvent>[]; events: RecordedAssessmentEvent[] }> {
    const stored = await this.store.readStream<AssessmentEvent>(assessmentStreamId(assessmentId), { asOf, withHashes: true });
    return { stored, events: stored.map((e) => ({ version: e.version, eventId: e.eventId, hash: e.hash!, event: { type: e.type, data: e.data } as AssessmentEvent })) };
  }

  /** The stream without hashes, for reads that cite no events (summaries, "as of", the timeline). */
  read(assessmentId: string, asOf?: Date): Promise<RecordedEvent<AssessmentEvent>[]> {
    return this.store.readStream<AssessmentEvent>(assessmentStreamId(assessmentId), { asOf });
  }

  /**
   * The stream for the audit timeline: each event with the links of its hash chain as stored (its
   * own hash, the previous link and its content hash), so an auditor can recompute every link.
   */
  async readChained(assessmentId: string): Promise<ChainedAssessmentEvent[]> {
    const streamId = assessmentStreamId(assessmentId);
    const [events, links] = await Promise.all([
      this.store.readStream<AssessmentEvent>(streamId, { withHashes: true }),
      this.db.selectFrom('events').select(['version', sql<string>`encode(previous_hash, 'hex')`.as('previous_hash'), sql<string>`encode(content_hash, 'hex')`.as('content_hash')]).where('stream_id', '=', streamId).execute(),
    ]);
    const linksOf = new Map(links.map((l) => [l.version, l]));
    return events.map((event) => ({ ...event, hash: event.hash!, previousHash: linksOf.get(event.version)?.previous_hash ?? '', contentHash: linksOf.get(event.version)?.content_hash ?? '' }));
  }

  /** The assessment's organisation, for access checks before anything else is read: the first event says. */
  async organisationOf(assessmentId: string): Promise<string> {
    const opened = await this.opened(assessmentId);
    if (!opened) throw new NotFound('assessment', assessmentId);
    return opened.organisationId;
  }

  /** The first event's data, or undefined when there is no such assessment. */
  async opened(assessmentId: string): Promise<Extract<AssessmentEvent, { type: 'AssessmentOpened' }>['data'] | undefined> {
    const [first] = await this.store.readStream<AssessmentEvent>(assessmentStreamId(assessmentId), { toVersion: 1 });
    return first?.type === 'AssessmentOpened' ? first.data : undefined;
  }

  /** The latest score, read from the end of the stream: the cost does not grow with the answers. */
  async latestScore(assessmentId: string): Promise<ScoreResult> {
    const { rows } = await sql<{ score: ScoreResult }>`SELECT latest.score FROM (${latestScoreEvent(assessmentId)}) AS latest`.execute(this.db);
    if (!rows[0]) throw new NotFound('score', assessmentId);
    return rows[0].score;
  }

  /**
   * The latest score cut down to one factor and its questions, cut by PostgreSQL: a score cites
   * every answer event, so the whole can run to megabytes while one factor's part is a few percent.
   */
  async latestScoreOfFactor(assessmentId: string, factorId: string): Promise<ScoreResult> {
    const { rows } = await sql<{ score: ScoreResult | null }>`
      SELECT CASE WHEN latest.score IS NOT NULL THEN jsonb_build_object(
               'algorithm', latest.score -> 'algorithm',
               'model', latest.score -> 'model',
               'factors', jsonb_path_query_array(latest.score, '$.factors[*] ? (@.factorId == $id)', vars.v),
               'questions', jsonb_path_query_array(latest.score, '$.questions[*] ? (@.questionId == $ids[*])',
                 jsonb_build_object('ids', jsonb_path_query_array(latest.score, '$.factors[*] ? (@.factorId == $id).byLayer.*.terms[*].id', vars.v))))
             END AS score
        FROM (SELECT jsonb_build_object('id', ${factorId}::text) AS v) AS vars
        LEFT JOIN LATERAL (${latestScoreEvent(assessmentId)}) AS latest ON true`.execute(this.db);
    const score = rows[0]?.score;
    if (!score) throw new NotFound('score', assessmentId);
    return score;
  }
}
