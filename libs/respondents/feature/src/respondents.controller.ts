import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandMeta, mintInvitationToken, RateLimiter, RerunOnReplay, Roles } from '@maatlat/access';
import type { AppConfig } from '@maatlat/shared/config';
import { APP_CONFIG } from '@maatlat/shared/tokens';
import { assertIds, ValidationFailed, type CommandMetadata } from '@maatlat/shared/domain';
import { ApiIfMatch, ApiProblems, ApiResult, IfMatch } from '@maatlat/shared/nest';
import { Respondents } from '@maatlat/respondents/data-access';
import { EraseRespondentDto, InviteRespondentDto, RegisterRespondentDto, RevokeInvitationDto } from './respondent.dtos';
import { AccessExportView, InvitationView, RespondentView, RevokedInvitationResponseView } from './respondent.views';

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
  @RerunOnReplay()
  @ApiOperation({ summary: 'Register a respondent; returns the pseudonym' })
  @ApiResult(201, 'The respondent under a new pseudonym; its revision is the ETag.', RespondentView)
  register(@Param('organisationId') organisationId: string, @Body() dto: RegisterRespondentDto, @CommandMeta() meta: CommandMetadata) {
    assertIds({ organisationId });
    return this.respondents.register(organisationId, { name: dto.name, email: dto.email }, meta);
  }

  @Get()
  @ApiOperation({ summary: 'The respondents, with their personal data while it exists' })
  @ApiResult(200, 'The respondents, in the order they were registered.', [RespondentView])
  list(@Param('organisationId') organisationId: string) {
    assertIds({ organisationId });
    return this.respondents.list(organisationId);
  }

  @Get(':respondentId')
  @ApiOperation({ summary: 'One respondent, with their personal data while it exists; its revision is the ETag' })
  @ApiResult(200, 'The respondent.', RespondentView)
  get(@Param('organisationId') organisationId: string, @Param('respondentId') respondentId: string) {
    assertIds({ organisationId, respondentId });
    return this.respondents.get(organisationId, respondentId);
  }

  @Get(':respondentId/access-export')
  @ApiOperation({ summary: 'Everything held about the person, decrypted (AVG art. 15)' })
  @ApiResult(200, 'Everything held about the person.', AccessExportView)
  accessExport(@Param('organisationId') organisationId: string, @Param('respondentId') respondentId: string) {
    assertIds({ organisationId, respondentId });
    return this.respondents.accessExport(organisationId, respondentId);
  }

  @Post(':respondentId/invitations')
  @RerunOnReplay()
  @ApiIfMatch()
  @ApiOperation({ summary: 'Invite the respondent to an assessment at a layer; returns a token that reaches that assessment only' })
  @ApiResult(201, 'The invitation with its token.', InvitationView)
  @ApiProblems({ 400: 'The request is malformed, or the platform has invitations switched off (no INVITATION_SECRET).', 422: 'The respondent was erased.', 429: 'More than 60 invitations from one caller in a minute, or too many failed authentications.' })
  async invite(
    @Param('organisationId') organisationId: string,
    @Param('respondentId') respondentId: string,
    @Body() dto: InviteRespondentDto,
    @CommandMeta() meta: CommandMetadata,
    @IfMatch() revision?: number,
  ) {
    assertIds({ organisationId, respondentId });
    const secret = this.config.auth.invitations?.secret;
    if (!secret) throw new ValidationFailed([{ field: 'INVITATION_SECRET', problem: 'invitations are off: the platform has no INVITATION_SECRET' }]);
    // Invitations are credentials: one caller issues at most 60 a minute.
    await this.limiter.enforce(`invite:${meta.actor}`, 60, 60, 'invitations');
    return this.respondents.invite(organisationId, respondentId, dto, (invitation, issuedAt) => mintInvitationToken(secret, invitation, { now: issuedAt }), meta, revision);
  }

  @Post(':respondentId/invitations/:invitationId/revocation')
  @HttpCode(200)
  @ApiIfMatch()
  @ApiOperation({ summary: "Revoke an invitation: its token is refused from the next request on" })
  @ApiResult(200, 'The invitation, revoked; the revision is the respondent\'s ETag.', RevokedInvitationResponseView)
  revokeInvitation(
    @Param('organisationId') organisationId: string,
    @Param('respondentId') respondentId: string,
    @Param('invitationId') invitationId: string,
    @Body() dto: RevokeInvitationDto,
    @CommandMeta() meta: CommandMetadata,
    @IfMatch() revision?: number,
  ) {
    assertIds({ organisationId, respondentId, invitationId });
    return this.respondents.revokeInvitation(organisationId, respondentId, invitationId, meta, revision);
  }

  @Post(':respondentId/erasure')
  @HttpCode(200)
  @ApiIfMatch()
  @ApiOperation({ summary: "Erase the person's personal data (AVG art. 17): the key is destroyed, the events stay" })
  @ApiResult(200, 'The erased respondent: no personal data any more.', RespondentView)
  @ApiProblems({ 422: 'The respondent was erased already.' })
  erase(@Param('organisationId') organisationId: string, @Param('respondentId') respondentId: string, @Body() dto: EraseRespondentDto, @CommandMeta() meta: CommandMetadata, @IfMatch() revision?: number) {
    assertIds({ organisationId, respondentId });
    return this.respondents.erase(organisationId, respondentId, meta, revision);
  }
}
