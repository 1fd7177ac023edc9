import { assertNever, Conflict, NotFound, ValidationFailed, type Decider } from '@maatlat/shared/domain';
import type { ChainCommand } from './chain.commands';
import type { ChainEvent } from './chain.events';

export type ChainState =
  | { status: 'none' }
  | { status: 'formed'; chainId: string; name: string; description: string; members: { organisationId: string; unitId: string }[] };

const same = (a: { organisationId: string; unitId: string }, b: { organisationId: string; unitId: string }) => a.organisationId === b.organisationId && a.unitId === b.unitId;

export const chainDecider: Decider<ChainCommand, ChainState, ChainEvent> = {
  initialState: () => ({ status: 'none' }),
  evolve(state, event) {
    switch (event.type) {
      case 'ChainFormed':
        return { status: 'formed', ...event.data, members: [] };
      case 'ChainMemberAdded':
        return state.status === 'formed' ? { ...state, members: [...state.members, event.data] } : state;
      case 'ChainMemberRemoved':
        return state.status === 'formed' ? { ...state, members: state.members.filter((m) => !same(m, event.data)) } : state;
      default:
        return assertNever(event, 'chain event');
    }
  },
  decide(command, state) {
    if (command.type === 'FormChain') {
      if (state.status !== 'none') throw new Conflict('chain.exists', `chain ${command.data.chainId} already exists`);
      const name = command.data.name.trim();
      if (!name) throw new ValidationFailed([{ field: 'name', problem: 'must not be empty' }]);
      return [{ type: 'ChainFormed', data: { ...command.data, name } }];
    }
    if (state.status !== 'formed') throw new NotFound('chain', 'chain');
    switch (command.type) {
      case 'AddChainMember': {
        const member = { organisationId: command.data.organisationId, unitId: command.data.unitId };
        if (!command.data.unitIsOpen) throw new NotFound('unit', member.unitId);
        if (state.members.some((m) => same(m, member))) throw new Conflict('chain.member-exists', `unit ${member.unitId} is already a member of ${state.name}`);
        return [{ type: 'ChainMemberAdded', data: member }];
      }
      case 'RemoveChainMember': {
        if (!state.members.some((m) => same(m, command.data))) throw new NotFound('chain-member', command.data.unitId);
        return [{ type: 'ChainMemberRemoved', data: command.data }];
      }
      default:
        return assertNever(command, 'chain command');
    }
  },
};
