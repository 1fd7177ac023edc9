import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { ENTITY_ID } from '@maatlat/shared/domain';

export class RegisterRespondentDto {
  @ApiProperty({ example: 'Jan de Vries', minLength: 1, maxLength: 200 }) @IsString() @MinLength(1) @MaxLength(200) name!: string;
  @ApiProperty({ example: 'jan.devries@example.nl', format: 'email', maxLength: 320 }) @IsEmail({}, { message: 'email must be an e-mail address' }) @MaxLength(320) email!: string;
}

export class EraseRespondentDto {
  @ApiPropertyOptional({ example: 'verzoek van betrokkene d.d. 2026-11-28', maxLength: 500 }) @IsOptional() @IsString() @MaxLength(500) reason?: string;
}

export class InviteRespondentDto {
  @ApiProperty({ description: 'The assessment the respondent is invited to', pattern: ENTITY_ID.source }) @Matches(ENTITY_ID, { message: 'assessmentId must be an assessment id' }) assessmentId!: string;
  @ApiProperty({ enum: ['strategic', 'tactical', 'operational'], enumName: 'Layer' }) @IsIn(['strategic', 'tactical', 'operational']) layer!: 'strategic' | 'tactical' | 'operational';
}

export class RevokeInvitationDto {
  @ApiPropertyOptional({ example: 'respondent left the organisation' }) @IsOptional() @IsString() @MaxLength(500) reason?: string;
}
