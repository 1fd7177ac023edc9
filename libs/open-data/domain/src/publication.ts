import { assertNever, Conflict, parseStreamId, RuleBroken, type Decider } from '@maatlat/shared/domain';
import type { PublicationCommand } from './publication.commands';

/** An assessment's results marked publishable (Woo) by its organisation's coordinator. */
export type ResultsPublished = { type: 'AssessmentResultsPublished'; data: { assessmentId: string; organisationId: string } };
/** Withdrawn: the next dataset version leaves them out (earlier versions stay as they were). */
export type ResultsWithdrawn = { type: 'AssessmentResultsWithdrawn'; data: { assessmentId: string; organisationId: string } };
export type PublicationEvent = ResultsPublished | ResultsWithdrawn;

export type PublicationState = { status: 'none' | 'published' | 'withdrawn'; organisationId?: string };

/** One stream per assessment: `publication-<assessmentId>`. */
export function publicationStreamId(assessmentId: string): string {
  return `publication-${assessmentId}`;
}

export function parsePublicationStreamId(streamId: string): string {
  return parseStreamId('publication', streamId);
}

export const publicationDecider: Decider<PublicationCommand, PublicationState, PublicationEvent> = {
  initialState: () => ({ status: 'none' }),
  evolve(state, event) {
    switch (event.type) {
      case 'AssessmentResultsPublished':
        return { status: 'published', organisationId: event.data.organisationId };
      case 'AssessmentResultsWithdrawn':
        return { status: 'withdrawn', organisationId: event.data.organisationId };
      default:
        return assertNever(event, 'publication event');
    }
  },
  decide(command, state) {
    switch (command.type) {
      case 'PublishResults':
        if (!command.data.scored) throw new RuleBroken('publication.not-scored', `assessment ${command.data.assessmentId} has no score yet: only closed, scored assessments are published`);
        if (state.status === 'published') throw new Conflict('publication.already-published', `the results of assessment ${command.data.assessmentId} are published already`);
        return [{ type: 'AssessmentResultsPublished', data: { assessmentId: command.data.assessmentId, organisationId: command.data.organisationId } }];
      case 'WithdrawResults':
        if (state.status !== 'published') throw new Conflict('publication.not-published', `the results of assessment ${command.data.assessmentId} are not published`);
        return [{ type: 'AssessmentResultsWithdrawn', data: command.data }];
      default:
        return assertNever(command, 'publication command');
    }
  },
};
