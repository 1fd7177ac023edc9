import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiProblems, ApiResult } from '@maatlat/shared/nest';
import { Roles } from '@maatlat/access';
import { Insights } from './insights.service';
import { parseBenchmarkQuery } from './read-benchmarks';
import { BenchmarkPositionView, BenchmarkView } from './insights.dtos';

/** Maturity against peers: aggregates only, never below k distinct organisations. */
@ApiTags('insights')
@ApiBearerAuth()
@Controller()
export class BenchmarksController {
  constructor(private readonly insights: Insights) {}

  @Get('benchmarks')
  @Roles('benchmark-reader', 'platform-admin', 'coordinator', 'auditor')
  @ApiOperation({ summary: 'Benchmark of a model and period by peer group: count of organisations and p10, p25, p50, p75, p90 (type 7) per factor and overall; small or differencing groups suppressed' })
  @ApiQuery({ name: 'modelKey', required: true })
  @ApiQuery({ name: 'period', required: true, example: '2026' })
  @ApiQuery({ name: 'groupBy', required: false, enum: ['organisationType', 'sizeBand', 'all'], description: 'Default all' })
  @ApiQuery({ name: 'level', required: false, enum: ['organisation', 'unit'], description: 'Default organisation; unit counts each organisation once (the mean of its units)' })
  @ApiResult(200, 'The figures asked for.', BenchmarkView)
  @ApiProblems({ 404: 'No such model, or the organisation does not exist.', 422: 'A parameter names something the model does not have.' })
  benchmarks(@Query() query: Record<string, unknown>) {
    return this.insights.benchmarks(parseBenchmarkQuery(query));
  }

  @Get('organisations/:organisationId/benchmark-position')
  @Roles('platform-admin', 'coordinator', 'auditor')
  @ApiOperation({ summary: "The organisation's own comparable score beside its groups' bands, with its percentile rank where the group is shown" })
  @ApiQuery({ name: 'modelKey', required: true })
  @ApiQuery({ name: 'period', required: true, example: '2026' })
  @ApiResult(200, 'The figures asked for.', BenchmarkPositionView)
  @ApiProblems({ 404: 'No such model, or the organisation does not exist.', 422: 'A parameter names something the model does not have.' })
  position(@Param('organisationId') organisationId: string, @Query() query: Record<string, unknown>) {
    return this.insights.benchmarkPosition(organisationId, parseBenchmarkQuery(query, false));
  }
}
