import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ValidationFailed, type CommandMetadata } from '@maatlat/shared/domain';
import { ApiIfMatch, ApiProblems, ApiResult, IfMatch } from '@maatlat/shared/nest';
import { CommandMeta, CurrentPrincipal, hasRole, Roles, type Principal } from '@maatlat/access';
import { Insights } from './insights.service';
import { benchmarkQueryOf, editionOf } from './read-benchmarks';
import {
  BenchmarkPositionQueryDto,
  BenchmarkPositionView,
  BenchmarkQueryDto,
  BenchmarkVerificationView,
  BenchmarkView,
  PublishBenchmarkDto,
  PublishedBenchmarkView,
  VerifyBenchmarkQueryDto,
} from './insights.dtos';

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
  @ApiResult(200, 'The figures asked for; platform administrators also see how many are suppressed.', BenchmarkView)
  @ApiProblems({ 404: 'No such model, or no such published edition.', 422: 'A parameter names something the model does not have.' })
  benchmarks(@Query() query: BenchmarkQueryDto, @CurrentPrincipal() principal: Principal) {
    return this.insights.benchmarks(benchmarkQueryOf(query), { administrator: hasRole(principal, 'platform-admin') });
  }

  @Post('benchmarks/:period/publish')
  @HttpCode(200)
  @Roles('platform-admin')
  @ApiParam({ name: 'period', example: '2026' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retried request with the same key publishes nothing twice' })
  @ApiIfMatch()
  @ApiOperation({
    summary: 'Publish the benchmark of a model and period as it stands: an event freezing the score events that went in (ids and hashes) and the figures of every grouping',
    description: "The ETag is the revision of the model, period and level's publications (its latest edition's `version`); with it as If-Match, a new edition is published only if no other came since.",
  })
  @ApiResult(200, 'The edition published.', PublishedBenchmarkView)
  @ApiProblems({ 404: 'No such model.', 422: 'No organisation has a scored assessment of the model in the period.' })
  publish(@Param('period') period: string, @Body() dto: PublishBenchmarkDto, @CommandMeta() meta: CommandMetadata, @IfMatch() revision?: number) {
    checkPeriod(period);
    return this.insights.publishBenchmark({ modelKey: dto.modelKey, period, level: dto.level ?? 'organisation' }, meta, revision);
  }

  @Post('benchmarks/:period/verify')
  @HttpCode(200)
  @Roles('platform-admin')
  @ApiParam({ name: 'period', example: '2026' })
  @ApiOperation({ summary: 'Verify a published benchmark: recompute its frozen figures from the score events it cites, checking each one is still there with its id, hash and an intact chain' })
  @ApiResult(200, 'verified, or the differences: each cited event that no longer holds, and each figure that differs.', BenchmarkVerificationView)
  @ApiProblems({ 404: 'No such published edition.' })
  verify(@Param('period') period: string, @Query() query: VerifyBenchmarkQueryDto) {
    checkPeriod(period);
    return this.insights.verifyBenchmark({ modelKey: query.modelKey, period, level: query.level ?? 'organisation', edition: editionOf(query.edition ?? 'latest') });
  }

  @Get('organisations/:organisationId/benchmark-position')
  @Roles('platform-admin', 'coordinator', 'auditor')
  @ApiOperation({ summary: "The organisation's own comparable score beside its groups' bands, with its percentile rank where the group is shown" })
  @ApiResult(200, 'The figures asked for.', BenchmarkPositionView)
  @ApiProblems({ 404: 'No such model, or the organisation does not exist.', 422: 'A parameter names something the model does not have.' })
  position(@Param('organisationId') organisationId: string, @Query() query: BenchmarkPositionQueryDto) {
    return this.insights.benchmarkPosition(organisationId, { modelKey: query.modelKey, period: query.period });
  }
}
