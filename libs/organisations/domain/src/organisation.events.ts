import { parseStreamId } from '@maatlat/shared/domain';
/** The kinds of public organisation Maatlat serves; with the size band they define peer groups. */
export const ORGANISATION_TYPES = ['ministry', 'executive-agency', 'inspectorate-or-regulator', 'province', 'municipality', 'water-board', 'other'] as const;
export type OrganisationType = (typeof ORGANISATION_TYPES)[number];

/** Staff size in full-time equivalents: small < 250, medium < 1,000, large < 5,000, very large beyond. */
export const SIZE_BANDS = ['small', 'medium', 'large', 'very-large'] as const;
export type SizeBand = (typeof SIZE_BANDS)[number];

export const UNIT_KINDS = ['division', 'department', 'team', 'other'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

export type OrganisationRegistered = {
  type: 'OrganisationRegistered';
  data: { organisationId: string; name: string; organisationType: OrganisationType; sizeBand: SizeBand };
};
export type OrganisationProfileChanged = {
  type: 'OrganisationProfileChanged';
  data: { name: string; organisationType: OrganisationType; sizeBand: SizeBand };
};
export type UnitAdded = { type: 'UnitAdded'; data: { unitId: string; parentUnitId: string | null; name: string; kind: UnitKind } };
export type UnitRenamed = { type: 'UnitRenamed'; data: { unitId: string; name: string } };
export type UnitMoved = { type: 'UnitMoved'; data: { unitId: string; fromParentUnitId: string | null; toParentUnitId: string | null } };
export type UnitClosed = { type: 'UnitClosed'; data: { unitId: string } };

export type OrganisationEvent = OrganisationRegistered | OrganisationProfileChanged | UnitAdded | UnitRenamed | UnitMoved | UnitClosed;

export function organisationStreamId(organisationId: string): string {
  return `organisation-${organisationId}`;
}

export function parseOrganisationStreamId(streamId: string): string {
  return parseStreamId('organisation', streamId);
}
