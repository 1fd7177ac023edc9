import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Allow, IsBase64, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { REPORT_AUDIENCES, REPORT_LANGUAGES, type ReportAudience, type ReportLanguage } from '@maatlat/reports/domain';

export class RequestReportDto {
  @ApiPropertyOptional({ enum: REPORT_LANGUAGES, default: 'nl', description: 'The language of the report.' })
  @IsOptional()
  @IsIn(REPORT_LANGUAGES, { message: `lang must be one of ${REPORT_LANGUAGES.join(', ')}` })
  lang?: ReportLanguage;

  @ApiPropertyOptional({ enum: REPORT_AUDIENCES, default: 'internal', description: 'public: the variant for publication (Woo), aggregates only.' })
  @IsOptional()
  @IsIn(REPORT_AUDIENCES, { message: `audience must be one of ${REPORT_AUDIENCES.join(', ')}` })
  audience?: ReportAudience;

  @ApiPropertyOptional({
    oneOf: [{ type: 'integer', minimum: 1 }, { type: 'string', format: 'uuid' }],
    description: 'The recorded score to print: a score event of the assessment by its stream version or event id (see /score-events); the latest when absent. Malformed or unknown: 400 naming scoreEvent.',
    example: 7,
  })
  @IsOptional()
  @Allow() // checked with lang and audience, as the HTML report's query is
  scoreEvent?: number | string;
}

export class VerifyReportDto {
  @ApiProperty({ description: 'The PDF file, base64-encoded (at most about 3.5 MB of PDF).', format: 'byte', maxLength: 4_800_000 })
  @IsString()
  @MaxLength(4_800_000)
  @IsBase64(undefined, { message: 'pdf must be the PDF file in base64' })
  pdf!: string;
}

/** `GET …/report`: the HTML report's options, the same as a PDF's; unknown parameters are refused. */
export class ReportQueryDto {
  @ApiPropertyOptional({ enum: REPORT_LANGUAGES, description: 'nl (default) or en; anything else: 400 naming lang' })
  @IsOptional()
  @IsIn(REPORT_LANGUAGES, { message: `lang must be one of ${REPORT_LANGUAGES.join(', ')}` })
  lang?: ReportLanguage;

  @ApiPropertyOptional({ enum: REPORT_AUDIENCES, description: 'internal (default) or public (aggregates only); anything else: 400 naming audience' })
  @IsOptional()
  @IsIn(REPORT_AUDIENCES, { message: `audience must be one of ${REPORT_AUDIENCES.join(', ')}` })
  audience?: ReportAudience;

  @ApiPropertyOptional({
    description:
      'The recorded score to report: a score event of the assessment by its stream version or event id (see /score-events); the latest when absent. Malformed or unknown: 400 naming scoreEvent. A score recalculated since says so and links the newer one.',
    example: '7',
  })
  @IsOptional()
  @Allow() // parsed with the PDF's by the reports service, which names scoreEvent when it is not a selector
  scoreEvent?: string;
}
