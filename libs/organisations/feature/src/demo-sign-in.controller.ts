import { Body, Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { mintLocalToken, Public, RerunOnReplay, type Role } from '@maatlat/access';
import type { AppConfig } from '@maatlat/shared/config';
import { APP_CONFIG } from '@maatlat/shared/tokens';
import { NotFound, ValidationFailed } from '@maatlat/shared/domain';
import { Organisations } from '@maatlat/organisations/data-access';
import { ApiProblems, ApiResult } from '@maatlat/shared/nest';
import { DemoPersonaView, DemoSessionDto, DemoSessionView, type Persona } from './demo-sign-in.dtos';

/** Enough organisations to show that each persona sees only their own, few enough to read. */
const ORGANISATIONS_OFFERED = 3;
const SESSION_SECONDS = 8 * 3600;

/**
 * Sign-in for demonstrations: with the local issuer on (LOCAL_ISSUER=on, never in production) the
 * web application offers personas to sign in as, and gets their tokens here. With it off, these
 * routes do not exist (404): a real platform signs people in with its OpenID Connect provider.
 */
@ApiTags('demo')
@Controller('demo')
export class DemoSignInController {
  constructor(
    private readonly organisations: Organisations,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private secret(): string {
    const secret = this.config.auth.local?.secret;
    if (!secret) throw new NotFound('demo sign-in', 'the local issuer is off');
    return secret;
  }

  @Get('personas')
  @Public()
  @ApiOperation({ summary: 'The personas of the demo platform: the administrator, and a coordinator, an auditor and a respondent of a few organisations (only with the local issuer on)' })
  @ApiResult(200, 'The personas.', [DemoPersonaView])
  @ApiProblems({ 404: 'The local issuer is off: sign in with the OpenID Connect provider.' })
  async personas(): Promise<Persona[]> {
    this.secret();
    const organisations = (await this.organisations.list()).slice(0, ORGANISATIONS_OFFERED);
    return [
      { role: 'platform-admin', organisationId: null, organisationName: null },
      ...organisations.flatMap((o) => (['coordinator', 'auditor', 'respondent'] as const).map((role) => ({ role, organisationId: o.organisationId, organisationName: o.name }))),
    ];
  }

  @Post('sessions')
  @Public()
  @HttpCode(201)
  @RerunOnReplay()
  @ApiOperation({ summary: 'Sign in as a demo persona: a token of the local issuer (only with the local issuer on)' })
  @ApiResult(201, 'The token.', DemoSessionView)
  @ApiProblems({ 404: 'The local issuer is off, or the organisation does not exist.' })
  async signIn(@Body() dto: DemoSessionDto): Promise<DemoSessionView> {
    const secret = this.secret();
    if (dto.role !== 'platform-admin' && !dto.organisationId) throw new ValidationFailed([{ field: 'organisationId', problem: `a ${dto.role} acts for an organisation: name it` }]);
    const organisations = dto.role === 'platform-admin' ? [] : [dto.organisationId!];
    if (organisations.length > 0) await this.organisations.get(organisations[0]); // 404 when there is no such organisation
    const now = new Date();
    const roles: Role[] = [dto.role];
    const token = await mintLocalToken(secret, { subject: `demo-${dto.role}`, roles, organisations }, { now, ttlSeconds: SESSION_SECONDS });
    return { token, expiresAt: new Date(now.getTime() + SESSION_SECONDS * 1000).toISOString() };
  }
}
