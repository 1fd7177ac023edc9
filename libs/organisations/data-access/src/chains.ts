import type { Kysely } from 'kysely';
import type { DB } from '@maatlat/shared/database';
import type { CommandMetadata } from '@maatlat/shared/domain';
import type { PostgresEventStore } from '@maatlat/shared/event-store';
import { addChainMember } from './add-chain-member';
import type { ChainsContext } from './chains.context';
import { formChain } from './form-chain';
import { listChains } from './list-chains';
import type { Organisations } from './organisations';
import { readChain } from './read-chain';
import { removeChainMember } from './remove-chain-member';

/**
 * Chains ("ketens") across organisations: form, add and remove member units. One file a use case
 * (form-chain.ts, add-chain-member.ts, …); each method is only the door to its use case.
 */
export class Chains {
  private readonly context: ChainsContext;

  constructor(db: Kysely<DB>, store: PostgresEventStore, organisations: Organisations) {
    this.context = { db, store, organisations };
  }

  form = (input: { name: string; description: string }, metadata: CommandMetadata) => formChain(this.context, input, metadata);
  addMember = (chainId: string, member: { organisationId: string; unitId: string }, metadata: CommandMetadata, expectedRevision?: number) =>
    addChainMember(this.context, chainId, member, metadata, expectedRevision);
  removeMember = (chainId: string, member: { organisationId: string; unitId: string }, metadata: CommandMetadata, expectedRevision?: number) =>
    removeChainMember(this.context, chainId, member, metadata, expectedRevision);
  get = (chainId: string) => readChain(this.context, chainId);
  list = (organisationIds?: string[]) => listChains(this.context, organisationIds);
}
