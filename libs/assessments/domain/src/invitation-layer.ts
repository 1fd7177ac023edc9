import { Forbidden } from '@maatlat/shared/domain';
import type { AssessmentState } from './assessment.decider';

/**
 * An invitation token names one layer, and the respondent it acts for is invited to the assessment
 * on one layer: the layer their answers are scored on. Should the two differ, the token would put
 * answers into the score of a layer it was not issued for, so it is refused (403) naming both.
 * Whether the respondent is invited at all is the decider's rule.
 * @example assertInvitationLayer(state, 'r-0123456789abcdef', 'operational')
 */
export function assertInvitationLayer(state: AssessmentState, respondentId: string, invitationLayer: string | undefined): void {
  if (invitationLayer === undefined || state.status === 'none') return;
  const invitee = state.invitees[respondentId];
  if (invitee && invitee.layer !== invitationLayer) {
    throw new Forbidden(`this invitation is for the ${invitationLayer} layer; the respondent is invited to this assessment on the ${invitee.layer} layer`);
  }
}
