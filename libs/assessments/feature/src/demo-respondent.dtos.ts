import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { ENTITY_ID } from '@maatlat/shared/domain';

export class DemoRespondentSessionDto {
  @ApiProperty({ pattern: ENTITY_ID.source, description: 'The organisation whose respondent to sign in as.' })
  @Matches(ENTITY_ID, { message: 'organisationId must be an organisation id' })
  organisationId!: string;

  @ApiPropertyOptional({ pattern: ENTITY_ID.source, description: "One of the organisation's open assessments; by default its most recently opened one." })
  @IsOptional()
  @Matches(ENTITY_ID, { message: 'assessmentId must be an assessment id' })
  assessmentId?: string;
}

@ApiSchema({ name: 'DemoRespondentSession', description: 'An invitation token of a fresh demo respondent, and the questionnaire it opens.' })
export class DemoRespondentSessionView {
  @ApiProperty({ description: 'The invitation token (a bearer token for this assessment only).' }) token!: string;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
  @ApiProperty({ pattern: ENTITY_ID.source }) assessmentId!: string;
  @ApiProperty({ enum: ['strategic', 'tactical', 'operational'] }) layer!: string;
  @ApiProperty({ description: "The respondent's pseudonym." }) respondentId!: string;
}
