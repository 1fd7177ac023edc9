import { Body, Controller, ForbiddenException, Get, Header, HttpCode, Param, Post, Query, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CommandMeta, CurrentPrincipal, hasRole, Roles, type Principal } from '@maatlat/access';
import { assertIds, NotFound, type CommandMetadata } from '@maatlat/shared/domain';
import { ApiProblems, ApiResult } from '@maatlat/shared/nest';
import type { ReportAudience } from '@maatlat/reports/domain';
import { Reports } from './reports.service';
import { ReportQueryDto, RequestReportDto, VerifyReportDto } from './reports.dtos';
import { ReportVerificationView, ReportView } from './reports.views';

const REPORT_ROLES = ['platform-admin', 'coordinator', 'auditor', 'benchmark-reader'] as const;

/**
 * Reports of an assessment. Coordinators and auditors of its organisation (and the administrator)
 * get either variant; a benchmark reader only the public one, of any organisation: it holds
 * aggregates only, made for publication.
 */
@ApiTags('reports')
@ApiBearerAuth()
@Controller()
export class ReportsController {
  constructor(private readonly reports: Reports) {}

  /** An unknown assessment looks like another organisation's from outside; a database fault stays a 503. */
  private organisationOf(assessmentId: string): Promise<string | null> {
    return this.reports.organisationOf(assessmentId).catch((error: unknown) => {
      if (error instanceof NotFound) return null;
      throw error;
    });
  }

  /** The administrator, or a coordinator or auditor of the assessment's organisation (an unknown assessment: no one). */
  private async isMember(principal: Principal, assessmentId: string): Promise<boolean> {
    if (hasRole(principal, 'platform-admin')) return true;
    if (!hasRole(principal, 'coordinator') && !hasRole(principal, 'auditor')) return false;
    const organisationId = await this.organisationOf(assessmentId);
    return organisationId !== null && principal.organisations.includes(organisationId);
  }

  private async allow(principal: Principal, assessmentId: string, audience: ReportAudience): Promise<void> {
    assertIds({ assessmentId });
    if (await this.isMember(principal, assessmentId)) return;
    const known = (await this.organisationOf(assessmentId)) !== null;
    if (audience === 'public' && hasRole(principal, 'benchmark-reader') && known) return;
    throw new ForbiddenException(audience === 'public' ? "this assessment is not one of the caller's organisations" : 'the internal report is for the organisation\'s coordinators and auditors; a benchmark reader gets audience=public');
  }

  @Get('assessments/:assessmentId/report')
  @Roles(...REPORT_ROLES)
  @ApiOperation({ summary: 'The report of a closed assessment as one self-contained, printable HTML document (inline CSS and SVG charts)' })
  @ApiProduces('text/html')
  @ApiResponse({ status: 200, description: 'The report.', content: { 'text/html': { schema: { type: 'string' } } } })
  @ApiProblems({ 422: 'The assessment is still open (code report.assessment-open, naming assessmentId).' })
  @Header('Cache-Control', 'private, no-store')
  async html(@Param('assessmentId') assessmentId: string, @Query() query: ReportQueryDto, @CurrentPrincipal() principal: Principal, @Res() response: Response) {
    const options = this.reports.parseOptions({ lang: query.lang, audience: query.audience, scoreEvent: query.scoreEvent });
    await this.allow(principal, assessmentId, options.audience);
    const { html } = await this.reports.html(assessmentId, options);
    response.status(200).type('text/html; charset=utf-8').send(html);
  }

