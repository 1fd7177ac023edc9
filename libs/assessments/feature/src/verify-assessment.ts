import { verifyEventStore } from '@maatlat/shared/event-store';
import { foldAssessment } from '@maatlat/assessments/data-access';
import { answersOf, assessmentStreamId, mapAnswers, scoreDifferences, scoreWith, type ScoreDifference } from '@maatlat/assessments/domain';
import type { AssessmentsContext } from './assessments.context';

/**
 * Replays every recorded score of the assessment with its own algorithm and the model version it
 * was scored against (a recalculation with the mapping it recorded), and checks the hash chain.
 */
export async function verifyAssessment(context: AssessmentsContext, assessmentId: string) {
  const { stored, events } = await context.assessments.readWithHashes(assessmentId);
  const state = foldAssessment(assessmentId, stored);
  const pinned = await context.catalogue.get(state.model.key, state.model.version);
  const differences: (ScoreDifference & { scoreEvent: number })[] = [];
  let scoresChecked = 0;
  for (const { version, event } of events) {
    if (event.type !== 'ScoreCalculated' && event.type !== 'ScoreRecalculated') continue;
    scoresChecked += 1;
    const { score, answersUpToVersion } = event.data;
    const scoredWith = score.model.version === pinned.version ? pinned : await context.catalogue.get(score.model.key, score.model.version);
    const answers = answersOf(events, answersUpToVersion);
    const replayed = scoreWith(score.algorithm, scoredWith.document, score.model.contentHash, event.type === 'ScoreRecalculated' ? mapAnswers(answers, event.data.mapping) : answers);
    for (const difference of scoreDifferences(score, replayed)) differences.push({ scoreEvent: version, ...difference });
  }
  const hashChain = await verifyEventStore(context.db, { streamId: assessmentStreamId(assessmentId) });
  const ok = differences.length === 0 && hashChain.ok;
  return { assessmentId, status: ok ? ('verified' as const) : ('differences' as const), scoresChecked, differences, hashChain };
}
