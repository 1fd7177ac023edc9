import type { CommandMetadata } from '@maatlat/shared/domain';

export type ChainCommand =
  | { type: 'FormChain'; data: { chainId: string; name: string; description: string }; metadata: CommandMetadata }
  /** `unitIsOpen`: checked by the handler against the organisation's own stream. */
  | { type: 'AddChainMember'; data: { organisationId: string; unitId: string; unitIsOpen: boolean }; metadata: CommandMetadata }
  | { type: 'RemoveChainMember'; data: { organisationId: string; unitId: string }; metadata: CommandMetadata };
