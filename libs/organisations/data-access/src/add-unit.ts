import type { CommandMetadata } from '@maatlat/shared/domain';
import { newEntityId } from '@maatlat/shared/event-store';
import type { UnitKind } from '@maatlat/organisations/domain';
import { runOrganisationCommand, type OrganisationsContext } from './organisations.context';

export async function addUnit(context: OrganisationsContext, organisationId: string, input: { parentUnitId: string | null; name: string; kind: UnitKind }, metadata: CommandMetadata, expectedRevision?: number) {
  // With an idempotency key, a retried addition names the unit the first one added.
  const unitId = newEntityId('unit', metadata);
  const view = await runOrganisationCommand(context, organisationId, { type: 'AddUnit', data: { unitId, ...input }, metadata }, expectedRevision);
  return { unitId, organisation: view };
}
