import type { FrozenInput } from './benchmark-publication';
import { peerScoreOf, type PeerScore } from './benchmark';
import { comparableScore, type ComparableScore, type CrosswalkLink } from './comparability';
import { seriesKeyOf, type TrendPoint } from './trend-point';

/** One organisation's place in a benchmark: its peer score and the frozen input it stands on. */
export interface PeerEntry {
  score: PeerScore;
  input: FrozenInput;
}

/**
 * One organisation's peer score in a model key, period and scope level, on `targetVersion`: per
 * scope (the organisation, or each of its units) its latest closed, scored assessment brought onto
 * the target (native, recalculated or mapped), then folded into one score for the organisation, so
 * a benchmark counts organisations, never units. `points` are the organisation's points of that
 * key, period and level, oldest close first; null when none is comparable.
 */
export function peerEntryOf(
  organisation: Pick<PeerScore, 'organisationId' | 'organisationType' | 'sizeBand'>,
  points: readonly TrendPoint[],
  targetVersion: string,
  links: readonly CrosswalkLink[],
  factorIds: readonly string[],
): PeerEntry | null {
  const latest = new Map<string, TrendPoint>();
  // A later assessment of the same scope replaces an earlier one (the first one's place in the order stays).
  for (const point of points) if (point.score && point.closedAt) latest.set(seriesKeyOf(point.scope), point);
  const input: FrozenInput = { ...organisation, scoreEvents: [] };
  const scores: ComparableScore[] = [];
  for (const point of latest.values()) {
    const comparable = comparableScore(point, targetVersion, links);
    if (!comparable) continue;
    const { streamId, version, eventId, hash, type } = point.score!.event;
    input.scoreEvents.push({ streamId, version, eventId, hash, type });
    scores.push(comparable);
  }
  if (scores.length === 0) return null;
  return { input, score: peerScoreOf(organisation, scores, factorIds) };
}
