import { sql, type Kysely, type RawBuilder, type Selectable } from 'kysely';
import type { DB, EventsTable } from '@maatlat/shared/database';
import { NotFound } from '@maatlat/shared/domain';
import { domainEvent, foldEvents, type PostgresEventStore, type RecordedEvent } from '@maatlat/shared/event-store';
import {
  assessmentDecider,
  assessmentStreamId,
  describeScoreEventSelector,
  responseStreamId,
  type AnswerRecorded,
  type AnswerRevised,
  type AnswerValue,
  type AssessmentEvent,
  type AssessmentScope,
  type AssessmentState,
  type RecalculationCause,
  type RecordedAssessmentEvent,
  type ResponseCut,
  type ScoreEventReference,
  type ScoreEventSelector,
  type ScoreEventType,
  type ScoreResult,
} from '@maatlat/assessments/domain';

export type ExistingAssessment = Extract<AssessmentState, { status: 'open' | 'closed' }>;

/** An event of the audit timeline: its data, and its place and links in the stream's hash chain. */
export type ChainedAssessmentEvent = RecordedEvent<AssessmentEvent> & { hash: string; previousHash: string; contentHash: string };

/**
 * The score event a reader means, with its score: the one selected (by version or event id), or
 * the latest when none is, found from the stream's end.
 */
const scoreEventRow = (assessmentId: string, selector?: ScoreEventSelector) => sql<ScoreEventRow & { score: ScoreResult }>`
  SELECT version, event_id::text AS event_id, encode(hash, 'hex') AS hash, type, recorded_at, data -> 'score' AS score FROM events
   WHERE stream_id = ${assessmentStreamId(assessmentId)} AND type IN ('ScoreCalculated', 'ScoreRecalculated')
     ${selector === undefined ? sql`` : 'version' in selector ? sql`AND version = ${selector.version}` : sql`AND event_id = ${selector.eventId}::uuid`}
   ORDER BY version DESC LIMIT 1`;

/** A score event's row as selected above: its hash hex-encoded, its type narrowed to the score events. */
type ScoreEventRow = Pick<Selectable<EventsTable>, 'version' | 'event_id' | 'recorded_at'> & { hash: string; type: ScoreEventType };

const referenceOf = (row: ScoreEventRow): ScoreEventReference => ({ version: row.version, eventId: row.event_id, hash: row.hash, type: row.type, recordedAt: row.recorded_at.toISOString() });

/** One recorded score with the event that records it. */
export interface RecordedScore {
  scoreEvent: ScoreEventReference;
  score: ScoreResult;
}

/** A score event as the score-event list shows it: what was scored, with what, why, and the outcome. */
export interface ScoreEventSummary extends ScoreEventReference {
  algorithm: string;
  model: ScoreResult['model'];
  /** The assessment stream's version the score read. */
  answersUpToVersion: number;
  /** Each response stream the score read, at its version and hash; null on scores from before response streams. */
  responses: ResponseCut[] | null;
  recalculationId: string | null;
  /** Closing scores the assessment; a recalculation says what made it happen. */
  cause: { kind: 'assessment-closed' } | RecalculationCause;
  overall: { score: number | null; stage: number | null };
}

/** An assessment of an organisation as its list shows it (from the assessments read model). */
export interface OrganisationAssessment {
  assessmentId: string;
  organisationId: string;
  status: 'open' | 'closed';
  scopeKind: AssessmentScope['kind'];
  period: string;
  model: { key: string; version: string };
  openedAt: string;
  closedAt: string | null;
  /** The latest score (calculated or recalculated) of a closed assessment; null while open. */
  latestScore: { version: number; type: ScoreEventType; modelVersion: string; overall: number | null; stage: number | null } | null;
}

interface OrganisationAssessmentRow {
  assessment_id: string;
  organisation_id: string;
  status: 'open' | 'closed';
  scope_kind: AssessmentScope['kind'];
  period: string;
  model_key: string;
  model_version: string;
  opened_at: Date;
  closed_at: Date | null;
  score_version: number | null;
  score_type: ScoreEventType | null;
  score_model_version: string | null;
  overall_score: number | null;
  overall_stage: number | null;
}

