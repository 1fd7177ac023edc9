import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { AsJson } from '@maatlat/shared/nest';
import type { ReportVerification, ReportView as ReportResult } from './report-pdfs';

const SHA256 = { pattern: '^[0-9a-f]{64}$' } as const;

@ApiSchema({ name: 'ReportSource', description: 'The score event a report was drawn from: its stream, version, id and hash.' })
export class ReportSourceView {
  @ApiProperty({ example: 'assessment-0192c6c4-5d1e-7a4e-9b0a-3f1e2d3c4b5a' }) streamId!: string;
  @ApiProperty({ type: 'integer', minimum: 1 }) version!: number;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty(SHA256) hash!: string;
}

@ApiSchema({ name: 'Report', description: 'A requested PDF report: queued, done (with its SHA-256) or failed (with the reason).' })
export class ReportView implements AsJson<ReportResult> {
  @ApiProperty({ format: 'uuid' }) reportId!: string;
  @ApiProperty({ format: 'uuid' }) assessmentId!: string;
  @ApiProperty({ enum: ['nl', 'en'] }) lang!: ReportResult['lang'];
  @ApiProperty({ enum: ['internal', 'public'] }) audience!: ReportResult['audience'];
  @ApiProperty({ enum: ['queued', 'done', 'failed'] }) status!: ReportResult['status'];
  @ApiProperty({ description: 'Who asked (pseudonymous subject).' }) requestedBy!: string;
  @ApiProperty({ type: 'integer', minimum: 1, nullable: true, description: 'The stream version of the score event asked for (scoreEvent); null: the latest score when printed.' }) scoreEvent!: number | null;
  @ApiProperty({ ...SHA256, type: String, nullable: true }) pdfSha256!: string | null;
  @ApiProperty({ type: ReportSourceView, nullable: true }) source!: ReportSourceView | null;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
}

@ApiSchema({ name: 'IssuedReport', description: 'A report the platform issued, with when and by what it was issued.' })
export class IssuedReportView extends ReportView {
  @ApiProperty({ format: 'date-time' }) issuedAt!: string;
  @ApiProperty() issuedBy!: string;
}

@ApiSchema({ name: 'LaterScoreEvent', description: 'A score recorded after the one the report was drawn from.' })
export class LaterScoreEventView {
  @ApiProperty({ type: 'integer', minimum: 1 }) version!: number;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty() type!: string;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
}

@ApiSchema({ name: 'ReportVerification', description: 'Whether the platform issued this PDF: its SHA-256 against the ReportGenerated events.' })
export class ReportVerificationView implements AsJson<ReportVerification> {
  @ApiProperty() valid!: boolean;
  @ApiProperty(SHA256) sha256!: string;
  @ApiProperty({ type: IssuedReportView, nullable: true }) report!: IssuedReportView | null;
  @ApiProperty({ type: LaterScoreEventView, nullable: true, description: 'Set when the score was recalculated after the report: make a new one.' }) supersededBy!: LaterScoreEventView | null;
}
