import type { CommandMetadata } from '@maatlat/shared/domain';
import { runOrganisationCommand, type OrganisationsContext } from './organisations.context';

export function moveUnit(context: OrganisationsContext, organisationId: string, unitId: string, toParentUnitId: string | null, metadata: CommandMetadata, expectedRevision?: number) {
  return runOrganisationCommand(context, organisationId, { type: 'MoveUnit', data: { unitId, toParentUnitId }, metadata }, expectedRevision);
}
