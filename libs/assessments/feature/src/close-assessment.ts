import { NotFound, type CommandMetadata } from '@maatlat/shared/domain';
import { deterministicUuid, uuidv7, WrongExpectedVersion } from '@maatlat/shared/event-store';
import { foldAssessment } from '@maatlat/assessments/data-access';
import { answersOf, assessmentDecider, assessmentStreamId, CURRENT_SCORING_ALGORITHM, scoreWith, type AssessmentCommand, type AssessmentState, type ScoreResult } from '@maatlat/assessments/domain';
import { summaryOf, type AssessmentsContext, type AssessmentSummary } from './assessments.context';

/**
 * Closes the assessment and scores it in the same append, citing exactly the answers it scored:
 * the assessment stream's version and each response stream's version and hash it read. It holds
 * the assessment's guard exclusively meanwhile (see the event store's `exclusively`): answers being
 * appended are waited for and counted, later ones are refused (422), none falls between. An
 * invitation landing meanwhile makes it start over; unless the coordinator closed what they saw
 * (`expectedVersion`, If-Match on the assessment stream): then it is a 409.
 */
export async function closeAssessment(context: AssessmentsContext, assessmentId: string, metadata: CommandMetadata, expectedVersion?: number): Promise<AssessmentSummary & { score: ScoreResult }> {
  const streamId = assessmentStreamId(assessmentId);
  const opened = await context.assessments.opened(assessmentId);
  if (!opened) throw new NotFound('assessment', assessmentId);
  if (metadata.commandId && (await context.store.findCommandResult(streamId, metadata.commandId))) {
    // A replayed close: its first outcome, as recorded.
    const { stored, version } = await context.assessments.readWithHashes(assessmentId);
    return { ...summaryOf(foldAssessment(assessmentId, stored), version), score: (await context.assessments.scoreEvent(assessmentId)).score };
  }
  // Read before the guard is held: nothing but the transaction's own connection is used while it is.
  const model = await context.catalogue.get(opened.model.key, opened.model.version);
  for (let attempt = 1; ; attempt++) {
    try {
      return await context.store.exclusively(streamId, async (tx) => {
        const { stored, events, version, responses } = await context.assessments.through(tx).readWithHashes(assessmentId);
        const state = foldAssessment(assessmentId, stored);
        if (expectedVersion !== undefined && expectedVersion !== version) throw new WrongExpectedVersion(streamId, expectedVersion, version);
        const score = scoreWith(CURRENT_SCORING_ALGORITHM, model.document, state.model.contentHash, answersOf(events));
        const command: AssessmentCommand = {
          type: 'CloseAssessment',
          data: { score, answersUpToVersion: version, responses },
          metadata: { ...metadata, tenantId: state.organisationId },
        };
        const decided = assessmentDecider.decide(command, state);
        const now = metadata.now.getTime();
        const toAppend = decided.map((event, index) => ({
          eventId: metadata.commandId ? deterministicUuid(now, streamId, metadata.commandId, String(index)) : uuidv7(now),
          type: event.type,
          data: event.data,
        }));
        const result = await tx.append(streamId, version, toAppend, command.metadata);
        const after = decided.reduce<AssessmentState>(assessmentDecider.evolve, state) as typeof state;
        return { ...summaryOf(after, result.nextExpectedVersion), score };
      });
    } catch (error) {
      if (!(error instanceof WrongExpectedVersion) || expectedVersion !== undefined || attempt >= 3) throw error;
    }
  }
}
