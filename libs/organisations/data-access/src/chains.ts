import type { Kysely, Selectable } from 'kysely';
import type { ChainsTable, DB } from '@maatlat/shared/database';
import { NotFound, type CommandMetadata } from '@maatlat/shared/domain';
import { foldEvents, handleCommand, newEntityId, type PostgresEventStore, type Projection } from '@maatlat/shared/event-store';
import { chainDecider, chainStreamId, parseChainStreamId, type ChainCommand, type ChainEvent, type ChainState } from '@maatlat/organisations/domain';
import type { Organisations } from './organisations';

export type ChainView = Extract<ChainState, { status: 'formed' }> & { revision: number };

/** A chain as lists show it (the `chains` read model). */
export interface ChainSummary {
  chainId: string;
  name: string;
  description: string;
  formedAt: string;
}

function toChainSummary(row: Selectable<ChainsTable>): ChainSummary {
  return { chainId: row.chain_id, name: row.name, description: row.description, formedAt: row.formed_at.toISOString() };
}

/** Chains ("ketens") across organisations: form, add and remove member units. */
export class Chains {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly store: PostgresEventStore,
    private readonly organisations: Organisations,
  ) {}

  form(input: { name: string; description: string }, metadata: CommandMetadata): Promise<ChainView> {
    const chainId = newEntityId('chain', metadata);
    return this.run(chainId, { type: 'FormChain', data: { chainId, ...input }, metadata });
  }

  async addMember(chainId: string, member: { organisationId: string; unitId: string }, metadata: CommandMetadata, expectedRevision?: number): Promise<ChainView> {
    const organisation = await this.organisations.get(member.organisationId);
    const unit = organisation.units.find((u) => u.unitId === member.unitId);
    return this.run(chainId, { type: 'AddChainMember', data: { ...member, unitIsOpen: !!unit && !unit.closed }, metadata }, expectedRevision);
  }

  removeMember(chainId: string, member: { organisationId: string; unitId: string }, metadata: CommandMetadata, expectedRevision?: number): Promise<ChainView> {
    return this.run(chainId, { type: 'RemoveChainMember', data: member, metadata }, expectedRevision);
  }

  async get(chainId: string): Promise<ChainView> {
    const events = await this.store.readStream(chainStreamId(chainId));
    const state = foldEvents(chainDecider, events);
    if (state.status !== 'formed') throw new NotFound('chain', chainId);
    return { ...state, revision: events[events.length - 1].version };
  }

  /** Chains from the read model: all of them, or those a set of organisations takes part in. */
  async list(organisationIds?: string[]): Promise<ChainSummary[]> {
    if (organisationIds && organisationIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('chains')
      .selectAll()
      .$if(organisationIds !== undefined, (q) =>
        q.where('chain_id', 'in', (eb) => eb.selectFrom('chain_members').select('chain_id').where('organisation_id', 'in', organisationIds!)),
      )
      .orderBy('name')
      .execute();
    return rows.map(toChainSummary);
  }

  private async run(chainId: string, command: ChainCommand, expectedRevision?: number): Promise<ChainView> {
    const outcome = await handleCommand(this.store, chainDecider, chainStreamId(chainId), command, { expectedVersion: expectedRevision });
    if (outcome.state.status !== 'formed') throw new NotFound('chain', chainId);
    return { ...outcome.state, revision: outcome.result?.nextExpectedVersion ?? (await this.store.streamVersion(chainStreamId(chainId))) };
  }
}

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
