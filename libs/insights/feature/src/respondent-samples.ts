import { groupBy } from '@maatlat/shared/domain';
import { answersOf, mapAnswers, resamplerWith } from '@maatlat/assessments/domain';
import { crosswalkChain, mapAcross, type ComparableScore, type CrosswalkLink, type RespondentSample, type ScoreFigures, type TrendPoint } from '@maatlat/insights/domain';
import type { InsightsContext } from './insights.context';

export function figuresOf(score: Pick<ComparableScore, 'overall' | 'factors'>): ScoreFigures {
  return { overall: score.overall.score, factors: Object.fromEntries(score.factors.map((f) => [f.factorId, f.score])) };
}

/**
 * One trend point as the bootstrap resamples it: the answers its standing score counted, scored
 * again for any multiset of its respondents the way the standing score was reached (its algorithm,
 * model version and crosswalk mapping), and carried through the crosswalks when the point is mapped.
 */
export async function respondentSample(context: InsightsContext, point: TrendPoint, comparable: ComparableScore, links: readonly CrosswalkLink[]): Promise<RespondentSample> {
  const standing = point.score!;
  const { events } = await context.assessments.readWithHashes(point.assessmentId);
  const scoreEvent = events.find((e) => e.streamId === undefined && e.version === standing.event.version)?.event;
  const cut = scoreEvent && (scoreEvent.type === 'ScoreCalculated' || scoreEvent.type === 'ScoreRecalculated') ? scoreEvent.data : undefined;
  const mapping = scoreEvent?.type === 'ScoreRecalculated' ? scoreEvent.data.mapping : null;
  const answers = mapAnswers(answersOf(events, cut), mapping);
  const byRespondent = groupBy(answers, (answer) => answer.respondentId);
  const scored = await context.catalogue.get(standing.model.key, standing.model.version);
  const resample = resamplerWith(standing.algorithm, scored.document, byRespondent);
  const chain = comparable.comparability === 'mapped' ? (crosswalkChain(standing.model.key, standing.model.version, comparable.modelVersion, links) ?? []) : [];
  return {
    assessmentId: point.assessmentId,
    respondents: [...byRespondent.keys()].sort(),
    figures: figuresOf(comparable),
    score(respondents) {
      const result = resample(respondents);
      if (chain.length === 0) return { overall: result.overall, factors: Object.fromEntries(result.factors.map((f) => [f.factorId, f.score])) };
      const mapped = mapAcross(result.factors, chain);
      return { overall: mapped.overall, factors: Object.fromEntries(mapped.factors.map((f) => [f.factorId, f.value])) };
    },
  };
}
