import { Controller, Get, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import type { Response } from 'express';
import { ApiExtraModels, ApiOperation, ApiResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { sql } from 'kysely';
import type IORedis from 'ioredis';
import type { Database } from '@maatlat/shared/database';
import { PostgresEventStore, projectionStatus, type Projection } from '@maatlat/shared/event-store';
import { pingRedis } from '@maatlat/shared/jobs';
import { DATABASE, PROJECTIONS, REDIS } from '@maatlat/shared/tokens';
import { API_VERSION_HEADER } from './api-version';
import { ApiResult } from './api-responses';
import { HealthIndicatorView, LivenessView, ReadinessView } from './health.views';
import { Public } from './public';

/** A projection further behind than this makes the process not ready (it still serves /health). */
export const MAX_READY_LAG = 10_000;

/** How long one readiness check may take: a load balancer asks often and must not wait. */
const READY_CHECK_MS = 1000;

@ApiTags('operations')
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly store: PostgresEventStore,
    @Inject(DATABASE) private readonly database: Database,
    @Inject(REDIS) private readonly redis: IORedis | null,
    @Inject(PROJECTIONS) private readonly projections: readonly Projection[],
  ) {}

  /** Liveness: the process answers. */
  @Public()
  @Get('health')
  @ApiOperation({ summary: 'Liveness: the process answers' })
  @ApiResult(200, 'The process is alive.', LivenessView)
  live() {
    return { status: 'ok' };
  }

  /**
   * Readiness: PostgreSQL and Redis (when configured) answer, and no projection lags too far behind the log. Each
   * check has a second at most, so a stuck database makes this say so at once rather than hang;
   * a 503 carries the same body as a 200, naming what is down.
   */
  @Public()
  @Get('ready')
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOperation({ summary: 'Readiness: PostgreSQL and Redis (when configured) answer and no projection lags too far behind' })
  @ApiExtraModels(HealthIndicatorView)
  @ApiResult(200, 'PostgreSQL and Redis answer and projections are caught up.', ReadinessView)
  // Not a problem: a load balancer's probe reads the same report whether the answer is 200 or 503.
  @ApiResponse({
    status: 503,
    description: 'A dependency is down or a projection lags; the body names which.',
    headers: { [API_VERSION_HEADER]: { $ref: '#/components/headers/API-Version' }, 'Retry-After': { $ref: '#/components/headers/Retry-After' } },
    content: { 'application/json': { schema: { $ref: getSchemaPath(ReadinessView) } } },
  })
  async ready(@Res({ passthrough: true }) response: Response) {
    try {
      return await this.health.check([
        () => this.checked('postgresql', async () => void (await sql`SELECT 1`.execute(this.database.db))),
        // Without Redis the jobs run from the outbox in PostgreSQL: nothing more to check.
        ...(this.redis ? [() => this.checked('redis', () => pingRedis(this.redis!, READY_CHECK_MS))] : []),
        () =>
          this.checked('projections', async () => {
            const statuses = await Promise.all(this.projections.map((p) => projectionStatus(this.database.db, this.store, p.name)));
            const lag = Object.fromEntries(statuses.map((s) => [s.name, s.lag]));
            if (statuses.some((s) => s.lag > MAX_READY_LAG)) return { down: { lag, maxLag: MAX_READY_LAG } };
            return { up: { lag } };
          }),
      ]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      response.status(503).setHeader('Retry-After', '2');
      return error.getResponse();
    }
  }

  /** Runs one check within READY_CHECK_MS; a failure or a timeout is "down" with the reason. */
  private async checked(name: string, run: () => Promise<void | { up?: Record<string, unknown>; down?: Record<string, unknown> }>) {
    const check = this.indicators.check(name);
    let timer: NodeJS.Timeout | undefined;
    try {
      const outcome = await Promise.race([
        run(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${READY_CHECK_MS} ms`)), READY_CHECK_MS);
        }),
      ]);
      if (outcome && outcome.down) return check.down(outcome.down);
      return check.up(outcome?.up);
    } catch (error) {
      return check.down({ message: (error as Error).message });
    } finally {
      clearTimeout(timer);
    }
  }
}