const toOrganisationAssessment = (row: OrganisationAssessmentRow): OrganisationAssessment => ({
  assessmentId: row.assessment_id,
  organisationId: row.organisation_id,
  status: row.status,
  scopeKind: row.scope_kind,
  period: row.period,
  model: { key: row.model_key, version: row.model_version },
  openedAt: row.opened_at.toISOString(),
  closedAt: row.closed_at?.toISOString() ?? null,
  latestScore:
    row.score_version === null
      ? null
      : { version: row.score_version, type: row.score_type!, modelVersion: row.score_model_version!, overall: row.overall_score, stage: row.overall_stage },
});

/** Folds an assessment's stream; 404 when there is no such assessment (then). */
export function foldAssessment(assessmentId: string, events: readonly RecordedEvent<AssessmentEvent>[]): ExistingAssessment {
  const state = foldEvents(assessmentDecider, events);
  if (state.status === 'none') throw new NotFound('assessment', assessmentId);
  return state;
}

/**
 * An assessment as stored: its own stream (opening, invitations, closing, scores) and a response
 * stream per invited respondent (their answers and submission).
 */
export interface AssessmentStreams {
  /** Every event of the assessment's streams, merged in the order they were appended. */
  stored: RecordedEvent<AssessmentEvent>[];
  /** The same with their places and hashes, as scores cite them (`streamId` set for response streams). */
  events: RecordedAssessmentEvent[];
  /** The assessment's own stream alone, which its own commands decide on, and its version. */
  own: RecordedEvent<AssessmentEvent>[];
  version: number;
  /** Each response stream that holds events: where it ends (version and hash). */
  responses: ResponseCut[];
}

/** The response streams an assessment can have: one per respondent its stream invites. */
export function responseStreamsOf(assessmentId: string, own: readonly RecordedEvent<AssessmentEvent>[]): string[] {
  return own.flatMap((e) => (e.type === 'RespondentInvitedToAssessment' ? [responseStreamId(assessmentId, e.data.respondentId)] : []));
}

/** Two position-ordered lists as one. */
function mergeByPosition<T extends { position: number }>(a: readonly T[], b: readonly T[]): T[] {
  if (b.length === 0) return [...a];
  const merged: T[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) merged.push(j >= b.length || (i < a.length && a[i].position < b[j].position) ? a[i++] : b[j++]);
  return merged;
}

type Opening = Extract<AssessmentEvent, { type: 'AssessmentOpened' }>['data'];

/** Openings remembered per process (the least recently read go first beyond this many). */
const OPENINGS_REMEMBERED = 10_000;

