import type { Transaction } from 'kysely';
import type { DB } from '@maatlat/shared/database';
import { domainEvent, type Projection, type RecordedEvent } from '@maatlat/shared/event-store';
import { parseAssessmentStreamId, type AssessmentEvent } from '@maatlat/assessments/domain';
import { evolveTrendPoint, type TrendPoint } from '@maatlat/insights/domain';
import { rowOf, trendPointOf } from './trend-point-rows';
import {
  applyPeerSources,
  markPeerCell,
  noPeerChanges,
  PEER_MODEL_EVENTS,
  PEER_PROFILE_EVENTS,
  recomputePeerScores,
  type PeerChanges,
  type PeerModelEvent,
  type PeerProfileEvent,
} from './peer-scores';

export { trendPointOf };

const TREND_EVENTS = ['AssessmentOpened', 'AssessmentClosed', 'ScoreCalculated', 'ScoreRecalculated'] as const;
type TrendEvent = Extract<AssessmentEvent, { type: (typeof TREND_EVENTS)[number] }>;
export type InsightsEvent = TrendEvent | PeerProfileEvent | PeerModelEvent;

const counts = (point: TrendPoint | undefined) => Boolean(point && point.scope.kind !== 'chain' && point.score && point.closedAt);

async function applyTrendEvents(trx: Transaction<DB>, events: readonly RecordedEvent<TrendEvent>[], changes: PeerChanges): Promise<void> {
  if (events.length === 0) return;
  const ids = [...new Set(events.map((e) => parseAssessmentStreamId(e.streamId)))];
  const existing = await trx.selectFrom('insights_trend_points').selectAll().where('assessment_id', 'in', ids).execute();
  const points = new Map<string, TrendPoint | undefined>(existing.map((row) => [row.assessment_id, trendPointOf(row)]));
  const before = new Map(points);
  const touched = new Set<string>();
  for (const event of events) {
    const assessmentId = parseAssessmentStreamId(event.streamId);
    const placed = { streamId: event.streamId, version: event.version, eventId: event.eventId, hash: event.hash ?? null, recordedAt: event.recordedAt, event: domainEvent(event) };
    points.set(assessmentId, evolveTrendPoint(points.get(assessmentId), placed));
    touched.add(assessmentId);
  }
  const rows = [...touched].flatMap((id) => {
    const point = points.get(id);
    // A benchmark counts a scope's latest closed, scored point: its organisation's score there is computed again.
    for (const counted of [before.get(id), point]) if (counted && counts(counted)) markPeerCell(changes, counted.organisationId, counted.nativeModel.key, counted.period);
    return point ? [rowOf(point)] : [];
  });
  if (rows.length === 0) return;
  await trx
    .insertInto('insights_trend_points')
    .values(rows)
    .onConflict((oc) =>
      oc.column('assessment_id').doUpdateSet((eb) => ({
        closed_at: eb.ref('excluded.closed_at'),
        score: eb.ref('excluded.score'),
      })),
    )
    .execute();
}

const isTrendEvent = (event: RecordedEvent<InsightsEvent>): event is RecordedEvent<TrendEvent> => (TREND_EVENTS as readonly string[]).includes(event.type);
const PEER_SOURCE_EVENTS: readonly string[] = [...PEER_PROFILE_EVENTS, ...PEER_MODEL_EVENTS];
const isPeerSource = (event: RecordedEvent<InsightsEvent>): event is RecordedEvent<PeerProfileEvent | PeerModelEvent> => PEER_SOURCE_EVENTS.includes(event.type);

/**
 * Trend points: per assessment its scope, period and native model version, and the score that
 * stands for it (the closing score or the latest recalculation), citing the score event by stream,
 * version, event id and hash. The points themselves are computed by the pure `evolveTrendPoint`.
 * With them, the peer scores benchmarks read (`insights_peer_scores`): per model key, period and
 * level each organisation's comparable score on the newest published version, computed again in
 * the same transaction whenever a point, the organisation's profile or the model's published
 * versions change; for that, the profiles and model versions the log records.
 */
export const trendsProjection: Projection<InsightsEvent> = {
  name: 'insights_trends',
  tables: ['insights_trend_points', 'insights_peer_profiles', 'insights_peer_models', 'insights_peer_scores', 'insights_peer_digests'],
  eventTypes: [...TREND_EVENTS, ...PEER_PROFILE_EVENTS, ...PEER_MODEL_EVENTS],
  // A point cites its score event by hash too: read with the events, in the runner's one query.
  readsHashes: true,
  // A point takes a score event's factor and overall scores: its per-question explanation, about
  // 87 kB of a 100 kB event, stays in PostgreSQL. One path only: each path left out walks the
  // document again there, and the smaller parts (responses, a mapping's questions) cost more to
  // cut than to send.
  skipsData: [['score', 'questions']],
  async apply(trx, events) {
    const changes = noPeerChanges();
    // Each kind in one go, in log order: points and peer sources are kept in tables of their own,
    // and the peer scores, which stand on both, are computed once at the end of the batch. Taken in
    // runs of one kind, a log where organisations and their assessments alternate cost two queries
    // per run.
    const trendEvents: RecordedEvent<TrendEvent>[] = [];
    const peerSources: RecordedEvent<PeerProfileEvent | PeerModelEvent>[] = [];
    for (const event of events) {
      if (isTrendEvent(event)) trendEvents.push(event);
      else if (isPeerSource(event)) peerSources.push(event);
    }
    await applyPeerSources(trx, peerSources, changes);
    await applyTrendEvents(trx, trendEvents, changes);
    await recomputePeerScores(trx, changes);
  },
  async reset(trx) {
    for (const table of ['insights_trend_points', 'insights_peer_profiles', 'insights_peer_models', 'insights_peer_scores', 'insights_peer_digests'] as const) await trx.deleteFrom(table).execute();
  },
};
