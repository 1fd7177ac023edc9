import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { mintInvitationToken, PlatformCommandMeta, Public } from '@maatlat/access';
import type { AppConfig } from '@maatlat/shared/config';
import { APP_CONFIG } from '@maatlat/shared/tokens';
import { NotFound, ValidationFailed, type CommandMetadata } from '@maatlat/shared/domain';
import { ApiProblems, ApiResult } from '@maatlat/shared/nest';
import { Respondents } from '@maatlat/respondents/data-access';
import { Assessments } from './assessments.service';
import { DemoRespondentSessionDto, DemoRespondentSessionView } from './demo-respondent.dtos';

/**
 * The respondent persona of the demo sign-in: with the local issuer on (never in production), a
 * fresh demo respondent of the organisation is registered, invited to one of its open assessments
 * (at its first layer) and signed in with the invitation's token, as an invitation link would.
 * Everything is recorded as any invitation is, by the actor `demo-sign-in`.
 */
@ApiTags('demo')
@Controller('demo')
export class DemoRespondentController {
  constructor(
    private readonly assessments: Assessments,
    private readonly respondents: Respondents,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('respondent-sessions')
  @Public()
  @HttpCode(201)
  @ApiOperation({ summary: "Sign in as a demo respondent of an organisation: invited to its open assessment, with the invitation's token (only with the local issuer on)" })
  @ApiResult(201, 'The invitation token and the assessment it opens.', DemoRespondentSessionView)
  @ApiProblems({
    400: 'The organisation has no open assessment (or the one named is not open, or not its own), or the platform has no INVITATION_SECRET: naming the field.',
    404: 'The local issuer is off, or the organisation or assessment does not exist.',
  })
  async signIn(@Body() dto: DemoRespondentSessionDto, @PlatformCommandMeta('demo-sign-in') meta: CommandMetadata): Promise<DemoRespondentSessionView> {
    if (!this.config.auth.local?.secret) throw new NotFound('demo sign-in', 'the local issuer is off');
    const secret = this.config.auth.invitations?.secret;
    if (!secret) throw new ValidationFailed([{ field: 'INVITATION_SECRET', problem: 'invitations are off: the platform has no INVITATION_SECRET' }]);
    const assessmentId = dto.assessmentId ?? (await this.newestOpen(dto.organisationId));
    const assessment = await this.assessments.get(assessmentId);
    if (assessment.organisationId !== dto.organisationId) throw new ValidationFailed([{ field: 'assessmentId', problem: "must be one of the organisation's assessments" }]);
    if (assessment.status !== 'open') throw new ValidationFailed([{ field: 'assessmentId', problem: 'must be an open assessment' }]);
    const layer = assessment.layers[0];
    const { respondentId } = await this.respondents.register(dto.organisationId, { name: 'Demo respondent', email: 'demo-respondent@example.invalid' }, meta);
    await this.assessments.invite(assessmentId, respondentId, layer, meta);
    const invitation = await this.respondents.invite(dto.organisationId, respondentId, { assessmentId, layer }, (claim, issuedAt) => mintInvitationToken(secret, claim, { now: issuedAt }), meta);
    return { token: invitation.token, expiresAt: invitation.expiresAt, assessmentId, layer, respondentId };
  }

  /** The organisation's most recently opened open assessment (from the assessments read model). */
  private async newestOpen(organisationId: string): Promise<string> {
    const open = (await this.assessments.ofOrganisation(organisationId)).filter((a) => a.status === 'open').sort((a, b) => String(b.openedAt).localeCompare(String(a.openedAt)));
    if (open.length === 0) throw new ValidationFailed([{ field: 'organisationId', problem: 'the organisation has no open assessment: a coordinator opens one first' }]);
    return open[0].assessmentId;
  }
}
