import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';

@ApiSchema({ name: 'Liveness', description: 'The process answers.' })
export class LivenessView {
  @ApiProperty({ enum: ['ok'] }) status!: 'ok';
}

@ApiSchema({ name: 'HealthIndicator', description: 'One dependency as the readiness check found it.' })
export class HealthIndicatorView {
  @ApiProperty({ enum: ['up', 'down'] }) status!: 'up' | 'down';
  @ApiPropertyOptional({ description: 'Why it is down (an error, or no answer within a second).' }) message?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'integer', minimum: 0 }, description: 'Projections only: events each is behind the log.' }) lag?: Record<string, number>;
  @ApiPropertyOptional({ type: 'integer', description: 'Projections only, when down: the lag allowed.' }) maxLag?: number;
}

const INDICATORS = { type: 'object', additionalProperties: { $ref: '#/components/schemas/HealthIndicator' } } as const;

@ApiSchema({ name: 'Readiness', description: 'PostgreSQL, Redis and the projections, each up or down (the body of a 503 too).' })
export class ReadinessView {
  @ApiProperty({ enum: ['ok', 'error', 'shutting_down'] }) status!: 'ok' | 'error' | 'shutting_down';
  @ApiPropertyOptional({ ...INDICATORS, description: 'The dependencies that are up.' }) info?: Record<string, HealthIndicatorView>;
  @ApiPropertyOptional({ ...INDICATORS, description: 'The dependencies that are down.' }) error?: Record<string, HealthIndicatorView>;
  @ApiProperty({ ...INDICATORS, description: 'Every dependency.' }) details!: Record<string, HealthIndicatorView>;
}