  @Post('assessments/:assessmentId/reports')
  @HttpCode(202)
  @Roles(...REPORT_ROLES)
  @ApiOperation({ summary: 'Ask for a PDF of the report: printed by a background job; poll the report for its status, then fetch the file' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retried request with the same key asks for nothing twice' })
  @ApiResult(202, 'The report, queued.', ReportView)
  @ApiProblems({ 422: 'The assessment is still open (code report.assessment-open, naming assessmentId).' })
  async request(@Param('assessmentId') assessmentId: string, @Body() dto: RequestReportDto, @CurrentPrincipal() principal: Principal, @CommandMeta() meta: CommandMetadata) {
    const options = this.reports.parseOptions({ lang: dto.lang, audience: dto.audience, scoreEvent: dto.scoreEvent });
    await this.allow(principal, assessmentId, options.audience);
    const unavailable = this.reports.pdfUnavailable();
    if (unavailable) throw new ServiceUnavailableException({ code: 'reports.pdf-unavailable', message: `PDF reports are unavailable: ${unavailable}` });
    return this.reports.request(assessmentId, options, meta);
  }

  @Get('assessments/:assessmentId/reports')
  @Roles('platform-admin', 'coordinator', 'auditor')
  @ApiOperation({ summary: 'The PDF reports asked for of this assessment, with their status and hashes' })
  @ApiResult(200, 'The reports.', [ReportView])
  async list(@Param('assessmentId') assessmentId: string, @CurrentPrincipal() principal: Principal) {
    await this.allow(principal, assessmentId, 'internal');
    return this.reports.list(assessmentId);
  }

  @Get('assessments/:assessmentId/reports/:reportId')
  @Roles(...REPORT_ROLES)
  @ApiOperation({ summary: 'One PDF report: queued, done (with its SHA-256 and the score event it was drawn from) or failed (with the reason)' })
  @ApiResult(200, 'The report.', ReportView)
  async get(@Param('assessmentId') assessmentId: string, @Param('reportId') reportId: string, @CurrentPrincipal() principal: Principal) {
    return this.visibleReport(principal, assessmentId, reportId);
  }

  /** A report the caller may see: any of its organisation's, or (a benchmark reader) a public one; else 403, whatever the ids. */
  private async visibleReport(principal: Principal, assessmentId: string, reportId: string) {
    assertIds({ assessmentId });
    if (await this.isMember(principal, assessmentId)) {
      assertIds({ reportId });
      return this.reports.get(assessmentId, reportId);
    }
    const report = hasRole(principal, 'benchmark-reader') ? await this.reports.get(assessmentId, reportId).catch(() => null) : null;
    if (!report || report.audience !== 'public') throw new ForbiddenException("this report is not one the caller may see");
    return report;
  }

  @Get('assessments/:assessmentId/reports/:reportId/pdf')
  @Roles(...REPORT_ROLES)
  @ApiOperation({ summary: 'The PDF file of a report that is done' })
  @ApiProduces('application/pdf')
  @ApiResponse({ status: 200, description: 'The PDF; its SHA-256 is in the Digest-like header X-Report-Sha256.', content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } })
  @ApiProblems({ 422: 'The report is not done (code report.not-ready).' })
  async pdf(@Param('assessmentId') assessmentId: string, @Param('reportId') reportId: string, @CurrentPrincipal() principal: Principal, @Res() response: Response) {
    const report = await this.visibleReport(principal, assessmentId, reportId);
    const { pdf } = await this.reports.pdf(assessmentId, reportId);
    response
      .status(200)
      .type('application/pdf')
      .setHeader('Content-Disposition', `attachment; filename="report-${reportId}.pdf"`)
      .setHeader('X-Report-Sha256', report.pdfSha256 ?? '')
      .setHeader('Cache-Control', 'private, no-store')
      .send(pdf);
  }

  @Post('reports/verify')
  @HttpCode(200)
  @Roles(...REPORT_ROLES)
  @ApiOperation({ summary: 'Check a PDF: valid when its SHA-256 is one the platform recorded on issuing it (ReportGenerated); says when its score was recalculated since' })
  @ApiResult(200, 'Whether the platform issued this file.', ReportVerificationView)
  async verify(@Body() dto: VerifyReportDto) {
    return this.reports.verify(Buffer.from(dto.pdf, 'base64'));
  }
}
