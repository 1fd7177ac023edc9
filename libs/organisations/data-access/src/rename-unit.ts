import type { CommandMetadata } from '@maatlat/shared/domain';
import { runOrganisationCommand, type OrganisationsContext } from './organisations.context';

export function renameUnit(context: OrganisationsContext, organisationId: string, unitId: string, name: string, metadata: CommandMetadata, expectedRevision?: number) {
  return runOrganisationCommand(context, organisationId, { type: 'RenameUnit', data: { unitId, name }, metadata }, expectedRevision);
}
