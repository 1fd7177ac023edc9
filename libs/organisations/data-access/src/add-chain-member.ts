import type { CommandMetadata } from '@maatlat/shared/domain';
import { runChainCommand, type ChainsContext, type ChainView } from './chains.context';

/** Adds an organisation's unit to the chain. The decider is pure: whether the unit is open is read here, from the organisation's stream. */
export async function addChainMember(context: ChainsContext, chainId: string, member: { organisationId: string; unitId: string }, metadata: CommandMetadata, expectedRevision?: number): Promise<ChainView> {
  const organisation = await context.organisations.get(member.organisationId);
  const unit = organisation.units.find((u) => u.unitId === member.unitId);
  return runChainCommand(context, chainId, { type: 'AddChainMember', data: { ...member, unitIsOpen: !!unit && !unit.closed }, metadata }, expectedRevision);
}
