import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { AsJson } from '@maatlat/shared/nest';
import type { ArchiveExportView as ArchiveExportResult } from './archive-exports.service';

const SHA256 = { pattern: '^[0-9a-f]{64}$', type: String, nullable: true } as const;

@ApiSchema({ name: 'ArchiveExport', description: "An archival export of an organisation's complete event history: queued, running, done (with the archive's size and SHA-256) or failed (with the reason)." })
export class ArchiveExportView implements AsJson<ArchiveExportResult> {
  @ApiProperty({ format: 'uuid' }) exportId!: string;
  @ApiProperty({ format: 'uuid' }) organisationId!: string;
  @ApiProperty({ enum: ['queued', 'running', 'done', 'failed'] }) status!: ArchiveExportResult['status'];
  @ApiProperty({ description: 'Who asked (pseudonymous subject).' }) requestedBy!: string;
  @ApiProperty({ example: 'P20Y', description: 'The retention (bewaartermijn, ISO 8601 duration) the MDTO records carry.' }) retention!: string;
  @ApiProperty({ ...SHA256, description: 'SHA-256 of the packed archive (.tar.gz) the file route returns, once done; recorded in the event ArchiveExported.' }) sha256!: string | null;
  @ApiProperty({ type: 'integer', minimum: 1, nullable: true, description: 'Size of the packed archive in bytes, once done.' }) bytes!: number | null;
  @ApiProperty({ ...SHA256, description: "SHA-256 of the archive's manifest.json, once done." }) manifestSha256!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why the export failed.' }) reason!: string | null;
}
