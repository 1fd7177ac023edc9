import { assertNever, Conflict, NotFound, RuleBroken, type Decider } from '@maatlat/shared/domain';
import type { RespondentCommand } from './respondent.commands';
import type { RespondentEvent, RespondentInvited } from './respondent.events';

/** An invitation as the respondent's stream recorded it. */
export type RecordedInvitation = Omit<RespondentInvited['data'], 'invitationId'> & { revoked: boolean };

export type RespondentState =
  | { status: 'none' }
  | { status: 'active' | 'erased'; respondentId: string; organisationId: string; invitations: Record<string, RecordedInvitation> };

export const respondentDecider: Decider<RespondentCommand, RespondentState, RespondentEvent> = {
  initialState: () => ({ status: 'none' }),
  evolve(state, event) {
    switch (event.type) {
      case 'RespondentRegistered':
        return { status: 'active', respondentId: event.data.respondentId, organisationId: event.data.organisationId, invitations: {} };
      case 'RespondentPersonalDataChanged':
        return state;
      case 'RespondentInvited': {
        if (state.status === 'none') return state;
        const { invitationId, ...invitation } = event.data;
        return { ...state, invitations: { ...state.invitations, [invitationId]: { ...invitation, revoked: false } } };
      }
      case 'InvitationRevoked': {
        const invitation = state.status === 'none' ? undefined : state.invitations[event.data.invitationId];
        if (state.status === 'none' || !invitation) return state;
        return { ...state, invitations: { ...state.invitations, [event.data.invitationId]: { ...invitation, revoked: true } } };
      }
      case 'RespondentErased':
        return state.status === 'none' ? state : { ...state, status: 'erased' };
      default:
        return assertNever(event, 'respondent event');
    }
  },
  decide(command, state) {
    switch (command.type) {
      case 'RegisterRespondent':
        if (state.status !== 'none') throw new Conflict('respondent.exists', `respondent ${command.data.respondentId} already exists`);
        return [{ type: 'RespondentRegistered', data: command.data }];
      case 'ChangeRespondentPersonalData':
        if (state.status === 'none') throw new NotFound('respondent', 'respondent');
        if (state.status === 'erased') throw new RuleBroken('respondent.erased', `respondent ${state.respondentId} was erased`);
        return [{ type: 'RespondentPersonalDataChanged', data: command.data }];
      case 'InviteRespondent':
        if (state.status === 'none') throw new NotFound('respondent', 'respondent');
        if (state.status === 'erased') throw new RuleBroken('respondent.erased', `respondent ${state.respondentId} was erased and cannot be invited`);
        if (state.invitations[command.data.invitationId]) throw new Conflict('invitation.exists', `invitation ${command.data.invitationId} already exists`);
        return [{ type: 'RespondentInvited', data: command.data }];
      case 'RevokeInvitation': {
        if (state.status === 'none') throw new NotFound('respondent', 'respondent');
        const invitation = state.invitations[command.data.invitationId];
        if (!invitation) throw new NotFound('invitation', command.data.invitationId);
        // Revoking twice changes nothing: the token is refused either way.
        if (invitation.revoked) return [];
        return [{ type: 'InvitationRevoked', data: { invitationId: command.data.invitationId } }];
      }
      case 'EraseRespondent':
        if (state.status === 'none') throw new NotFound('respondent', 'respondent');
        if (state.status === 'erased') return [];
        return [{ type: 'RespondentErased', data: { respondentId: state.respondentId, legalBasis: 'AVG art. 17' } }];
      default:
        return assertNever(command, 'respondent command');
    }
  },
};

/** What an invitation token claims: who, for which organisation, assessment and layer, by which invitation. */
export interface InvitationClaim {
  invitationId: string;
  respondentId: string;
  organisationId: string;
  assessmentId: string;
  layer: string;
}

/**
 * Why an invitation token, validly signed and unexpired, is refused all the same; undefined when
 * it is honoured. Only what the respondent's stream recorded counts: the respondent, not erased,
 * the invitation itself, for that organisation, assessment and layer, and not revoked.
 */
export function invitationRefusal(state: RespondentState, claim: InvitationClaim): string | undefined {
  if (state.status === 'none' || state.respondentId !== claim.respondentId || state.organisationId !== claim.organisationId) return 'the invitation is not known';
  if (state.status === 'erased') return 'the respondent has been erased';
  const invitation = state.invitations[claim.invitationId];
  if (!invitation || invitation.assessmentId !== claim.assessmentId || invitation.layer !== claim.layer) return 'the invitation is not known';
  if (invitation.revoked) return 'the invitation has been revoked';
  return undefined;
}
