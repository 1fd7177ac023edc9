import type { CommandMetadata } from '@maatlat/shared/domain';
import { newEntityId } from '@maatlat/shared/event-store';
import { runChainCommand, type ChainsContext, type ChainView } from './chains.context';

export function formChain(context: ChainsContext, input: { name: string; description: string }, metadata: CommandMetadata): Promise<ChainView> {
  // With an idempotency key, a retried formation names the chain the first one formed.
  const chainId = newEntityId('chain', metadata);
  return runChainCommand(context, chainId, { type: 'FormChain', data: { chainId, ...input }, metadata });
}
