import { sql, type Kysely } from 'kysely';
import type { DB } from '@maatlat/shared/database';
import type { ChangeSincePrevious } from '@maatlat/insights/domain';

/** Which change: the two score events and the model version both are expressed on. */
export interface ChangeKey {
  previousScoreEventId: string;
  currentScoreEventId: string;
  modelVersion: string;
}

export const changeKeyOf = (key: ChangeKey) => `${key.previousScoreEventId}>${key.currentScoreEventId}@${key.modelVersion}`;

/**
 * Changes between trend points, kept once computed. A key is immutable input (two score events and
 * a version; the bootstrap is seeded from the assessment ids), so a stored change never goes stale
 * and a replay of the log needs none of them recomputed.
 */
export class TrendChanges {
  constructor(private readonly db: Kysely<DB>) {}

  /** The stored changes among these keys, in one indexed query. */
  async get(keys: readonly ChangeKey[]): Promise<Map<string, ChangeSincePrevious>> {
    if (keys.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('insights_changes')
      .select(['previous_score_event_id', 'current_score_event_id', 'model_version', 'change'])
      .where(sql<boolean>`(current_score_event_id, previous_score_event_id, model_version) IN (${sql.join(keys.map((k) => sql`(${k.currentScoreEventId}, ${k.previousScoreEventId}, ${k.modelVersion})`))})`)
      .execute();
    return new Map(
      rows.map((r) => [changeKeyOf({ previousScoreEventId: r.previous_score_event_id, currentScoreEventId: r.current_score_event_id, modelVersion: r.model_version }), r.change as ChangeSincePrevious]),
    );
  }

  /** Keeps computed changes; one computed twice (two readers at once) is the same, so the first stays. */
  async put(entries: readonly { key: ChangeKey; change: ChangeSincePrevious }[]): Promise<void> {
    if (entries.length === 0) return;
    await this.db
      .insertInto('insights_changes')
      .values(entries.map(({ key, change }) => ({ previous_score_event_id: key.previousScoreEventId, current_score_event_id: key.currentScoreEventId, model_version: key.modelVersion, change: JSON.stringify(change) })))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}
