import { NotFound } from '@maatlat/shared/domain';
import { foldEvents } from '@maatlat/shared/event-store';
import { chainDecider, chainStreamId, type ChainEvent } from '@maatlat/organisations/domain';
import type { ChainsContext, ChainView } from './chains.context';

/** One chain with its members, as its stream says now. */
export async function readChain(context: ChainsContext, chainId: string): Promise<ChainView> {
  const events = await context.store.readStream<ChainEvent>(chainStreamId(chainId));
  const state = foldEvents(chainDecider, events);
  if (state.status !== 'formed') throw new NotFound('chain', chainId);
  return { ...state, revision: events[events.length - 1].version };
}
