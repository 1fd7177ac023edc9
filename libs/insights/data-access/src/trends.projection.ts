import type { Insertable, Selectable, Transaction } from 'kysely';
import type { DB, InsightsTrendPointsTable } from '@maatlat/shared/database';
import type { Projection } from '@maatlat/shared/event-store';
import { parseAssessmentStreamId, type AssessmentEvent } from '@maatlat/assessments/domain';
import { evolveTrendPoint, type StandingScore, type TrendPoint } from '@maatlat/insights/domain';

const TREND_EVENTS = ['AssessmentOpened', 'AssessmentClosed', 'ScoreCalculated', 'ScoreRecalculated'] as const;

export function trendPointOf(row: Selectable<InsightsTrendPointsTable>): TrendPoint {
  const scope: TrendPoint['scope'] =
    row.scope_kind === 'chain' ? { kind: 'chain', chainId: row.chain_id! } : row.scope_kind === 'unit' ? { kind: 'unit', organisationId: row.organisation_id, unitId: row.unit_id! } : { kind: 'organisation', organisationId: row.organisation_id };
  return {
    assessmentId: row.assessment_id,
    organisationId: row.organisation_id,
    scope,
    period: row.period,
    nativeModel: { key: row.model_key, version: row.native_model_version },
    closedAt: row.closed_at ? row.closed_at.toISOString() : null,
    score: (row.score as StandingScore | null) ?? null,
  };
}

function rowOf(point: TrendPoint): Insertable<InsightsTrendPointsTable> {
  return {
    assessment_id: point.assessmentId,
    organisation_id: point.organisationId,
    scope_kind: point.scope.kind,
    unit_id: point.scope.kind === 'unit' ? point.scope.unitId : null,
    chain_id: point.scope.kind === 'chain' ? point.scope.chainId : null,
    period: point.period,
    model_key: point.nativeModel.key,
    native_model_version: point.nativeModel.version,
    closed_at: point.closedAt,
    score: point.score ? JSON.stringify(point.score) : null,
  };
}

/**
 * The chain hashes of the score events of a batch, in one query: a point cites its score by hash
 * too. Looked up by event id (a unique index): the log's index leads with the transaction id, so a
 * lookup by position alone would scan the whole log once per batch.
 */
async function hashesOf(trx: Transaction<DB>, eventIds: string[]): Promise<Map<string, string>> {
  if (eventIds.length === 0) return new Map();
  const rows = await trx.selectFrom('events').select(['event_id', 'hash']).where('event_id', 'in', eventIds).execute();
  return new Map(rows.map((r) => [r.event_id, r.hash.toString('hex')]));
}

/**
 * Trend points: per assessment its scope, period and native model version, and the score that
 * stands for it (the closing score or the latest recalculation), citing the score event by stream,
 * version, event id and hash. The points themselves are computed by the pure `evolveTrendPoint`.
 */
export const trendsProjection: Projection<AssessmentEvent> = {
  name: 'insights_trends',
  tables: ['insights_trend_points'],
  eventTypes: TREND_EVENTS,
  async apply(trx, events) {
    const hashes = await hashesOf(
      trx,
      events.filter((e) => e.type === 'ScoreCalculated' || e.type === 'ScoreRecalculated').map((e) => e.eventId),
    );
    const ids = [...new Set(events.map((e) => parseAssessmentStreamId(e.streamId)))];
    const existing = await trx.selectFrom('insights_trend_points').selectAll().where('assessment_id', 'in', ids).execute();
    const points = new Map<string, TrendPoint | undefined>(existing.map((row) => [row.assessment_id, trendPointOf(row)]));
    const touched = new Set<string>();
    for (const event of events) {
      const assessmentId = parseAssessmentStreamId(event.streamId);
      const placed = { streamId: event.streamId, version: event.version, eventId: event.eventId, hash: hashes.get(event.eventId) ?? null, recordedAt: event.recordedAt, event: { type: event.type, data: event.data } as AssessmentEvent };
      points.set(assessmentId, evolveTrendPoint(points.get(assessmentId), placed));
      touched.add(assessmentId);
    }
    const rows = [...touched].flatMap((id) => {
      const point = points.get(id);
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
  },
  async reset(trx) {
    await trx.deleteFrom('insights_trend_points').execute();
  },
};
