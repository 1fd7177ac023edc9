import { parseStreamId } from '@maatlat/shared/domain';

/** A chain ("keten"): a named cross-organisation process whose members are units of several organisations. */
export type ChainEvent =
  | { type: 'ChainFormed'; data: { chainId: string; name: string; description: string } }
  | { type: 'ChainMemberAdded'; data: { organisationId: string; unitId: string } }
  | { type: 'ChainMemberRemoved'; data: { organisationId: string; unitId: string } };

export function chainStreamId(chainId: string): string {
  return `chain-${chainId}`;
}

export function parseChainStreamId(streamId: string): string {
  return parseStreamId('chain', streamId);
}
