import type { CommandMetadata } from '@maatlat/shared/domain';
import { runOrganisationCommand, type OrganisationsContext } from './organisations.context';

export function closeUnit(context: OrganisationsContext, organisationId: string, unitId: string, metadata: CommandMetadata, expectedRevision?: number) {
  return runOrganisationCommand(context, organisationId, { type: 'CloseUnit', data: { unitId }, metadata }, expectedRevision);
}
