import { ApiProperty } from '@nestjs/swagger';
import { IsIn, Matches } from 'class-validator';
import { SCORING_ALGORITHMS } from '@maatlat/assessments/domain';

export class AlgorithmUpgradeDto {
  @ApiProperty({ example: 'datagedreven-overheid', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' }) @Matches(/^[a-z0-9]+(-[a-z0-9]+)*$/, { message: 'modelKey must be a model key' }) modelKey!: string;
  @ApiProperty({ example: '2026.1', pattern: '^\\d{4}\\.\\d+$' }) @Matches(/^\d{4}\.\d+$/, { message: 'modelVersion must be written YYYY.N' }) modelVersion!: string;
  @ApiProperty({ example: 'maatlat-scoring/v1', enum: Object.keys(SCORING_ALGORITHMS) })
  @IsIn(Object.keys(SCORING_ALGORITHMS), { message: `algorithm must be one of ${Object.keys(SCORING_ALGORITHMS).join(', ')}` })
  algorithm!: string;
}
