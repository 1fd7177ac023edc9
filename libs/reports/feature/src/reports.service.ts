import type { CommandMetadata } from '@maatlat/shared/domain';
import { parseReportOptions, reportHtml, type ReportOptions } from './report-html';
import { generateReportPdf, listReports, readReport, recordReportFailure, reportPdf, requestReport, verifyReportPdf } from './report-pdfs';
import type { ReportsContext } from './reports.context';

/** The doors to the report use cases, for controllers, the worker's job, the CLI and tests. */
export class Reports {
  constructor(private readonly context: ReportsContext) {}

  parseOptions = (input: Record<string, unknown>) => parseReportOptions(input);
  html = (assessmentId: string, options: ReportOptions, now = new Date()) => reportHtml(this.context, assessmentId, options, now);
  request = (assessmentId: string, options: ReportOptions, metadata: CommandMetadata) => requestReport(this.context, assessmentId, options, metadata);
  generate = (reportId: string, assessmentId: string, metadata: CommandMetadata) => generateReportPdf(this.context, reportId, assessmentId, metadata);
  recordFailure = (reportId: string, assessmentId: string, reason: string, metadata: CommandMetadata) => recordReportFailure(this.context, reportId, assessmentId, reason, metadata);
  get = (assessmentId: string, reportId: string) => readReport(this.context, assessmentId, reportId);
  list = (assessmentId: string) => listReports(this.context, assessmentId);
  pdf = (assessmentId: string, reportId: string) => reportPdf(this.context, assessmentId, reportId);
  verify = (pdf: Buffer) => verifyReportPdf(this.context, pdf);
  organisationOf = (assessmentId: string) => this.context.assessments.organisationOf(assessmentId);
  /** Why PDFs cannot be printed in this process (no Chromium), or null. */
  pdfUnavailable = () => this.context.printer.unavailableReason();
  printer = () => this.context.printer;

  /** Nest calls this when the API or worker stops: the warm browser goes with it. */
  async onModuleDestroy(): Promise<void> {
    await this.context.printer.close();
  }
}
