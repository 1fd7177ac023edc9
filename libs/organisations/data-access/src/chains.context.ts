import type { Kysely } from 'kysely';
import type { DB } from '@maatlat/shared/database';
import { NotFound } from '@maatlat/shared/domain';
import { handleCommand, type PostgresEventStore } from '@maatlat/shared/event-store';
import { chainDecider, chainStreamId, type ChainCommand, type ChainState } from '@maatlat/organisations/domain';
import type { Organisations } from './organisations';

/** What the chain use cases stand on: the store, the read model, and the organisations whose units take part. */
export interface ChainsContext {
  db: Kysely<DB>;
  store: PostgresEventStore;
  organisations: Organisations;
}

export type ChainView = Extract<ChainState, { status: 'formed' }> & { revision: number };

/** Decides and appends one command on a chain's stream, and returns the chain as it stands after. */
export async function runChainCommand(context: ChainsContext, chainId: string, command: ChainCommand, expectedRevision?: number): Promise<ChainView> {
  const outcome = await handleCommand(context.store, chainDecider, chainStreamId(chainId), command, { expectedVersion: expectedRevision });
  if (outcome.state.status !== 'formed') throw new NotFound('chain', chainId);
  return { ...outcome.state, revision: outcome.result?.nextExpectedVersion ?? (await context.store.streamVersion(chainStreamId(chainId))) };
}
