import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@maatlat/access';
import { ValidationFailed } from '@maatlat/shared/domain';
import { Recalculations } from '@maatlat/assessments/data-access';
import type { Kysely } from 'kysely';
import type { DB } from '@maatlat/shared/database';
import { Inject } from '@nestjs/common';
import { RECALCULATIONS_DB } from './tokens';

/** Progress of recalculations, for the administrators who publish model versions. */
@ApiTags('recalculations')
@ApiBearerAuth()
@Roles('platform-admin')
@Controller('recalculations')
export class RecalculationsController {
  constructor(
    private readonly recalculations: Recalculations,
    @Inject(RECALCULATIONS_DB) private readonly db: Kysely<DB>,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Recalculations, newest first' })
  async list() {
    const rows = await this.db
      .selectFrom('streams')
      .select(['stream_id', 'created_at'])
      .where('category', '=', 'recalculation')
      .orderBy('created_at', 'desc')
      .limit(100)
      .execute();
    return Promise.all(rows.map((r) => this.recalculations.progress(r.stream_id.slice('recalculation-'.length))));
  }

  @Get(':recalculationId')
  @ApiOperation({ summary: 'Total, done and failed (with reasons)' })
  progress(@Param('recalculationId') recalculationId: string) {
    if (!/^[0-9a-z-]{1,64}$/.test(recalculationId)) throw new ValidationFailed([{ field: 'recalculationId', problem: 'must be a recalculation id' }]);
    return this.recalculations.progress(recalculationId);
  }
}
