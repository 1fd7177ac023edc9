import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn, Matches } from 'class-validator';
import { CurrentPrincipal, type Principal } from '@maatlat/access';
import { CorrelationId } from '@maatlat/shared/nest';
import { SCORING_ALGORITHMS } from '@maatlat/assessments/domain';
import { Roles } from '@maatlat/access';
import { assertIds } from '@maatlat/shared/domain';
import { Recalculations } from './assessments.service';

export class AlgorithmUpgradeDto {
  @ApiProperty({ example: 'datagedreven-overheid' }) @Matches(/^[a-z0-9]+(-[a-z0-9]+)*$/, { message: 'modelKey must be a model key' }) modelKey!: string;
  @ApiProperty({ example: '2026.1' }) @Matches(/^\d{4}\.\d+$/, { message: 'modelVersion must be written YYYY.N' }) modelVersion!: string;
  @ApiProperty({ example: 'maatlat-scoring/v1' }) @IsIn(Object.keys(SCORING_ALGORITHMS), { message: `algorithm must be one of ${Object.keys(SCORING_ALGORITHMS).join(', ')}` }) algorithm!: string;
}

/** Recalculations: started by a model publication, or here by an algorithm upgrade; and their progress. */
@ApiTags('recalculations')
@ApiBearerAuth()
@Roles('platform-admin')
@Controller('recalculations')
export class RecalculationsController {
  constructor(private readonly recalculations: Recalculations) {}

  @Get()
  @ApiOperation({ summary: 'Recalculations, newest first' })
  list() {
    return this.recalculations.list();
  }

  @Post()
  @ApiOperation({ summary: 'Rescore the closed assessments of a model version with a scoring algorithm (an upgrade)' })
  async upgrade(@Body() dto: AlgorithmUpgradeDto, @CurrentPrincipal() principal: Principal, @CorrelationId() correlationId: string) {
    const version = { key: dto.modelKey, version: dto.modelVersion };
    const recalculationId = await this.recalculations.start({ kind: 'algorithm-upgrade', algorithm: dto.algorithm }, version, version, {
      now: new Date(),
      actor: principal.subject,
      correlationId,
      reason: `scoring algorithm ${dto.algorithm}`,
    });
    return this.recalculations.progress(recalculationId);
  }

  @Get(':recalculationId')
  @ApiOperation({ summary: 'Total, done and failed (with reasons)' })
  progress(@Param('recalculationId') recalculationId: string) {
    assertIds({ recalculationId });
    return this.recalculations.progress(recalculationId);
  }
}
