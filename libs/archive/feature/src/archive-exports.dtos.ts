import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { DEFAULT_RETENTION, RETENTION_PATTERN } from '@maatlat/archive/domain';

export class ArchiveExportRequestDto {
  @ApiPropertyOptional({ pattern: RETENTION_PATTERN.source, example: 'P20Y', description: `The retention (bewaartermijn) the MDTO records get, an ISO 8601 duration from the organisation's selection list; default ${DEFAULT_RETENTION}` })
  @IsOptional()
  @Matches(RETENTION_PATTERN, { message: 'retention must be an ISO 8601 duration such as P20Y, P10Y or P6M' })
  retention?: string;
}
