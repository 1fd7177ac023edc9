import { verifyEventStore } from '@maatlat/shared/event-store';
import { NotFound } from '@maatlat/shared/domain';
import { foldAssessment, responseStreamsOf } from '@maatlat/assessments/data-access';
import {
  answersOf,
  assessmentStreamId,
  describeScoreEventSelector,
  mapAnswers,
  scoreDifferences,
  scoreWith,
  type ScoreDifference,
  type ScoreEventReference,
  type ScoreEventSelector,
} from '@maatlat/assessments/domain';
import type { AssessmentsContext } from './assessments.context';

/**
 * Replays every recorded score of the assessment (or only the one `scoreEvent` selects) with its
 * own algorithm and the model version it was scored against (a recalculation with the mapping it
 * recorded), on exactly the answers it cites (its cut of the response streams), and walks the hash
 * chains of the assessment's stream and of every response stream. A score whose cut names a
 * response stream version or hash the stream does not hold is a difference too.
 */
export async function verifyAssessment(context: AssessmentsContext, assessmentId: string, scoreEvent?: ScoreEventSelector) {
  const { stored, events, own } = await context.assessments.readWithHashes(assessmentId);
  const state = foldAssessment(assessmentId, stored);
  const scoreEvents = events
    .map((recorded, index) => ({ ...recorded, recordedAt: stored[index].recordedAt }))
    .filter(({ event }) => event.type === 'ScoreCalculated' || event.type === 'ScoreRecalculated')
    .filter(({ version, eventId }) => !scoreEvent || ('version' in scoreEvent ? version === scoreEvent.version : eventId === scoreEvent.eventId));
  if (scoreEvent && scoreEvents.length === 0) throw new NotFound('score-event', describeScoreEventSelector(scoreEvent));
  const pinned = await context.catalogue.get(state.model.key, state.model.version);
  const differences: (ScoreDifference & { scoreEvent: number })[] = [];
  let scoresChecked = 0;
  let selected: ScoreEventReference | undefined;
  const hashAt = new Map(events.flatMap((e) => (e.streamId === undefined ? [] : [[`${e.streamId}#${e.version}`, e.hash] as const])));
  for (const { version, eventId, hash, recordedAt, event } of scoreEvents) {
    if (event.type !== 'ScoreCalculated' && event.type !== 'ScoreRecalculated') continue;
    scoresChecked += 1;
    selected = { version, eventId, hash, type: event.type, recordedAt: recordedAt.toISOString() };
    const { score } = event.data;
    const scoredWith = score.model.version === pinned.version ? pinned : await context.catalogue.get(score.model.key, score.model.version);
    (event.data.responses ?? []).forEach((cut, index) => {
      const found = hashAt.get(`${cut.streamId}#${cut.version}`);
      if (found !== cut.hash) differences.push({ scoreEvent: version, path: `$.responses[${index}]`, recorded: cut, replayed: { ...cut, hash: found ?? null } });
    });
    const answers = answersOf(events, event.data);
    const replayed = scoreWith(score.algorithm, scoredWith.document, score.model.contentHash, event.type === 'ScoreRecalculated' ? mapAnswers(answers, event.data.mapping) : answers);
    for (const difference of scoreDifferences(score, replayed)) differences.push({ scoreEvent: version, ...difference });
  }
  const hashChain = await verifyEventStore(context.db, { streamIds: [assessmentStreamId(assessmentId), ...responseStreamsOf(assessmentId, own)] });
  const ok = differences.length === 0 && hashChain.ok;
  return {
    assessmentId,
    ...(scoreEvent ? { scoreEvent: selected } : {}),
    status: ok ? ('verified' as const) : ('differences' as const),
    scoresChecked,
    differences,
    hashChain,
  };
}
