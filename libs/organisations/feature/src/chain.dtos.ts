import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { ENTITY_ID } from '@maatlat/shared/domain';

export class FormChainDto {
  @ApiProperty({ example: 'Keten Werk en Inkomen', minLength: 1, maxLength: 200 }) @IsString() @MinLength(1) @MaxLength(200) name!: string;
  @ApiProperty({ example: 'UWV, gemeenten en SVB rond re-integratie en uitkeringen', maxLength: 2000 }) @IsString() @MaxLength(2000) description!: string;
}

export class ChainMemberDto {
  @ApiProperty({ pattern: ENTITY_ID.source }) @Matches(ENTITY_ID, { message: 'organisationId must be an organisation id' }) organisationId!: string;
  @ApiProperty({ pattern: ENTITY_ID.source }) @Matches(ENTITY_ID, { message: 'unitId must be a unit id' }) unitId!: string;
}
