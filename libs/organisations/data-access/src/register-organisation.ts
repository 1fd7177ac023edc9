import type { CommandMetadata } from '@maatlat/shared/domain';
import { newEntityId } from '@maatlat/shared/event-store';
import type { OrganisationType, SizeBand } from '@maatlat/organisations/domain';
import { runOrganisationCommand, type OrganisationsContext, type OrganisationView } from './organisations.context';

export function registerOrganisation(
  context: OrganisationsContext,
  input: { name: string; organisationType: OrganisationType; sizeBand: SizeBand },
  metadata: CommandMetadata,
): Promise<OrganisationView> {
  // With an idempotency key, a retried registration names the organisation the first one made.
  const organisationId = newEntityId('organisation', metadata);
  return runOrganisationCommand(context, organisationId, { type: 'RegisterOrganisation', data: { organisationId, ...input }, metadata: { ...metadata, tenantId: organisationId } });
}
