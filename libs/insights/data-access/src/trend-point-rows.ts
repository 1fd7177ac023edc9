import type { Insertable, Selectable } from 'kysely';
import type { InsightsTrendPointsTable } from '@maatlat/shared/database';
import type { StandingScore, TrendPoint } from '@maatlat/insights/domain';

/** A trend point from its row. */
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

/** The row of a trend point. */
export function rowOf(point: TrendPoint): Insertable<InsightsTrendPointsTable> {
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
