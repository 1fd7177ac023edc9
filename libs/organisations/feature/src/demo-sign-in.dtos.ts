import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { ENTITY_ID } from '@maatlat/shared/domain';

export const DEMO_ROLES = ['platform-admin', 'coordinator', 'auditor'] as const;
export type DemoRole = (typeof DEMO_ROLES)[number];
/** A respondent persona signs in through POST /demo/respondent-sessions (an invitation to an open assessment). */
export const PERSONA_ROLES = [...DEMO_ROLES, 'respondent'] as const;
export type PersonaRole = (typeof PERSONA_ROLES)[number];

export interface Persona {
  role: PersonaRole;
  organisationId: string | null;
  organisationName: string | null;
}

@ApiSchema({ name: 'DemoPersona', description: 'Someone to sign in as on a demo platform.' })
export class DemoPersonaView implements Persona {
  @ApiProperty({ enum: PERSONA_ROLES, enumName: 'DemoPersonaRole', description: 'A respondent signs in with POST /demo/respondent-sessions; the others with POST /demo/sessions.' }) role!: PersonaRole;
  @ApiProperty({ type: String, nullable: true, pattern: ENTITY_ID.source }) organisationId!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'Gemeente Texel' }) organisationName!: string | null;
}

@ApiSchema({ name: 'DemoSession', description: 'A bearer token of the local issuer for the persona.' })
export class DemoSessionView {
  @ApiProperty({ description: 'The bearer token.' }) token!: string;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
}

export class DemoSessionDto {
  @ApiProperty({ enum: DEMO_ROLES, enumName: 'DemoRole' }) @IsIn(DEMO_ROLES) role!: DemoRole;
  @ApiPropertyOptional({ pattern: ENTITY_ID.source, description: 'The organisation a coordinator or auditor acts for.' })
  @IsOptional()
  @Matches(ENTITY_ID, { message: 'organisationId must be an organisation id' })
  organisationId?: string;
}
