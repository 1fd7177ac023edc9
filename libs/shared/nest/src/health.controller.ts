import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { sql } from 'kysely';
import type IORedis from 'ioredis';
import type { Database } from '@maatlat/shared/database';
import { PostgresEventStore, projectionStatus, type Projection } from '@maatlat/shared/event-store';
import { pingRedis } from '@maatlat/shared/jobs';
import { DATABASE, PROJECTIONS, REDIS } from '@maatlat/shared/tokens';
import { Public } from './public';

/** A projection further behind than this makes the process not ready (it still serves /health). */
export const MAX_READY_LAG = 10_000;

@ApiTags('operations')
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly store: PostgresEventStore,
    @Inject(DATABASE) private readonly database: Database,
    @Inject(REDIS) private readonly redis: IORedis,
    @Inject(PROJECTIONS) private readonly projections: readonly Projection[],
  ) {}

  /** Liveness: the process answers. */
  @Public()
  @Get('health')
  @ApiOkResponse({ description: 'The process is alive.' })
  live() {
    return { status: 'ok' };
  }

  /** Readiness: PostgreSQL and Redis answer, and no projection lags too far behind the log. */
  @Public()
  @Get('ready')
  @HealthCheck()
  @ApiOkResponse({ description: 'PostgreSQL and Redis answer and projections are caught up.' })
  @ApiServiceUnavailableResponse({ description: 'A dependency is down or a projection lags.' })
  ready() {
    return this.health.check([
      async () => {
        const check = this.indicators.check('postgresql');
        try {
          await sql`SELECT 1`.execute(this.database.db);
          return check.up();
        } catch (error) {
          return check.down({ message: (error as Error).message });
        }
      },
      async () => {
        const check = this.indicators.check('redis');
        try {
          await pingRedis(this.redis);
          return check.up();
        } catch (error) {
          return check.down({ message: (error as Error).message });
        }
      },
      async () => {
        const check = this.indicators.check('projections');
        const statuses = await Promise.all(this.projections.map((p) => projectionStatus(this.database.db, this.store, p.name)));
        const lag = Object.fromEntries(statuses.map((s) => [s.name, s.lag]));
        return statuses.every((s) => s.lag <= MAX_READY_LAG) ? check.up({ lag }) : check.down({ lag, maxLag: MAX_READY_LAG });
      },
    ]);
  }
}
