import type { Selectable } from 'kysely';
import type { OrganisationsTable } from '@maatlat/shared/database';
import type { OrganisationType, SizeBand } from '@maatlat/organisations/domain';
import type { OrganisationsContext } from './organisations.context';

/** An organisation as lists show it (the `organisations` read model). */
export interface OrganisationSummary {
  organisationId: string;
  name: string;
  organisationType: OrganisationType;
  sizeBand: SizeBand;
  registeredAt: string;
  updatedAt: string;
}

function toOrganisationSummary(row: Selectable<OrganisationsTable>): OrganisationSummary {
  return {
    organisationId: row.organisation_id,
    name: row.name,
    organisationType: row.organisation_type as OrganisationType,
    sizeBand: row.size_band as SizeBand,
    registeredAt: row.registered_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** Organisations from the read model, optionally one peer group (and only those of `ids`). */
export async function listOrganisations(context: OrganisationsContext, filter: { organisationType?: string; sizeBand?: string; ids?: readonly string[] } = {}): Promise<OrganisationSummary[]> {
  if (filter.ids && filter.ids.length === 0) return [];
  const rows = await context.db
    .selectFrom('organisations')
    .selectAll()
    .$if(filter.organisationType !== undefined, (q) => q.where('organisation_type', '=', filter.organisationType!))
    .$if(filter.sizeBand !== undefined, (q) => q.where('size_band', '=', filter.sizeBand!))
    .$if(filter.ids !== undefined, (q) => q.where('organisation_id', 'in', filter.ids!))
    .orderBy('name')
    .execute();
  return rows.map(toOrganisationSummary);
}
