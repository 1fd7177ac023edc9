import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { CHECKPOINT_SEQUENCE } from '@maatlat/archive/domain';

/** A checkpoint's sequence number as a query or path gives it: digits only become a number (`1.0`, `1e1` stay text and are refused). */
const toSequence = ({ value }: { value: unknown }) => (typeof value === 'string' && CHECKPOINT_SEQUENCE.test(value) ? Number(value) : value);

export class ScoreProofQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, example: 1, description: "The checkpoint's sequence number; default the latest" })
  @IsOptional()
  @Transform(toSequence)
  @IsInt({ message: "checkpoint must be a checkpoint's sequence number (1, 2, ...)" })
  @Min(1, { message: "checkpoint must be a checkpoint's sequence number (1, 2, ...)" })
  checkpoint?: number;

  @ApiPropertyOptional({ enum: ['true', 'false'], description: "true: the proof carries the score event's data and metadata (often hundreds of kilobytes); default only its content hash" })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'withEvent must be true or false' })
  withEvent?: 'true' | 'false';
}

export class CheckpointListQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1000, default: 100, description: 'At most this many, newest first' })
  @IsOptional()
  @Transform(toSequence)
  @IsInt({ message: 'limit must be a whole number from 1 to 1000' })
  @Min(1, { message: 'limit must be a whole number from 1 to 1000' })
  @Max(1000, { message: 'limit must be a whole number from 1 to 1000' })
  limit?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'Only checkpoints before this sequence number: the next page after the last one read' })
  @IsOptional()
  @Transform(toSequence)
  @IsInt({ message: "before must be a checkpoint's sequence number (1, 2, ...)" })
  @Min(1, { message: "before must be a checkpoint's sequence number (1, 2, ...)" })
  before?: number;
}
