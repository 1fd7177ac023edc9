import type { CommandMetadata } from '@maatlat/shared/domain';
import type { OrganisationType, SizeBand, UnitKind } from './organisation.events';

type Cmd<Type extends string, Data> = { type: Type; data: Data; metadata: CommandMetadata };

export type RegisterOrganisation = Cmd<'RegisterOrganisation', { organisationId: string; name: string; organisationType: OrganisationType; sizeBand: SizeBand }>;
export type ChangeOrganisationProfile = Cmd<'ChangeOrganisationProfile', { name?: string; organisationType?: OrganisationType; sizeBand?: SizeBand }>;
export type AddUnit = Cmd<'AddUnit', { unitId: string; parentUnitId: string | null; name: string; kind: UnitKind }>;
export type RenameUnit = Cmd<'RenameUnit', { unitId: string; name: string }>;
export type MoveUnit = Cmd<'MoveUnit', { unitId: string; toParentUnitId: string | null }>;
export type CloseUnit = Cmd<'CloseUnit', { unitId: string }>;

export type OrganisationCommand = RegisterOrganisation | ChangeOrganisationProfile | AddUnit | RenameUnit | MoveUnit | CloseUnit;
