import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ValidationFailed, type CommandMetadata } from '@maatlat/shared/domain';
import { ApiProblems, ApiResult } from '@maatlat/shared/nest';
import { CommandMeta, CurrentPrincipal, hasRole, Roles, type Principal } from '@maatlat/access';
import { Insights } from './insights.service';
import { parseBenchmarkQuery } from './read-benchmarks';
import { BenchmarkPositionView, BenchmarkVerificationView, BenchmarkView, PublishBenchmarkDto, PublishedBenchmarkView } from './insights.dtos';

const PERIOD = /^\d{4}(-[A-Za-z0-9]{1,8})?$/;

function checkPeriod(period: string): void {
  if (!PERIOD.test(period)) throw new ValidationFailed([{ field: 'period', problem: 'must be a period such as 2026 or 2026-Q3' }]);
}

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
  @ApiQuery({ name: 'minGroup', required: false, description: "A stricter k for this read (never below the platform's: 400 naming minGroup)" })
  @ApiQuery({ name: 'published', required: false, description: 'latest, or an edition number: the figures frozen when that edition was published, instead of the live ones' })
  @ApiResult(200, 'The figures asked for; platform administrators also see how many are suppressed.', BenchmarkView)
  @ApiProblems({ 404: 'No such model, or no such published edition.', 422: 'A parameter names something the model does not have.' })
  benchmarks(@Query() query: Record<string, unknown>, @CurrentPrincipal() principal: Principal) {
    return this.insights.benchmarks(parseBenchmarkQuery(query), { administrator: hasRole(principal, 'platform-admin') });
  }

  @Post('benchmarks/:period/publish')
  @HttpCode(200)
  @Roles('platform-admin')
  @ApiParam({ name: 'period', example: '2026' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retried request with the same key publishes nothing twice' })
  @ApiOperation({ summary: 'Publish the benchmark of a model and period as it stands: an event freezing the score events that went in (ids and hashes) and the figures of every grouping' })
  @ApiResult(200, 'The edition published.', PublishedBenchmarkView)
  @ApiProblems({ 404: 'No such model.', 422: 'No organisation has a scored assessment of the model in the period.' })
  publish(@Param('period') period: string, @Body() dto: PublishBenchmarkDto, @CommandMeta() meta: CommandMetadata) {
    checkPeriod(period);
    return this.insights.publishBenchmark({ modelKey: dto.modelKey, period, level: dto.level ?? 'organisation' }, meta);
  }

  @Post('benchmarks/:period/verify')
  @HttpCode(200)
  @Roles('platform-admin')
  @ApiParam({ name: 'period', example: '2026' })
  @ApiQuery({ name: 'modelKey', required: true })
  @ApiQuery({ name: 'level', required: false, enum: ['organisation', 'unit'], description: 'Default organisation' })
  @ApiQuery({ name: 'edition', required: false, description: 'latest (the default) or an edition number' })
  @ApiOperation({ summary: 'Verify a published benchmark: recompute its frozen figures from the score events it cites, checking each one is still there with its id, hash and an intact chain' })
  @ApiResult(200, 'verified, or the differences: each cited event that no longer holds, and each figure that differs.', BenchmarkVerificationView)
  @ApiProblems({ 404: 'No such published edition.' })
  verify(@Param('period') period: string, @Query() query: Record<string, unknown>) {
    checkPeriod(period);
    const { edition = 'latest', ...rest } = query;
    const parsed = parseBenchmarkQuery({ ...rest, period }, true);
    if (typeof edition !== 'string' || !/^(latest|[1-9]\d{0,5})$/.test(edition)) throw new ValidationFailed([{ field: 'edition', problem: 'must be latest or an edition number' }]);
    return this.insights.verifyBenchmark({ modelKey: parsed.modelKey, period, level: parsed.level, edition: edition === 'latest' ? 'latest' : Number(edition) });
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
