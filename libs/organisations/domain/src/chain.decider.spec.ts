import { Conflict, NotFound, type CommandMetadata } from '@maatlat/shared/domain';
import { deciderSpec } from '@maatlat/shared/testing';
import type { ChainCommand } from './chain.commands';
import { chainDecider } from './chain.decider';
import type { ChainEvent } from './chain.events';

const metadata: CommandMetadata = { now: new Date('2026-11-28T12:00:00Z'), actor: 'admin', correlationId: 'c' };
const spec = deciderSpec(chainDecider);
const command = (type: ChainCommand['type'], data: object) => ({ type, data, metadata }) as ChainCommand;
const formed: ChainEvent = { type: 'ChainFormed', data: { chainId: 'ch-1', name: 'Keten Werk en Inkomen', description: 'UWV, gemeenten en SVB' } };
const uwv: ChainEvent = { type: 'ChainMemberAdded', data: { organisationId: 'uwv', unitId: 'werkbedrijf' } };

describe('chain', () => {
  it('is formed and takes open units of several organisations as members', () => {
    spec.given([]).when(command('FormChain', formed.data)).then([formed]);
    spec.given([formed, uwv]).when(command('AddChainMember', { organisationId: 'gemeente-utrecht', unitId: 'werk-inkomen', unitIsOpen: true })).then([
      { type: 'ChainMemberAdded', data: { organisationId: 'gemeente-utrecht', unitId: 'werk-inkomen' } },
    ]);
  });
  it('refuses a unit that does not exist or is closed, and a member twice', () => {
    spec.given([formed]).when(command('AddChainMember', { organisationId: 'uwv', unitId: 'gone', unitIsOpen: false })).thenThrows(NotFound);
    spec.given([formed, uwv]).when(command('AddChainMember', { organisationId: 'uwv', unitId: 'werkbedrijf', unitIsOpen: true })).thenThrows(Conflict, /already a member/);
  });
  it('removes members', () => {
    spec.given([formed, uwv]).when(command('RemoveChainMember', uwv.data)).then([{ type: 'ChainMemberRemoved', data: uwv.data }]);
    spec.given([formed]).when(command('RemoveChainMember', uwv.data)).thenThrows(NotFound);
  });
});
