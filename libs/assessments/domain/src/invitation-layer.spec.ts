import { Forbidden } from '@maatlat/shared/domain';
import { assessmentDecider } from './assessment.decider';
import type { AssessmentEvent } from './assessment.events';
import { assertInvitationLayer } from './invitation-layer';

const state = (...events: AssessmentEvent[]) => events.reduce(assessmentDecider.evolve, assessmentDecider.initialState());
const opened: AssessmentEvent = {
  type: 'AssessmentOpened',
  data: { assessmentId: 'as-1', organisationId: 'org-1', scope: { kind: 'organisation', organisationId: 'org-1' }, period: '2026', model: { key: 'm', version: '2026.1', contentHash: 'h' }, layers: ['tactical', 'operational'], questionIds: ['F01-Q1'] },
};
const invitedTactical: AssessmentEvent = { type: 'RespondentInvitedToAssessment', data: { respondentId: 'r-1', layer: 'tactical' } };

describe('an invitation token acts only on the layer its respondent is invited on', () => {
  it('refuses a token for another layer, naming both', () => {
    expect(() => assertInvitationLayer(state(opened, invitedTactical), 'r-1', 'operational')).toThrow(
      new Forbidden('this invitation is for the operational layer; the respondent is invited to this assessment on the tactical layer'),
    );
  });

  it('lets the matching layer through, and callers without an invitation (their roles decide)', () => {
    expect(() => assertInvitationLayer(state(opened, invitedTactical), 'r-1', 'tactical')).not.toThrow();
    expect(() => assertInvitationLayer(state(opened, invitedTactical), 'r-1', undefined)).not.toThrow();
  });

  it('leaves a respondent who is not invited at all to the decider (422), and a missing assessment to its read (404)', () => {
    expect(() => assertInvitationLayer(state(opened), 'r-2', 'tactical')).not.toThrow();
    expect(() => assertInvitationLayer(state(), 'r-1', 'tactical')).not.toThrow();
  });
});
