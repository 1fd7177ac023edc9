import type { Selectable } from 'kysely';
import type { ChainsTable } from '@maatlat/shared/database';
import type { ChainsContext } from './chains.context';

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

/** Chains from the read model: all of them, or those a set of organisations takes part in. */
export async function listChains(context: ChainsContext, organisationIds?: string[]): Promise<ChainSummary[]> {
  if (organisationIds && organisationIds.length === 0) return [];
  const rows = await context.db
    .selectFrom('chains')
    .selectAll()
    .$if(organisationIds !== undefined, (q) =>
      q.where('chain_id', 'in', (eb) => eb.selectFrom('chain_members').select('chain_id').where('organisation_id', 'in', organisationIds!)),
    )
    .orderBy('name')
    .execute();
  return rows.map(toChainSummary);
}