/** Reads of assessment streams and their recorded scores, as the use cases need them. */
export class AssessmentRepository {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly store: PostgresEventStore,
    /** An assessment's opening never changes: its organisation and model are read once per process. */
    private readonly openings = new Map<string, Opening>(),
  ) {}

  /** The same reads through another store: the one of an `exclusively` transaction. */
  through(store: PostgresEventStore): AssessmentRepository {
    return new AssessmentRepository(this.db, store, this.openings);
  }

  /**
   * The assessment's streams with each event's place and hash in its chain: what scores cite as
   * their sources, so scoring and every replay of it read them the same way. Two round trips: the
   * assessment's stream names the respondents, whose response streams come in one more.
   */
  async readWithHashes(assessmentId: string, asOf?: Date): Promise<AssessmentStreams> {
    return this.readAll(assessmentId, asOf, true);
  }

  /** The streams without hashes, for reads that cite no events (summaries, "as of"). */
  async read(assessmentId: string, asOf?: Date): Promise<RecordedEvent<AssessmentEvent>[]> {
    return (await this.readAll(assessmentId, asOf, false)).stored;
  }

  private async readAll(assessmentId: string, asOf: Date | undefined, withHashes: boolean): Promise<AssessmentStreams> {
    const streamId = assessmentStreamId(assessmentId);
    const own = await this.store.readStream<AssessmentEvent>(streamId, { withHashes, asOf });
    const answered = await this.store.readStreams<AssessmentEvent>(responseStreamsOf(assessmentId, own), { withHashes, asOf });
    const stored = mergeByPosition(own, answered);
    const ends = new Map<string, ResponseCut>();
    for (const e of answered) ends.set(e.streamId, { streamId: e.streamId, version: e.version, hash: e.hash ?? '' });
    return {
      stored,
      events: stored.map((e) => ({
        ...(e.streamId === streamId ? {} : { streamId: e.streamId }),
        version: e.version,
        eventId: e.eventId,
        hash: e.hash ?? '',
        event: domainEvent(e),
      })),
      own,
      version: own.length ? own[own.length - 1].version : 0,
      responses: [...ends.values()].sort((a, b) => (a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : 0)),
    };
  }

  /**
   * The streams for the audit timeline, merged in the order they were appended: each event with
   * the links of its stream's hash chain as stored (its own hash, the previous link and its content
   * hash), so an auditor can recompute every link.
   */
  async readChained(assessmentId: string): Promise<ChainedAssessmentEvent[]> {
    const { stored } = await this.readWithHashes(assessmentId);
    const streamIds = [...new Set(stored.map((e) => e.streamId))];
    const links = streamIds.length
      ? await this.db
          .selectFrom('events')
          .select(['stream_id', 'version', sql<string>`encode(previous_hash, 'hex')`.as('previous_hash'), sql<string>`encode(content_hash, 'hex')`.as('content_hash')])
          .where('stream_id', 'in', streamIds)
          .execute()
      : [];
    const linksOf = new Map(links.map((l) => [`${l.stream_id}#${l.version}`, l]));
    return stored.map((event) => {
      const link = linksOf.get(`${event.streamId}#${event.version}`);
      return { ...event, hash: event.hash!, previousHash: link?.previous_hash ?? '', contentHash: link?.content_hash ?? '' };
    });
  }

  /** The assessment's organisation, for access checks before anything else is read: the first event says. */
  async organisationOf(assessmentId: string): Promise<string> {
    const opened = await this.opened(assessmentId);
    if (!opened) throw new NotFound('assessment', assessmentId);
    return opened.organisationId;
  }

  /** The first event's data, or undefined when there is no such assessment. */
  async opened(assessmentId: string): Promise<Opening | undefined> {
    const known = this.openings.get(assessmentId);
    if (known) return known;
    const [first] = await this.store.readStream<AssessmentEvent>(assessmentStreamId(assessmentId), { toVersion: 1 });
    if (first?.type !== 'AssessmentOpened') return undefined;
    if (this.openings.size >= OPENINGS_REMEMBERED) this.openings.delete(this.openings.keys().next().value!);
    this.openings.set(assessmentId, first.data);
    return first.data;
  }

  /**
   * A recorded score and the event recording it: the one `selector` names (404 naming it when the
   * stream has no such score event), or the latest. Read from the stream's end, the cost does not
   * grow with the answers. With `factorId`, cut down to that factor and its questions by
   * PostgreSQL: a score cites every answer event, so the whole can run to megabytes while one
   * factor's part is a few percent.
   */
  async scoreEvent(assessmentId: string, selector?: ScoreEventSelector, factorId?: string): Promise<RecordedScore> {
    const chosen = scoreEventRow(assessmentId, selector);
    const score: RawBuilder<ScoreResult> =
      factorId === undefined
        ? sql`chosen.score`
        : sql`jsonb_build_object(
               'algorithm', chosen.score -> 'algorithm',
               'model', chosen.score -> 'model',
               'factors', jsonb_path_query_array(chosen.score, '$.factors[*] ? (@.factorId == $id)', vars.v),
               'questions', jsonb_path_query_array(chosen.score, '$.questions[*] ? (@.questionId == $ids[*])',
                 jsonb_build_object('ids', jsonb_path_query_array(chosen.score, '$.factors[*] ? (@.factorId == $id).byLayer.*.terms[*].id', vars.v))))`;
    const { rows } = await sql<ScoreEventRow & { score: ScoreResult }>`
      SELECT chosen.version, chosen.event_id, chosen.hash, chosen.type, chosen.recorded_at, ${score} AS score
        FROM (SELECT jsonb_build_object('id', ${factorId ?? ''}::text) AS v) AS vars
        JOIN LATERAL (${chosen}) AS chosen ON true`.execute(this.db);
    const row = rows[0];
    if (!row) throw selector ? new NotFound('score-event', describeScoreEventSelector(selector)) : new NotFound('score', assessmentId);
    return { scoreEvent: referenceOf(row), score: row.score };
  }

  /** Every score event of the assessment, oldest first, without the scores' details. */
  async scoreEvents(assessmentId: string): Promise<ScoreEventSummary[]> {
    const { rows } = await sql<
      ScoreEventRow & { score: Pick<ScoreResult, 'algorithm' | 'model'> & { overall: { score: number | null; stage: number | null } }; answers_up_to_version: number; recalculation_id: string | null; cause: RecalculationCause | null; responses: ResponseCut[] | null }
    >`
      SELECT version, event_id::text AS event_id, encode(hash, 'hex') AS hash, type, recorded_at,
             jsonb_build_object('algorithm', score -> 'algorithm', 'model', score -> 'model', 'overall', jsonb_build_object('score', score -> 'overall' -> 'score', 'stage', score -> 'overall' -> 'stage')) AS score,
             answers_up_to_version, recalculation_id, cause, responses
        FROM (SELECT version, event_id, hash, type, recorded_at, data -> 'score' AS score, (data ->> 'answersUpToVersion')::int AS answers_up_to_version,
                     data ->> 'recalculationId' AS recalculation_id, data -> 'cause' AS cause, data -> 'responses' AS responses
                FROM events WHERE stream_id = ${assessmentStreamId(assessmentId)} AND type IN ('ScoreCalculated', 'ScoreRecalculated')) AS scored
       ORDER BY version`.execute(this.db);
    return rows.map((row) => ({
      ...referenceOf(row),
      algorithm: row.score.algorithm,
      model: row.score.model,
      answersUpToVersion: row.answers_up_to_version,
      responses: row.responses ?? null,
      recalculationId: row.recalculation_id,
      cause: row.cause ?? { kind: 'assessment-closed' },
      overall: row.score.overall,
    }));
  }

  /**
   * What these answer events record, by event id: the levels behind a score's rounded means, which
   * explanations print exactly. Only the cited events are read, and only from this assessment's
   * streams (its own, and its response streams).
   */
  async answersCited(assessmentId: string, eventIds: readonly string[]): Promise<Map<string, AnswerValue>> {
    if (eventIds.length === 0) return new Map();
    const { rows } = await sql<Pick<Selectable<EventsTable>, 'event_id' | 'schema_version' | 'data'> & { type: (AnswerRecorded | AnswerRevised)['type'] }>`
      SELECT event_id::text AS event_id, type, schema_version, data FROM events
       WHERE event_id = ANY(${[...eventIds]}::uuid[]) AND type IN ('AnswerRecorded', 'AnswerRevised')
         AND (stream_id = ${assessmentStreamId(assessmentId)} OR starts_with(stream_id, ${responseStreamId(assessmentId, '')}))`.execute(this.db);
    return new Map(
      rows.map((row) => {
        // Read as the stream reads them, so an event stored in an older schema says the same.
        const { data } = this.store.upcasters.upcast<AnswerRecorded | AnswerRevised>(row.type, row.schema_version, row.data);
        return [row.event_id, data.answer];
      }),
    );
  }

  /**
   * An organisation's assessments from the assessments read model, newest period first, each with
   * its scope kind (from its opening event) and, once closed, its latest score (from the end of
   * its stream, only the overall part).
   */
  async ofOrganisation(organisationId: string): Promise<OrganisationAssessment[]> {
    const streamOf = sql`${assessmentStreamId('')} || a.assessment_id`;
    const { rows } = await sql<OrganisationAssessmentRow>`
      SELECT a.assessment_id, a.organisation_id, a.status, opened.data -> 'scope' ->> 'kind' AS scope_kind, a.period, a.model_key, a.model_version,
             a.opened_at, a.closed_at, latest.version AS score_version, latest.type AS score_type, latest.score -> 'model' ->> 'version' AS score_model_version,
             latest.score -> 'overall' -> 'score' AS overall_score, latest.score -> 'overall' -> 'stage' AS overall_stage
        FROM assessments a
        JOIN events opened ON opened.stream_id = ${streamOf} AND opened.version = 1
        LEFT JOIN LATERAL (
          SELECT version, type, data -> 'score' AS score FROM events
           WHERE stream_id = ${streamOf} AND type IN ('ScoreCalculated', 'ScoreRecalculated')
           ORDER BY version DESC LIMIT 1) AS latest ON a.status = 'closed'
       WHERE a.organisation_id = ${organisationId}
       ORDER BY a.period DESC, a.opened_at DESC, a.assessment_id`.execute(this.db);
    return rows.map(toOrganisationAssessment);
  }
}
