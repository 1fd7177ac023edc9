import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { ENTITY_ID } from '@maatlat/shared/domain';
import type { AsJson } from '@maatlat/shared/nest';
import type { Respondents, RespondentView as RespondentResult, RevokedInvitationView } from '@maatlat/respondents/data-access';
import type { PersonalData } from '@maatlat/respondents/domain';

const ID = { pattern: ENTITY_ID.source, example: '0192c6c4-5d1e-7a4e-9b0a-3f1e2d3c4b5a' } as const;
const PSEUDONYM = { pattern: '^r-[0-9a-f]{16}$', example: 'r-3f9a1c0b7d2e4a56', description: 'The pseudonym: says nothing about the person.' } as const;

type AccessExport = Awaited<ReturnType<Respondents['accessExport']>>;

@ApiSchema({ name: 'PersonalData', description: 'Personal data: held sealed with the person\'s own key, shown while that key exists.' })
export class PersonalDataView implements AsJson<PersonalData> {
  @ApiProperty({ example: 'Jan de Vries' }) name!: string;
  @ApiProperty({ format: 'email', example: 'jan.devries@example.nl' }) email!: string;
}

@ApiSchema({ name: 'Respondent', description: 'A respondent by pseudonym; `revision` is its ETag.' })
export class RespondentView implements AsJson<RespondentResult> {
  @ApiProperty(PSEUDONYM) respondentId!: string;
  @ApiProperty(ID) organisationId!: string;
  @ApiProperty({ enum: ['active', 'erased'], enumName: 'RespondentStatus' }) status!: 'active' | 'erased';
  @ApiProperty({ type: PersonalDataView, nullable: true, description: 'Null once erased: the key is gone, the data unreadable.' }) personal!: PersonalDataView | null;
  @ApiProperty({ type: 'integer', minimum: 1, description: 'The revision: send it back as If-Match.' }) revision!: number;
}

@ApiSchema({ name: 'Invitation', description: "A respondent's invitation: the token reaches one assessment, at one layer, until it expires." })
export class InvitationView implements AsJson<Awaited<ReturnType<Respondents['invite']>>> {
  @ApiProperty(ID) invitationId!: string;
  @ApiProperty({ description: 'A bearer token for the invited respondent; it is not stored, so keep it.' }) token!: string;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
}

@ApiSchema({ name: 'RespondentEventRecord', description: 'One event about the person, with the personal data it recorded.' })
export class RespondentEventRecordView implements AsJson<AccessExport['events'][number]> {
  @ApiProperty({ enum: ['RespondentRegistered', 'RespondentPersonalDataChanged', 'RespondentInvited', 'RespondentErased'] }) type!: AccessExport['events'][number]['type'];
  @ApiProperty({ type: 'integer', minimum: 1 }) version!: number;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
  @ApiProperty({ description: 'The pseudonymous subject who caused it.' }) actor!: string;
  @ApiPropertyOptional({ type: PersonalDataView, nullable: true, description: 'For events that recorded personal data; null once erased.' }) personal?: PersonalDataView | null;
}

@ApiSchema({ name: 'AccessExport', description: 'Everything held about the person, decrypted (AVG art. 15).' })
export class AccessExportView implements AsJson<AccessExport> {
  @ApiProperty({ enum: ['AVG art. 15'] }) legalBasis!: string;
  @ApiProperty({ format: 'date-time' }) exportedAt!: string;
  @ApiProperty({ type: RespondentView }) respondent!: RespondentView;
  @ApiProperty({ type: [RespondentEventRecordView] }) events!: RespondentEventRecordView[];
}

@ApiSchema({ name: 'RevokedInvitation', description: 'An invitation revoked: its token is refused from the next request on; `revision` is the respondent\'s ETag.' })
export class RevokedInvitationResponseView implements AsJson<RevokedInvitationView> {
  @ApiProperty({ pattern: '^r-[0-9a-f]{16}$', example: 'r-3f9a1c0b7d2e4a56' }) respondentId!: string;
  @ApiProperty({ format: 'uuid' }) invitationId!: string;
  @ApiProperty({ enum: ['revoked'] }) status!: 'revoked';
  @ApiProperty({ type: 'integer', minimum: 1 }) revision!: number;
}
