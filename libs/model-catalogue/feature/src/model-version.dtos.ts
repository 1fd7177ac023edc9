import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { IsIn, IsNotEmptyObject, IsObject, IsOptional, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import type { Crosswalk, ModelDocument } from '@maatlat/model-catalogue/domain';

export class DraftModelVersionDto {
  @ApiPropertyOptional({ description: 'The whole model version document; or copyFrom and version instead.', allOf: [{ $ref: getSchemaPath('ModelDocument') }] })
  @ValidateIf((dto: DraftModelVersionDto) => dto.copyFrom === undefined)
  @IsObject()
  @IsNotEmptyObject()
  document?: ModelDocument;

  @ApiPropertyOptional({ description: 'Copy a published version, e.g. datagedreven-overheid@2026.1', example: 'datagedreven-overheid@2026.1', pattern: '^[a-z0-9]+(-[a-z0-9]+)*@\\d{4}\\.\\d+$' })
  @ValidateIf((dto: DraftModelVersionDto) => dto.document === undefined)
  @Matches(/^[a-z0-9]+(-[a-z0-9]+)*@\d{4}\.\d+$/, { message: 'copyFrom must be written key@version, e.g. datagedreven-overheid@2026.1' })
  copyFrom?: string;

  @ApiPropertyOptional({ description: 'The new version number when copying', example: '2027.1', pattern: '^\\d{4}\\.\\d+$' })
  @ValidateIf((dto: DraftModelVersionDto) => dto.copyFrom !== undefined)
  @Matches(/^\d{4}\.\d+$/, { message: 'version must be written YYYY.N, e.g. 2027.1' })
  version?: string;

  @ApiPropertyOptional({ maxLength: 2000, description: 'Why: recorded with the event.' }) @IsOptional() @IsString() @MaxLength(2000) reason?: string;
}

export class ReviseModelDraftDto {
  @ApiProperty({ allOf: [{ $ref: getSchemaPath('ModelDocument') }] }) @IsObject() @IsNotEmptyObject() document!: ModelDocument;
  @ApiPropertyOptional({ maxLength: 2000, description: 'Why: recorded with the event.' }) @IsOptional() @IsString() @MaxLength(2000) reason?: string;
}

export class SetCrosswalkDto {
  @ApiProperty({ allOf: [{ $ref: getSchemaPath('Crosswalk') }] }) @IsObject() @IsNotEmptyObject() crosswalk!: Crosswalk;
  @ApiPropertyOptional({ maxLength: 2000, description: 'Why: recorded with the event.' }) @IsOptional() @IsString() @MaxLength(2000) reason?: string;
}

export class PublishModelVersionDto {
  @ApiProperty({ example: 'Wet open overheid; AVG; Archiefwet 1995', maxLength: 2000 }) @IsString() @MaxLength(2000) legalBasis!: string;
  @ApiProperty({ example: '2027-01-01', format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$' }) @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'effectiveFrom must be a date written YYYY-MM-DD' }) effectiveFrom!: string;
  @ApiPropertyOptional({ maxLength: 2000, description: 'Why: recorded with the event.' }) @IsOptional() @IsString() @MaxLength(2000) reason?: string;
}

export class RetireModelVersionDto {
  @ApiProperty({ example: 'superseded by 2027.1', maxLength: 2000 }) @IsString() @MaxLength(2000) reason!: string;
}

export class DiffQueryDto {
  @ApiProperty({ example: '2026.1', pattern: '^\\d{4}\\.\\d+$' }) @Matches(/^\d{4}\.\d+$/, { message: 'from must be a version written YYYY.N' }) from!: string;
  @ApiProperty({ example: '2027.1', pattern: '^\\d{4}\\.\\d+$' }) @Matches(/^\d{4}\.\d+$/, { message: 'to must be a version written YYYY.N' }) to!: string;
}

export class ListQueryDto {
  @ApiPropertyOptional({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', example: 'datagedreven-overheid' }) @IsOptional() @Matches(/^[a-z0-9]+(-[a-z0-9]+)*$/, { message: 'key must be a model key such as datagedreven-overheid' }) key?: string;
  @ApiPropertyOptional({ enum: ['draft', 'published', 'retired'] }) @IsOptional() @IsIn(['draft', 'published', 'retired']) status?: string;
}
