import type { Reaction } from '@maatlat/shared/features';
import { parseAssessmentStreamId, type AssessmentEvent } from '@maatlat/assessments/domain';
import type { Insights } from './insights.service';

/**
 * A reaction, run like a projection (checkpointed): when a score lands (closing or recalculated),
 * the changes on its trend line are computed with the bootstrap and kept, so the first trend read
 * of an organisation is row reads instead of thousands of rescorings. The work runs outside the
 * batch's transaction, in the background (see `precomputeChangesLater`). Idempotent: a kept
 * change is keyed by its score events and version, and a batch that runs again finds them kept.
 */
export const changesAhead: Reaction<{ insights: Insights }, AssessmentEvent> = {
  name: 'insights_changes_ahead',
  eventTypes: ['ScoreCalculated', 'ScoreRecalculated'],
  // Only which assessments were scored: a score event's data (about 100 kB with its explanation) stays in PostgreSQL.
  readsData: false,
  async apply(_trx, events, { insights }) {
    insights.precomputeChangesLater([...new Set(events.map((e) => parseAssessmentStreamId(e.streamId)))]);
  },
};
