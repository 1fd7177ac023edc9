import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { ENTITY_ID } from '@maatlat/shared/domain';
import type { AsJson } from '@maatlat/shared/nest';
import type { ChainSummary, ChainView as ChainResult, Organisations, OrganisationSummary, OrganisationView as OrganisationResult, UnitNode, UnitView as UnitResult } from '@maatlat/organisations/data-access';
import { ORGANISATION_TYPES, SIZE_BANDS, UNIT_KINDS, type OrganisationType, type SizeBand, type UnitKind } from '@maatlat/organisations/domain';

const ID = { pattern: ENTITY_ID.source, example: '0192c6c4-5d1e-7a4e-9b0a-3f1e2d3c4b5a' } as const;
const PARENT = { type: String, nullable: true, pattern: ENTITY_ID.source, description: 'The parent unit; null for a unit directly under the organisation.' } as const;
export const ORGANISATION_TYPE = { enum: ORGANISATION_TYPES, enumName: 'OrganisationType' } as const;
export const SIZE_BAND = { enum: SIZE_BANDS, enumName: 'SizeBand' } as const;
export const UNIT_KIND = { enum: UNIT_KINDS, enumName: 'UnitKind' } as const;

@ApiSchema({ name: 'Unit', description: 'A unit of an organisation (division, department, team).' })
export class UnitView implements AsJson<UnitResult> {
  @ApiProperty(ID) unitId!: string;
  @ApiProperty(PARENT) parentUnitId!: string | null;
  @ApiProperty({ example: 'Werk en Inkomen' }) name!: string;
  @ApiProperty(UNIT_KIND) kind!: UnitKind;
  @ApiProperty() closed!: boolean;
}

@ApiSchema({ name: 'Organisation', description: 'An organisation with its units; `revision` is its ETag.' })
export class OrganisationView implements AsJson<OrganisationResult> {
  @ApiProperty(ID) organisationId!: string;
  @ApiProperty({ example: 'Gemeente Utrecht' }) name!: string;
  @ApiProperty(ORGANISATION_TYPE) organisationType!: OrganisationType;
  @ApiProperty(SIZE_BAND) sizeBand!: SizeBand;
  @ApiProperty({ type: 'integer', minimum: 1, description: 'The revision: send it back as If-Match.' }) revision!: number;
  @ApiProperty({ type: [UnitView] }) units!: UnitView[];
}

@ApiSchema({ name: 'OrganisationSummary', description: 'An organisation as lists show it.' })
export class OrganisationSummaryView implements AsJson<OrganisationSummary> {
  @ApiProperty(ID) organisationId!: string;
  @ApiProperty({ example: 'Gemeente Utrecht' }) name!: string;
  @ApiProperty(ORGANISATION_TYPE) organisationType!: OrganisationType;
  @ApiProperty(SIZE_BAND) sizeBand!: SizeBand;
  @ApiProperty({ format: 'date-time' }) registeredAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

@ApiSchema({ name: 'UnitNode', description: 'A unit in the tree: its path runs from the top unit down.' })
export class UnitNodeView implements AsJson<UnitNode> {
  @ApiProperty(ID) unitId!: string;
  @ApiProperty(PARENT) parentUnitId!: string | null;
  @ApiProperty({ example: 'Werk en Inkomen' }) name!: string;
  @ApiProperty(UNIT_KIND) kind!: UnitKind;
  @ApiProperty() closed!: boolean;
  @ApiProperty({ description: 'The unit ids from the top unit down to this one, joined by slashes.' }) path!: string;
  @ApiProperty({ type: 'integer', minimum: 0 }) depth!: number;
}

@ApiSchema({ name: 'AddedUnit', description: 'The new unit and the organisation with it.' })
export class AddedUnitView implements AsJson<Awaited<ReturnType<Organisations['addUnit']>>> {
  @ApiProperty(ID) unitId!: string;
  @ApiProperty({ type: OrganisationView }) organisation!: OrganisationView;
}

@ApiSchema({ name: 'ChainMember', description: 'A unit of an organisation that takes part in a chain.' })
export class ChainMemberView implements AsJson<ChainResult['members'][number]> {
  @ApiProperty(ID) organisationId!: string;
  @ApiProperty(ID) unitId!: string;
}

@ApiSchema({ name: 'Chain', description: 'A chain with its member units; `revision` is its ETag.' })
export class ChainView implements AsJson<ChainResult> {
  @ApiProperty({ enum: ['formed'] }) status!: 'formed';
  @ApiProperty(ID) chainId!: string;
  @ApiProperty({ example: 'Keten Werk en Inkomen' }) name!: string;
  @ApiProperty({ example: 'UWV, gemeenten en SVB rond re-integratie en uitkeringen' }) description!: string;
  @ApiProperty({ type: [ChainMemberView] }) members!: ChainMemberView[];
  @ApiProperty({ type: 'integer', minimum: 1, description: 'The revision: send it back as If-Match.' }) revision!: number;
}

@ApiSchema({ name: 'ChainSummary', description: 'A chain as lists show it.' })
export class ChainSummaryView implements AsJson<ChainSummary> {
  @ApiProperty(ID) chainId!: string;
  @ApiProperty({ example: 'Keten Werk en Inkomen' }) name!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ format: 'date-time' }) formedAt!: string;
}
