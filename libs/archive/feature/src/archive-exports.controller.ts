import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { assertActsFor, CommandMeta, CurrentPrincipal, Roles, type Principal } from '@maatlat/access';
import { assertIds, type CommandMetadata } from '@maatlat/shared/domain';
import { API_PATH_PREFIX, ApiProblems, ApiResult } from '@maatlat/shared/nest';
import { ArchiveExports, archiveFolderOf } from './archive-exports.service';
import { ArchiveExportRequestDto } from './archive-exports.dtos';
import { ArchiveExportView } from './archive-exports.views';

const EXPORT_ROLES = ['platform-admin', 'coordinator', 'auditor'] as const;

/**
 * An organisation's archival export as a background job, for its coordinators and auditors (and
 * the administrator): asked for, polled, then fetched as one .tar.gz that `cli archive verify`
 * checks offline once unpacked.
 */
@ApiTags('archive exports')
@ApiBearerAuth()
@Controller('organisations/:organisationId/archive-exports')
export class ArchiveExportsController {
  constructor(private readonly exports: ArchiveExports) {}

  /** The caller acts for the organisation (403 whatever else the path says), then the ids are checked. */
  private scoped(principal: Principal, ids: Record<string, string> & { organisationId: string }): void {
    assertIds({ organisationId: ids.organisationId });
    assertActsFor(principal, ids.organisationId);
    assertIds(ids);
  }

  @Post()
  @HttpCode(202)
  @Roles(...EXPORT_ROLES)
  @ApiOperation({ summary: "Ask for an archival export of the organisation's complete event history: written and packed by a background job; the Location header is its status" })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retried request with the same key asks for nothing twice' })
  @ApiResult(202, 'The export, queued; Location: its status URL.', ArchiveExportView)
  async request(
    @Param('organisationId') organisationId: string,
    @Body() dto: ArchiveExportRequestDto,
    @CurrentPrincipal() principal: Principal,
    @CommandMeta() meta: CommandMetadata,
    @Res({ passthrough: true }) response: Response,
  ) {
    this.scoped(principal, { organisationId });
    const view = await this.exports.request(organisationId, meta, { retention: dto.retention });
    response.setHeader('Location', `/${API_PATH_PREFIX}/organisations/${organisationId}/archive-exports/${view.exportId}`);
    return view;
  }

  @Get(':exportId')
  @Roles(...EXPORT_ROLES)
  @ApiOperation({ summary: 'One archival export: queued, running, done (with the size and SHA-256 of the archive) or failed (with the reason)' })
  @ApiResult(200, 'The export.', ArchiveExportView)
  get(@Param('organisationId') organisationId: string, @Param('exportId') exportId: string, @CurrentPrincipal() principal: Principal) {
    this.scoped(principal, { organisationId, exportId });
    return this.exports.get(organisationId, exportId);
  }

  @Get(':exportId/file')
  @Roles(...EXPORT_ROLES)
  @ApiOperation({ summary: 'The archive of an export that is done: one .tar.gz of the directory `archive export` writes (`tar -xzf`, then `cli archive verify` on the folder it makes)' })
  @ApiProduces('application/gzip')
  @ApiResponse({ status: 200, description: 'The archive; its SHA-256 is in the header X-Archive-Sha256 and in the export.', content: { 'application/gzip': { schema: { type: 'string', format: 'binary' } } } })
  @ApiProblems({ 422: 'The export is not done (code archive-export.not-ready).' })
  async file(@Param('organisationId') organisationId: string, @Param('exportId') exportId: string, @CurrentPrincipal() principal: Principal, @Res() response: Response) {
    this.scoped(principal, { organisationId, exportId });
    const { archive, export: view } = await this.exports.file(organisationId, exportId);
    response
      .status(200)
      .type('application/gzip')
      .setHeader('Content-Disposition', `attachment; filename="${archiveFolderOf(organisationId)}-${exportId}.tar.gz"`)
      .setHeader('X-Archive-Sha256', view.sha256 ?? '')
      .setHeader('Cache-Control', 'private, no-store')
      .send(archive);
  }
}
