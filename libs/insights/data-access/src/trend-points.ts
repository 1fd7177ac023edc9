import type { Kysely } from 'kysely';
import type { DB } from '@maatlat/shared/database';
import type { TrendPoint } from '@maatlat/insights/domain';
import { trendPointOf } from './trend-point-rows';

/** Reads of the trend points: only closed, scored assessments are points on a line. */
export class TrendPoints {
  constructor(private readonly db: Kysely<DB>) {}

  private scored() {
    return this.db.selectFrom('insights_trend_points').selectAll('insights_trend_points').where('score', 'is not', null).where('closed_at', 'is not', null);
  }

  /** An organisation's own points (organisation and unit scope), oldest period first. */
  async ofOrganisation(organisationId: string, filter: { unitId?: string } = {}): Promise<TrendPoint[]> {
    const rows = await this.scored()
      .where('organisation_id', '=', organisationId)
      .where('scope_kind', '!=', 'chain')
      .$if(filter.unitId !== undefined, (q) => q.where('scope_kind', '=', 'unit').where('unit_id', '=', filter.unitId!))
      .orderBy('period')
      .orderBy('closed_at')
      .execute();
    return rows.map(trendPointOf);
  }

  /** The points of these assessments, scored or not. */
  async byAssessment(assessmentIds: readonly string[]): Promise<TrendPoint[]> {
    if (assessmentIds.length === 0) return [];
    const rows = await this.db.selectFrom('insights_trend_points').selectAll().where('assessment_id', 'in', assessmentIds).execute();
    return rows.map(trendPointOf);
  }

  /** A chain's points, oldest period first. */
  async ofChain(chainId: string): Promise<TrendPoint[]> {
    const rows = await this.scored().where('scope_kind', '=', 'chain').where('chain_id', '=', chainId).orderBy('period').orderBy('closed_at').execute();
    return rows.map(trendPointOf);
  }
}
