import type { Kysely } from 'kysely';
import type { DB } from '@maatlat/shared/database';
import type { CommandMetadata } from '@maatlat/shared/domain';
import type { PostgresEventStore } from '@maatlat/shared/event-store';
import type { OrganisationType, SizeBand, UnitKind } from '@maatlat/organisations/domain';
import { addUnit } from './add-unit';
import { changeOrganisationProfile } from './change-organisation-profile';
import { closeUnit } from './close-unit';
import { listOrganisations } from './list-organisations';
import { moveUnit } from './move-unit';
import type { OrganisationsContext } from './organisations.context';
import { readOrganisation, readUnitTree } from './read-organisation';
import { registerOrganisation } from './register-organisation';
import { renameUnit } from './rename-unit';

/**
 * The organisations' use cases, one file each (register-organisation.ts, add-unit.ts, …), shared by
 * the API and the CLI; each method is only the door to its use case.
 */
export class Organisations {
  private readonly context: OrganisationsContext;

  constructor(db: Kysely<DB>, store: PostgresEventStore) {
    this.context = { db, store };
  }

  register = (input: { name: string; organisationType: OrganisationType; sizeBand: SizeBand }, metadata: CommandMetadata) => registerOrganisation(this.context, input, metadata);
  changeProfile = (organisationId: string, input: { name?: string; organisationType?: OrganisationType; sizeBand?: SizeBand }, metadata: CommandMetadata, expectedRevision?: number) =>
    changeOrganisationProfile(this.context, organisationId, input, metadata, expectedRevision);
  addUnit = (organisationId: string, input: { parentUnitId: string | null; name: string; kind: UnitKind }, metadata: CommandMetadata, expectedRevision?: number) =>
    addUnit(this.context, organisationId, input, metadata, expectedRevision);
  renameUnit = (organisationId: string, unitId: string, name: string, metadata: CommandMetadata, expectedRevision?: number) =>
    renameUnit(this.context, organisationId, unitId, name, metadata, expectedRevision);
  moveUnit = (organisationId: string, unitId: string, toParentUnitId: string | null, metadata: CommandMetadata, expectedRevision?: number) =>
    moveUnit(this.context, organisationId, unitId, toParentUnitId, metadata, expectedRevision);
  closeUnit = (organisationId: string, unitId: string, metadata: CommandMetadata, expectedRevision?: number) => closeUnit(this.context, organisationId, unitId, metadata, expectedRevision);
  get = (organisationId: string) => readOrganisation(this.context, organisationId);
  list = (filter?: { organisationType?: string; sizeBand?: string; ids?: readonly string[] }) => listOrganisations(this.context, filter);
  tree = (organisationId: string) => readUnitTree(this.context, organisationId);
}
