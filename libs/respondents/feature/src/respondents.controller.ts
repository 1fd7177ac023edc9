import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { CurrentPrincipal, mintInvitationToken, RateLimiter, Roles, type Principal } from '@maatlat/access';
import type { AppConfig } from '@maatlat/shared/config';
import { APP_CONFIG } from '@maatlat/shared/tokens';
import { Inject } from '@nestjs/common';
import { assertIds, ENTITY_ID, ValidationFailed } from '@maatlat/shared/domain';
import { CorrelationId } from '@maatlat/shared/nest';
import { Respondents } from '@maatlat/respondents/data-access';

export class RegisterRespondentDto {
  @ApiProperty({ example: 'Jan de Vries' }) @IsString() @MinLength(1) @MaxLength(200) name!: string;
  @ApiProperty({ example: 'jan.devries@example.nl' }) @IsEmail({}, { message: 'email must be an e-mail address' }) @MaxLength(320) email!: string;
}

export class EraseRespondentDto {
  @ApiPropertyOptional({ example: 'verzoek van betrokkene d.d. 2026-11-28' }) @IsOptional() @IsString() @MaxLength(500) reason?: string;
}

export class InviteRespondentDto {
  @ApiProperty({ description: 'The assessment the respondent is invited to' }) @Matches(ENTITY_ID, { message: 'assessmentId must be an assessment id' }) assessmentId!: string;
  @ApiProperty({ enum: ['strategic', 'tactical', 'operational'] }) @IsIn(['strategic', 'tactical', 'operational']) layer!: 'strategic' | 'tactical' | 'operational';
}

/**
 * Respondents of an organisation: known to events by pseudonym only; their personal data sealed
 * with a key of their own. Coordinators (and the platform administrator) manage them.
 */
@ApiTags('respondents')
@ApiBearerAuth()
@Roles('platform-admin', 'coordinator')
@Controller('organisations/:organisationId/respondents')
export class RespondentsController {
  constructor(
    private readonly respondents: Respondents,
    private readonly limiter: RateLimiter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Register a respondent; returns the pseudonym' })
  register(@Param('organisationId') organisationId: string, @Body() dto: RegisterRespondentDto, @CurrentPrincipal() principal: Principal, @CorrelationId() correlationId: string) {
    assertIds({ organisationId });
    return this.respondents.register(organisationId, { name: dto.name, email: dto.email }, { now: new Date(), actor: principal.subject, correlationId });
  }

  @Get()
  @ApiOperation({ summary: 'The respondents, with their personal data while it exists' })
  list(@Param('organisationId') organisationId: string) {
    assertIds({ organisationId });
    return this.respondents.list(organisationId);
  }

  @Get(':respondentId')
  get(@Param('organisationId') organisationId: string, @Param('respondentId') respondentId: string) {
    assertIds({ organisationId, respondentId });
    return this.respondents.get(organisationId, respondentId);
  }

  @Get(':respondentId/access-export')
  @ApiOperation({ summary: 'Everything held about the person, decrypted (AVG art. 15)' })
  accessExport(@Param('organisationId') organisationId: string, @Param('respondentId') respondentId: string) {
    assertIds({ organisationId, respondentId });
    return this.respondents.accessExport(organisationId, respondentId);
  }

  @Post(':respondentId/invitations')
  @ApiOperation({ summary: 'Invite the respondent to an assessment at a layer; returns a token that reaches that assessment only' })
  async invite(@Param('organisationId') organisationId: string, @Param('respondentId') respondentId: string, @Body() dto: InviteRespondentDto, @CurrentPrincipal() principal: Principal, @CorrelationId() correlationId: string) {
    assertIds({ organisationId, respondentId });
    const secret = this.config.auth.invitations?.secret;
    if (!secret) throw new ValidationFailed([{ field: 'INVITATION_SECRET', problem: 'invitations are off: the platform has no INVITATION_SECRET' }]);
    // Invitations are credentials: one caller issues at most 60 a minute.
    await this.limiter.enforce(`invite:${principal.subject}`, 60, 60, 'invitations');
    return this.respondents.invite(organisationId, respondentId, dto, (invitation) => mintInvitationToken(secret, invitation), { now: new Date(), actor: principal.subject, correlationId });
  }

  @Post(':respondentId/erasure')
  @HttpCode(200)
  @ApiOperation({ summary: "Erase the person's personal data (AVG art. 17): the key is destroyed, the events stay" })
  erase(@Param('organisationId') organisationId: string, @Param('respondentId') respondentId: string, @Body() dto: EraseRespondentDto, @CurrentPrincipal() principal: Principal, @CorrelationId() correlationId: string) {
    assertIds({ organisationId, respondentId });
    return this.respondents.erase(organisationId, respondentId, { now: new Date(), actor: principal.subject, correlationId, reason: dto.reason });
  }
}
