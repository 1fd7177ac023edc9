import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { assertActsFor, CommandMeta, CurrentPrincipal, hasRole, Roles, type Principal } from '@maatlat/access';
import { assertIds, Forbidden, type CommandMetadata } from '@maatlat/shared/domain';
import { ApiIfMatch, ApiResult, IfMatch } from '@maatlat/shared/nest';
import { Chains } from '@maatlat/organisations/data-access';
import { ChainMemberDto, FormChainDto } from './chain.dtos';
import { ChainSummaryView, ChainView } from './organisation.views';

/**
 * Chains: the platform administrator forms them; a coordinator adds or removes units of their own
 * organisation; members' coordinators and auditors (and the administrator) can see a chain.
 */
@ApiTags('chains')
@ApiBearerAuth()
@Controller('chains')
export class ChainsController {
  constructor(private readonly chains: Chains) {}

  private async visible(principal: Principal, chainId: string) {
    assertIds({ chainId });
    const chain = await this.chains.get(chainId);
    if (!hasRole(principal, 'platform-admin') && !chain.members.some((m) => principal.organisations.includes(m.organisationId))) {
      throw new Forbidden("none of the caller's organisations takes part in this chain");
    }
    return chain;
  }

  @Post()
  @Roles('platform-admin')
  @ApiOperation({ summary: 'Form a chain' })
  @ApiResult(201, 'The chain; its revision is the ETag.', ChainView)
  form(@Body() dto: FormChainDto, @CommandMeta() meta: CommandMetadata) {
    return this.chains.form(dto, meta);
  }

  @Get()
  @Roles('platform-admin', 'coordinator', 'auditor')
  @ApiOperation({ summary: "Chains: all for the administrator, otherwise those the caller's organisations take part in" })
  @ApiResult(200, 'The chains, by name.', [ChainSummaryView])
  list(@CurrentPrincipal() principal: Principal) {
    return this.chains.list(hasRole(principal, 'platform-admin') ? undefined : principal.organisations);
  }

  @Get(':chainId')
  @Roles('platform-admin', 'coordinator', 'auditor')
  @ApiOperation({ summary: 'One chain with its members; its revision is the ETag' })
  @ApiResult(200, 'The chain.', ChainView)
  get(@Param('chainId') chainId: string, @CurrentPrincipal() principal: Principal) {
    return this.visible(principal, chainId);
  }

  @Post(':chainId/members')
  @Roles('platform-admin', 'coordinator')
  @ApiIfMatch()
  @ApiOperation({ summary: 'Add a unit to the chain (a coordinator: a unit of their own organisation)' })
  @ApiResult(201, 'The chain with its new member.', ChainView)
  addMember(@Param('chainId') chainId: string, @Body() dto: ChainMemberDto, @CurrentPrincipal() principal: Principal, @CommandMeta() meta: CommandMetadata, @IfMatch() revision?: number) {
    assertIds({ chainId });
    assertActsFor(principal, dto.organisationId);
    return this.chains.addMember(chainId, dto, { ...meta, tenantId: dto.organisationId }, revision);
  }

  @Post(':chainId/members/remove')
  @HttpCode(200)
  @Roles('platform-admin', 'coordinator')
  @ApiIfMatch()
  @ApiOperation({ summary: 'Remove a unit from the chain' })
  @ApiResult(200, 'The chain without the member.', ChainView)
  removeMember(@Param('chainId') chainId: string, @Body() dto: ChainMemberDto, @CurrentPrincipal() principal: Principal, @CommandMeta() meta: CommandMetadata, @IfMatch() revision?: number) {
    assertIds({ chainId });
    assertActsFor(principal, dto.organisationId);
    return this.chains.removeMember(chainId, dto, { ...meta, tenantId: dto.organisationId }, revision);
  }
}
