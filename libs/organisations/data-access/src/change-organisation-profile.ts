import type { CommandMetadata } from '@maatlat/shared/domain';
import type { OrganisationType, SizeBand } from '@maatlat/organisations/domain';
import { runOrganisationCommand, type OrganisationsContext } from './organisations.context';

export function changeOrganisationProfile(
  context: OrganisationsContext,
  organisationId: string,
  input: { name?: string; organisationType?: OrganisationType; sizeBand?: SizeBand },
  metadata: CommandMetadata,
  expectedRevision?: number,
) {
  return runOrganisationCommand(context, organisationId, { type: 'ChangeOrganisationProfile', data: input, metadata }, expectedRevision);
}
