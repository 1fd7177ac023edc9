import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { ENTITY_ID } from '@maatlat/shared/domain';
import { IsOptionalButNotNull } from '@maatlat/shared/nest';
import { ORGANISATION_TYPES, SIZE_BANDS, UNIT_KINDS, type OrganisationType, type SizeBand, type UnitKind } from '@maatlat/organisations/domain';

export class RegisterOrganisationDto {
  @ApiProperty({ example: 'Gemeente Utrecht', minLength: 1, maxLength: 200 }) @IsString() @MinLength(1) @MaxLength(200) name!: string;
  @ApiProperty({ enum: ORGANISATION_TYPES, enumName: 'OrganisationType' }) @IsIn(ORGANISATION_TYPES) organisationType!: OrganisationType;
  @ApiProperty({ enum: SIZE_BANDS, enumName: 'SizeBand' }) @IsIn(SIZE_BANDS) sizeBand!: SizeBand;
}

// Each field may be left out to keep it as it is, but null is no name, type or band.
export class ChangeOrganisationProfileDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 200 }) @IsOptionalButNotNull() @IsString() @MinLength(1) @MaxLength(200) name?: string;
  @ApiPropertyOptional({ enum: ORGANISATION_TYPES, enumName: 'OrganisationType' }) @IsOptionalButNotNull() @IsIn(ORGANISATION_TYPES) organisationType?: OrganisationType;
  @ApiPropertyOptional({ enum: SIZE_BANDS, enumName: 'SizeBand' }) @IsOptionalButNotNull() @IsIn(SIZE_BANDS) sizeBand?: SizeBand;
}


export class AddUnitDto {
  @ApiProperty({ example: 'Werk en Inkomen', minLength: 1, maxLength: 200 }) @IsString() @MinLength(1) @MaxLength(200) name!: string;
  @ApiProperty({ enum: UNIT_KINDS, enumName: 'UnitKind' }) @IsIn(UNIT_KINDS) kind!: UnitKind;
  @ApiPropertyOptional({ type: String, nullable: true, pattern: ENTITY_ID.source, description: 'The parent unit; null or absent for a unit directly under the organisation' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @Matches(ENTITY_ID, { message: 'parentUnitId must be a unit id' })
  parentUnitId?: string | null;
}

export class RenameUnitDto {
  @ApiProperty({ minLength: 1, maxLength: 200 }) @IsString() @MinLength(1) @MaxLength(200) name!: string;
}

export class MoveUnitDto {
  @ApiProperty({ type: String, nullable: true, pattern: ENTITY_ID.source, description: 'The new parent unit; null to move it directly under the organisation' })
  @ValidateIf((_, value) => value !== null)
  @Matches(ENTITY_ID, { message: 'toParentUnitId must be a unit id or null' })
  toParentUnitId!: string | null;
}

export class ListOrganisationsQueryDto {
  @ApiPropertyOptional({ enum: ORGANISATION_TYPES, enumName: 'OrganisationType' }) @IsOptional() @IsIn(ORGANISATION_TYPES) organisationType?: string;
  @ApiPropertyOptional({ enum: SIZE_BANDS, enumName: 'SizeBand' }) @IsOptional() @IsIn(SIZE_BANDS) sizeBand?: string;
}
