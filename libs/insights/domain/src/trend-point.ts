import type { AssessmentEvent, AssessmentScope, CrosswalkMapping, RecalculationCause } from '@maatlat/assessments/domain';

/** A score event as a trend point cites it: enough to open the same explanation as the score. */
export interface CitedScoreEvent {
  streamId: string;
  version: number;
  eventId: string;
  /** The event's link in its stream's hash chain (hex); null when the reader had no hash at hand. */
  hash: string | null;
  type: 'ScoreCalculated' | 'ScoreRecalculated';
  recordedAt: string;
}

export interface FactorValue {
  factorId: string;
  score: number | null;
  stage: number | null;
}

/** The score that stands for an assessment: the closing score, or the latest recalculation of it. */
export interface StandingScore {
  basis: 'closing' | 'recalculated';
  event: CitedScoreEvent;
  algorithm: string;
  model: { key: string; version: string; contentHash: string };
  overall: { score: number | null; stage: number | null };
  factors: FactorValue[];
  recalculationId: string | null;
  cause: RecalculationCause | null;
  /** The crosswalk the answers went through for a recalculation onto another model version. */
  mapping: Pick<CrosswalkMapping, 'from' | 'to' | 'crosswalkHash'> | null;
}

/** One assessment on a trend line: where it belongs (scope, period) and the score that stands for it. */
export interface TrendPoint {
  assessmentId: string;
  organisationId: string;
  scope: AssessmentScope;
  period: string;
  /** The model version the assessment was opened (and answered) on. */
  nativeModel: { key: string; version: string };
  closedAt: string | null;
  score: StandingScore | null;
}

/** An assessment event with its place in the log, as the projection hands it over. */
export interface PlacedAssessmentEvent {
  streamId: string;
  version: number;
  eventId: string;
  hash: string | null;
  recordedAt: Date;
  event: AssessmentEvent;
}

/**
 * The trend point after one more event of its assessment. Pure, so a rebuild reaches the same
 * point as the live projection. Only the latest score event stands: a recalculation supersedes the
 * closing score (both stay in the stream, and the point cites the one it shows).
 */
export function evolveTrendPoint(point: TrendPoint | undefined, placed: PlacedAssessmentEvent): TrendPoint | undefined {
  const { event } = placed;
  if (event.type === 'AssessmentOpened') {
    const { assessmentId, organisationId, scope, period, model } = event.data;
    return { assessmentId, organisationId, scope, period, nativeModel: { key: model.key, version: model.version }, closedAt: null, score: null };
  }
  if (!point) return point;
  if (event.type === 'AssessmentClosed') return { ...point, closedAt: placed.recordedAt.toISOString() };
  if (event.type === 'ScoreCalculated' || event.type === 'ScoreRecalculated') {
    const { score } = event.data;
    const recalculated = event.type === 'ScoreRecalculated' ? event.data : null;
    return {
      ...point,
      score: {
        basis: recalculated ? 'recalculated' : 'closing',
        event: { streamId: placed.streamId, version: placed.version, eventId: placed.eventId, hash: placed.hash, type: event.type, recordedAt: placed.recordedAt.toISOString() },
        algorithm: score.algorithm,
        model: score.model,
        overall: { score: score.overall.score, stage: score.overall.stage },
        factors: score.factors.map((f) => ({ factorId: f.factorId, score: f.score, stage: f.stage })),
        recalculationId: recalculated?.recalculationId ?? null,
        cause: recalculated?.cause ?? null,
        mapping: recalculated?.mapping ? { from: recalculated.mapping.from, to: recalculated.mapping.to, crosswalkHash: recalculated.mapping.crosswalkHash } : null,
      },
    };
  }
  return point;
}

/** Which trend line a point is on: one per organisation, unit or chain. */
export function seriesKeyOf(scope: AssessmentScope): string {
  return scope.kind === 'chain' ? `chain:${scope.chainId}` : scope.kind === 'unit' ? `unit:${scope.organisationId}:${scope.unitId}` : `organisation:${scope.organisationId}`;
}
