import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandMeta, Roles } from '@maatlat/access';
import { ApiProblems, ApiResult } from '@maatlat/shared/nest';
import { assertIds, type CommandMetadata } from '@maatlat/shared/domain';
import { Recalculations } from './assessments.service';
import { RecalculationView } from './assessment.views';
import { AlgorithmUpgradeDto } from './recalculation.dtos';

/** Recalculations: started by a model publication, or here by an algorithm upgrade; and their progress. */
@ApiTags('recalculations')
@ApiBearerAuth()
@Roles('platform-admin')
@Controller('recalculations')
export class RecalculationsController {
  constructor(private readonly recalculations: Recalculations) {}

  @Get()
  @ApiOperation({ summary: 'Recalculations, newest first' })
  @ApiResult(200, 'The newest recalculations (at most 100) with their progress.', [RecalculationView])
  list() {
    return this.recalculations.list();
  }

  @Post()
  @ApiOperation({ summary: 'Rescore the closed assessments of a model version with a scoring algorithm (an upgrade)' })
  @ApiResult(201, 'The recalculation, started once per algorithm and model version.', RecalculationView)
  @ApiProblems({ 404: 'The model version does not exist.' })
  async upgrade(@Body() dto: AlgorithmUpgradeDto, @CommandMeta() meta: CommandMetadata) {
    const version = { key: dto.modelKey, version: dto.modelVersion };
    const recalculationId = await this.recalculations.start({ kind: 'algorithm-upgrade', algorithm: dto.algorithm }, version, version, { ...meta, reason: `scoring algorithm ${dto.algorithm}` });
    return this.recalculations.progress(recalculationId);
  }

  @Get(':recalculationId')
  @ApiOperation({ summary: 'Total, done and failed (with reasons)' })
  @ApiResult(200, 'The recalculation and its progress.', RecalculationView)
  progress(@Param('recalculationId') recalculationId: string) {
    assertIds({ recalculationId });
    return this.recalculations.progress(recalculationId);
  }
}
