import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { assertActsFor, CurrentPrincipal, hasRole, Roles, type Principal } from '@maatlat/access';
import { assertIds, ENTITY_ID, Forbidden } from '@maatlat/shared/domain';
import { CorrelationId } from '@maatlat/shared/nest';
import { Chains } from '@maatlat/organisations/data-access';


export class FormChainDto {
  @ApiProperty({ example: 'Keten Werk en Inkomen' }) @IsString() @MinLength(1) @MaxLength(200) name!: string;
  @ApiProperty({ example: 'UWV, gemeenten en SVB rond re-integratie en uitkeringen' }) @IsString() @MaxLength(2000) description!: string;
}

export class ChainMemberDto {
  @ApiProperty() @Matches(ENTITY_ID, { message: 'organisationId must be an organisation id' }) organisationId!: string;
  @ApiProperty() @Matches(ENTITY_ID, { message: 'unitId must be a unit id' }) unitId!: string;
}

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
      throw new Forbidden('none of the caller\'s organisations takes part in this chain');
    }
    return chain;
  }

  @Post()
  @Roles('platform-admin')
  @ApiOperation({ summary: 'Form a chain' })
  form(@Body() dto: FormChainDto, @CurrentPrincipal() principal: Principal, @CorrelationId() correlationId: string) {
    return this.chains.form(dto, { now: new Date(), actor: principal.subject, correlationId });
  }

  @Get()
  @Roles('platform-admin', 'coordinator', 'auditor')
  @ApiOperation({ summary: "Chains: all for the administrator, otherwise those the caller's organisations take part in" })
  list(@CurrentPrincipal() principal: Principal) {
    return this.chains.list(hasRole(principal, 'platform-admin') ? undefined : principal.organisations);
  }

  @Get(':chainId')
  @Roles('platform-admin', 'coordinator', 'auditor')
  get(@Param('chainId') chainId: string, @CurrentPrincipal() principal: Principal) {
    return this.visible(principal, chainId);
  }

  @Post(':chainId/members')
  @Roles('platform-admin', 'coordinator')
  @ApiOperation({ summary: "Add a unit to the chain (a coordinator: a unit of their own organisation)" })
  addMember(@Param('chainId') chainId: string, @Body() dto: ChainMemberDto, @CurrentPrincipal() principal: Principal, @CorrelationId() correlationId: string) {
    assertIds({ chainId });
    assertActsFor(principal, dto.organisationId);
    return this.chains.addMember(chainId, dto, { now: new Date(), actor: principal.subject, correlationId, tenantId: dto.organisationId });
  }

  @Post(':chainId/members/remove')
  @HttpCode(200)
  @Roles('platform-admin', 'coordinator')
  @ApiOperation({ summary: 'Remove a unit from the chain' })
  removeMember(@Param('chainId') chainId: string, @Body() dto: ChainMemberDto, @CurrentPrincipal() principal: Principal, @CorrelationId() correlationId: string) {
    assertIds({ chainId });
    assertActsFor(principal, dto.organisationId);
    return this.chains.removeMember(chainId, dto, { now: new Date(), actor: principal.subject, correlationId, tenantId: dto.organisationId });
  }
}
