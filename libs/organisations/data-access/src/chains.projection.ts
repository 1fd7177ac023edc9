import type { Projection } from '@maatlat/shared/event-store';
import { parseChainStreamId, type ChainEvent } from '@maatlat/organisations/domain';

/** Chains and their members, for lists and for who may see which chain. */
export const chainsProjection: Projection<ChainEvent> = {
  name: 'chains',
  tables: ['chains', 'chain_members'],
  eventTypes: ['ChainFormed', 'ChainMemberAdded', 'ChainMemberRemoved'],
  async apply(trx, events) {
    for (const event of events) {
      const chainId = parseChainStreamId(event.streamId);
      if (event.type === 'ChainFormed') {
        await trx.insertInto('chains').values({ chain_id: chainId, name: event.data.name, description: event.data.description, formed_at: event.recordedAt }).execute();
      } else if (event.type === 'ChainMemberAdded') {
        await trx.insertInto('chain_members').values({ chain_id: chainId, organisation_id: event.data.organisationId, unit_id: event.data.unitId, joined_at: event.recordedAt }).execute();
      } else {
        await trx
          .deleteFrom('chain_members')
          .where('chain_id', '=', chainId)
          .where('organisation_id', '=', event.data.organisationId)
          .where('unit_id', '=', event.data.unitId)
          .execute();
      }
    }
  },
  async reset(trx) {
    await trx.deleteFrom('chain_members').execute();
    await trx.deleteFrom('chains').execute();
  },
};
