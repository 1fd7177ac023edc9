import { assertNever, Conflict, NotFound, RuleBroken, type Decider } from '@maatlat/shared/domain';
import type { RespondentCommand } from './respondent.commands';
import type { RespondentEvent } from './respondent.events';

export type RespondentState =
  | { status: 'none' }
  | { status: 'active' | 'erased'; respondentId: string; organisationId: string };

export const respondentDecider: Decider<RespondentCommand, RespondentState, RespondentEvent> = {
  initialState: () => ({ status: 'none' }),
  evolve(state, event) {
    switch (event.type) {
      case 'RespondentRegistered':
        return { status: 'active', respondentId: event.data.respondentId, organisationId: event.data.organisationId };
      case 'RespondentPersonalDataChanged':
      case 'RespondentInvited':
        return state;
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
        return [{ type: 'RespondentInvited', data: command.data }];
      case 'EraseRespondent':
        if (state.status === 'none') throw new NotFound('respondent', 'respondent');
        if (state.status === 'erased') return [];
        return [{ type: 'RespondentErased', data: { respondentId: state.respondentId, legalBasis: 'AVG art. 17' } }];
      default:
        return assertNever(command, 'respondent command');
    }
  },
};
