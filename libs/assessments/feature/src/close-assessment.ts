import type { CommandMetadata } from '@maatlat/shared/domain';
import { WrongExpectedVersion } from '@maatlat/shared/event-store';
import { foldAssessment } from '@maatlat/assessments/data-access';
import { answersOf, assessmentStreamId, CURRENT_SCORING_ALGORITHM, scoreWith, type ScoreResult } from '@maatlat/assessments/domain';
import { runAssessmentCommand, summaryOf, type AssessmentsContext, type AssessmentSummary } from './assessments.context';

/**
 * Closes the assessment and scores it in the same append, citing exactly the answers up to the
 * version it scored. An answer that lands meanwhile makes it start over, so none is missed; unless
 * the coordinator closed what they saw (`expectedVersion`, If-Match): then it is a 409.
 */
export async function closeAssessment(context: AssessmentsContext, assessmentId: string, metadata: CommandMetadata, expectedVersion?: number): Promise<AssessmentSummary & { score: ScoreResult }> {
  for (let attempt = 1; ; attempt++) {
    const { stored, events } = await context.assessments.readWithHashes(assessmentId);
    const state = foldAssessment(assessmentId, stored);
    const version = events.length;
    if (expectedVersion !== undefined && expectedVersion !== version) throw new WrongExpectedVersion(assessmentStreamId(assessmentId), expectedVersion, version);
    const model = await context.catalogue.get(state.model.key, state.model.version);
    const score = scoreWith(CURRENT_SCORING_ALGORITHM, model.document, state.model.contentHash, answersOf(events));
    try {
      const result = await runAssessmentCommand(context, assessmentId, state.organisationId, { type: 'CloseAssessment', data: { score, answersUpToVersion: version }, metadata }, { expectedVersion: version, history: stored });
      return { ...summaryOf(result.state, result.version), score };
    } catch (error) {
      if (!(error instanceof WrongExpectedVersion) || attempt >= 3) throw error;
    }
  }
}
