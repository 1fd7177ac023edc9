import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, Equals, IsArray, IsDefined, IsIn, IsInt, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateIf, ValidateNested } from 'class-validator';
import type { LayerId } from '@maatlat/model-catalogue/domain';
import { ENTITY_ID } from '@maatlat/shared/domain';

const LAYERS = ['strategic', 'tactical', 'operational'];

export class ScopeDto {
  @ApiProperty({ enum: ['organisation', 'unit', 'chain'], description: 'What is assessed: the whole organisation, one of its units, or a chain it takes part in.' }) @IsIn(['organisation', 'unit', 'chain']) kind!: 'organisation' | 'unit' | 'chain';
  @ApiPropertyOptional({ pattern: ENTITY_ID.source, description: 'Required when kind is unit.' }) @ValidateIf((s: ScopeDto) => s.kind === 'unit') @Matches(ENTITY_ID, { message: 'scope.unitId must be a unit id' }) unitId?: string;
  @ApiPropertyOptional({ pattern: ENTITY_ID.source, description: 'Required when kind is chain.' }) @ValidateIf((s: ScopeDto) => s.kind === 'chain') @Matches(ENTITY_ID, { message: 'scope.chainId must be a chain id' }) chainId?: string;
}

export class ModelRefDto {
  @ApiProperty({ example: 'datagedreven-overheid', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' }) @Matches(/^[a-z0-9]+(-[a-z0-9]+)*$/, { message: 'model.key must be a model key' }) key!: string;
  @ApiProperty({ example: '2026.1', pattern: '^\\d{4}\\.\\d+$' }) @Matches(/^\d{4}\.\d+$/, { message: 'model.version must be written YYYY.N' }) version!: string;
}

export class OpenAssessmentDto {
  @ApiProperty({ pattern: ENTITY_ID.source }) @Matches(ENTITY_ID, { message: 'organisationId must be an organisation id' }) organisationId!: string;
  // @ValidateNested passes a missing object; the handler reads into it.
  @ApiProperty({ type: ScopeDto }) @IsDefined() @IsObject() @ValidateNested() @Type(() => ScopeDto) scope!: ScopeDto;
  @ApiProperty({ example: '2026', maxLength: 32 }) @IsString() @MaxLength(32) period!: string;
  @ApiProperty({ type: ModelRefDto }) @IsDefined() @IsObject() @ValidateNested() @Type(() => ModelRefDto) model!: ModelRefDto;
  @ApiProperty({ enum: LAYERS, enumName: 'Layer', isArray: true, minItems: 1, maxItems: 3 }) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(3) @IsIn(LAYERS, { each: true }) layers!: LayerId[];
}

export class InviteDto {
  @ApiProperty({ pattern: '^r-[0-9a-f]{16}$', example: 'r-3f9a1c0b7d2e4a56' }) @Matches(/^r-[0-9a-f]{16}$/, { message: 'respondentId must be a respondent pseudonym' }) respondentId!: string;
  @ApiProperty({ enum: LAYERS, enumName: 'Layer' }) @IsIn(LAYERS) layer!: LayerId;
}

export class EvidenceDto {
  @ApiProperty({ enum: ['url', 'document'] }) @IsIn(['url', 'document']) kind!: 'url' | 'document';
  @ApiProperty({ maxLength: 2000 }) @IsString() @MaxLength(2000) reference!: string;
  @ApiProperty({ maxLength: 300 }) @IsString() @MaxLength(300) title!: string;
}

export class AnswerDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 5, description: 'The level; or dontKnow instead.' })
  @ValidateIf((a: AnswerDto) => a.dontKnow === undefined)
  @IsInt({ message: 'level must be a whole number from 0 to 5 (or give dontKnow: true)' })
  @Min(0)
  @Max(5)
  level?: number;

  @ApiPropertyOptional({ enum: [true], description: "true for \"don't know\", instead of a level" }) @IsOptional() @Equals(true) dontKnow?: true;

  @ApiPropertyOptional({ maxLength: 5000, description: 'Personal data: stored sealed with the respondent\'s key' }) @IsOptional() @IsString() @MaxLength(5000) justification?: string;

  @ApiPropertyOptional({ type: [EvidenceDto], maxItems: 20 }) @IsOptional() @IsArray() @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => EvidenceDto) evidence?: EvidenceDto[];
}
