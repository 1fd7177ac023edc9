import type { CommandMetadata } from '@maatlat/shared/domain';
import { runChainCommand, type ChainsContext, type ChainView } from './chains.context';

export function removeChainMember(context: ChainsContext, chainId: string, member: { organisationId: string; unitId: string }, metadata: CommandMetadata, expectedRevision?: number): Promise<ChainView> {
  return runChainCommand(context, chainId, { type: 'RemoveChainMember', data: member, metadata }, expectedRevision);
}
