import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiProblems, ApiResult } from '@maatlat/shared/nest';
import { CurrentPrincipal, hasRole, Roles, type Principal } from '@maatlat/access';
import { Insights } from './insights.service';
import { parseTrendFilter } from './read-trends';
import { TrendsView } from './insights.dtos';

const FILTER_DOCS = {
  factor: 'Only this factor (unknown to the model: 422 naming factor)',
  modelKey: 'Only this model',
  fromPeriod: 'From this period on (e.g. 2025); after toPeriod: 400 naming fromPeriod',
  toPeriod: 'Up to this period',
};
const ApiTrendFilters = (names: (keyof typeof FILTER_DOCS)[]) => (target: object, key: string | symbol, descriptor: PropertyDescriptor) => {
  for (const name of names) ApiQuery({ name, required: false, description: FILTER_DOCS[name] })(target, key, descriptor);
};

/** Maturity over the years: an organisation's lines (its own, its units', a chain's) and a chain's. */
@ApiTags('insights')
@ApiBearerAuth()
@Roles('platform-admin', 'coordinator', 'auditor')
@Controller()
export class TrendsController {
  constructor(private readonly insights: Insights) {}

  @Get('organisations/:organisationId/trends')
  @ApiOperation({ summary: "The organisation's trend lines: per scope the score that stands for each closed assessment, on the model's newest version, with the change since the previous one" })
  @ApiQuery({ name: 'unitId', required: false, description: 'Only this unit' })
  @ApiQuery({ name: 'chainId', required: false, description: 'A chain the organisation takes part in, instead of its own lines' })
  @ApiTrendFilters(['factor', 'modelKey', 'fromPeriod', 'toPeriod'])
  @ApiResult(200, 'The figures asked for.', TrendsView)
  @ApiProblems({ 422: 'An unknown factor, or a period range that is reversed.' })
  organisation(@Param('organisationId') organisationId: string, @Query() query: Record<string, unknown>) {
    return this.insights.organisationTrends(organisationId, parseTrendFilter(query, ['unitId', 'chainId', 'factor', 'modelKey', 'fromPeriod', 'toPeriod']));
  }

  @Get('chains/:chainId/trends')
  @ApiOperation({ summary: "A chain's trend line, for the administrator and the chain's member organisations" })
  @ApiTrendFilters(['factor', 'modelKey', 'fromPeriod', 'toPeriod'])
  @ApiResult(200, 'The figures asked for.', TrendsView)
  @ApiProblems({ 422: 'An unknown factor, or a period range that is reversed.' })
  chain(@Param('chainId') chainId: string, @Query() query: Record<string, unknown>, @CurrentPrincipal() principal: Principal) {
    return this.insights.chainTrends(chainId, parseTrendFilter(query, ['factor', 'modelKey', 'fromPeriod', 'toPeriod']), {
      organisations: principal.organisations,
      administrator: hasRole(principal, 'platform-admin'),
    });
  }
}
