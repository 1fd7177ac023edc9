import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems, ApiResult } from '@maatlat/shared/nest';
import { CurrentPrincipal, hasRole, Roles, type Principal } from '@maatlat/access';
import { Insights } from './insights.service';
import { trendFilterOf } from './read-trends';
import { OrganisationTrendsQueryDto, TrendFilterQueryDto, TrendsView } from './insights.dtos';

/** Maturity over the years: an organisation's lines (its own, its units', a chain's) and a chain's. */
@ApiTags('insights')
@ApiBearerAuth()
@Roles('platform-admin', 'coordinator', 'auditor')
@Controller()
export class TrendsController {
  constructor(private readonly insights: Insights) {}

  @Get('organisations/:organisationId/trends')
  @ApiOperation({ summary: "The organisation's trend lines: per scope the score that stands for each closed assessment, on the model's newest version, with the change since the previous one" })
  @ApiResult(200, 'The figures asked for.', TrendsView)
  @ApiProblems({ 422: 'An unknown factor, or a period range that is reversed.' })
  organisation(@Param('organisationId') organisationId: string, @Query() query: OrganisationTrendsQueryDto) {
    return this.insights.organisationTrends(organisationId, trendFilterOf(query));
  }

  @Get('chains/:chainId/trends')
  @ApiOperation({ summary: "A chain's trend line, for the administrator and the chain's member organisations" })
  @ApiResult(200, 'The figures asked for.', TrendsView)
  @ApiProblems({ 422: 'An unknown factor, or a period range that is reversed.' })
  chain(@Param('chainId') chainId: string, @Query() query: TrendFilterQueryDto, @CurrentPrincipal() principal: Principal) {
    return this.insights.chainTrends(chainId, trendFilterOf(query), {
      organisations: principal.organisations,
      administrator: hasRole(principal, 'platform-admin'),
    });
  }
}
