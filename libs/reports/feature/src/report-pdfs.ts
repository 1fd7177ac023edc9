import { NotFound, RuleBroken, type CommandMetadata } from '@maatlat/shared/domain';
import { handleCommand, newEntityId, type OutboxJob } from '@maatlat/shared/event-store';
import { jobIdFor } from '@maatlat/shared/jobs';
import { readReports } from '@maatlat/reports/data-access';
import { renderReportHtml, reportDecider, reportStreamId, type ReportCommand, type ReportEvent, type ReportsState, type ReportStatus } from '@maatlat/reports/domain';
import { readReportInput, sha256, type ReportOptions } from './report-html';
import type { ReportsContext } from './reports.context';

function runReportCommand(context: ReportsContext, assessmentId: string, command: ReportCommand, jobs?: (events: { eventId: string }[]) => OutboxJob[]) {
  return handleCommand<ReportCommand, ReportsState, ReportEvent>(context.store, reportDecider, reportStreamId(assessmentId), command, { maxAttempts: 10, jobs });
}

export interface ReportView {
  reportId: string;
  assessmentId: string;
  lang: ReportStatus['language'];
  audience: ReportStatus['audience'];
  status: ReportStatus['status'];
  requestedBy: string;
  /** The score event version asked for; null: the latest when printed. */
  scoreEvent: number | null;
  pdfSha256: string | null;
  source: { streamId: string; version: number; eventId: string; hash: string } | null;
  reason: string | null;
}

function viewOf(report: ReportStatus): ReportView {
  return {
    reportId: report.reportId,
    assessmentId: report.assessmentId,
    lang: report.language,
    audience: report.audience,
    status: report.status,
    requestedBy: report.requestedBy,
    scoreEvent: report.scoreEventVersion ?? null,
    pdfSha256: report.generated?.pdfSha256 ?? null,
    source: report.generated?.source ?? null,
    reason: report.reason,
  };
}

/**
 * Asks for a PDF: checked at once (an open assessment is a 422 naming it), then printed by the
 * `report.generate-pdf` job, handed to the queue through the outbox with the request's event.
 * With an Idempotency-Key the report id derives from it, so a replay asks for nothing new.
 */
export async function requestReport(context: ReportsContext, assessmentId: string, options: ReportOptions, metadata: CommandMetadata): Promise<ReportView> {
  const input = await readReportInput(context, assessmentId, options, metadata.now);
  const reportId = newEntityId('report', metadata);
  // A chosen score is kept by its version (an event id given resolves to it); without one, the job draws from the latest.
  const scoreEventVersion = options.scoreEvent ? { scoreEventVersion: input.source.version } : {};
  const organisationId = await context.assessments.organisationOf(assessmentId);
  const outcome = await runReportCommand(
    context,
    assessmentId,
    { type: 'RequestReport', data: { reportId, assessmentId, language: options.lang, audience: options.audience, ...scoreEventVersion }, metadata: { ...metadata, tenantId: organisationId, commandId: `request:${reportId}` } },
    (events) => events.map((e) => ({ jobId: jobIdFor(e.eventId, 'report.generate-pdf'), jobName: 'report.generate-pdf', payload: { reportId, assessmentId }, causedByEventId: e.eventId })),
  );
  const report = outcome.state[reportId] ?? (await readReports(context.store, assessmentId)).state[reportId];
  return viewOf(report);
}

/** The job: render, print, store the bytes, record ReportGenerated with the PDF's SHA-256. Run twice, it records the first. */
export async function generateReportPdf(context: ReportsContext, reportId: string, assessmentId: string, metadata: CommandMetadata): Promise<ReportView> {
  const { state } = await readReports(context.store, assessmentId);
  const report = state[reportId];
  if (!report) throw new NotFound('report', reportId);
  if (report.status !== 'queued') return viewOf(report);
  const scoreEvent = report.scoreEventVersion === undefined ? {} : { scoreEvent: { version: report.scoreEventVersion } };
  const input = await readReportInput(context, assessmentId, { lang: report.language, audience: report.audience, ...scoreEvent }, metadata.now);
  const pdf = await context.printer.print(renderReportHtml(input));
  const hash = sha256(pdf);
  const organisationId = await context.assessments.organisationOf(assessmentId);
  await context.files.store({ reportId, assessmentId, organisationId, sha256: hash, pdf });
  const stored = await context.files.get(reportId);
  // A first run that stored its bytes and died before recording them: record those bytes.
  const finalHash = stored?.sha256 ?? hash;
  const outcome = await runReportCommand(context, assessmentId, {
    type: 'RecordReportGenerated',
    data: { reportId, source: { streamId: input.source.streamId, version: input.source.version, eventId: input.source.eventId, hash: input.source.hash }, pdfSha256: finalHash, bytes: stored?.pdf.length ?? pdf.length },
    metadata: { ...metadata, tenantId: organisationId, commandId: `generated:${reportId}` },
  });
  return viewOf(outcome.state[reportId]);
}

export async function recordReportFailure(context: ReportsContext, reportId: string, assessmentId: string, reason: string, metadata: CommandMetadata): Promise<void> {
  const organisationId = await context.assessments.organisationOf(assessmentId);
  await runReportCommand(context, assessmentId, { type: 'RecordReportFailed', data: { reportId, reason: reason.slice(0, 500) }, metadata: { ...metadata, tenantId: organisationId, commandId: `failed:${reportId}` } });
}

export async function readReport(context: ReportsContext, assessmentId: string, reportId: string): Promise<ReportView> {
  const report = (await readReports(context.store, assessmentId)).state[reportId];
  if (!report) throw new NotFound('report', reportId);
  return viewOf(report);
}

export async function listReports(context: ReportsContext, assessmentId: string): Promise<ReportView[]> {
  await context.assessments.organisationOf(assessmentId);
  return Object.values((await readReports(context.store, assessmentId)).state).map(viewOf);
}

/** The issued PDF's bytes; 409 while it is still being made (or failed). */
export async function reportPdf(context: ReportsContext, assessmentId: string, reportId: string): Promise<{ pdf: Buffer; report: ReportView }> {
  const report = await readReport(context, assessmentId, reportId);
  if (report.status !== 'done') throw new RuleBroken('report.not-ready', `report ${reportId} is ${report.status}`, { reportId, status: report.status });
  const file = await context.files.get(reportId);
  if (!file) throw new NotFound('report-file', reportId);
  return { pdf: file.pdf, report };
}

export interface ReportVerification {
  valid: boolean;
  sha256: string;
  /** The issue record of the PDF, when the platform issued it. */
  report: (ReportView & { issuedAt: string; issuedBy: string }) | null;
  /** A score recorded after the one the report was drawn from (a recalculation), when there is one. */
  supersededBy: { version: number; eventId: string; type: string; recordedAt: string } | null;
}

/**
 * Checks a PDF: valid when its SHA-256 is the one a ReportGenerated event recorded for it. One byte
 * changed gives another hash, and no record. Says when the score was later recalculated.
 */
export async function verifyReportPdf(context: ReportsContext, pdf: Buffer): Promise<ReportVerification> {
  const hash = sha256(pdf);
  for (const candidate of await context.files.bySha256(hash)) {
    const events = await context.store.readStream<ReportEvent>(reportStreamId(candidate.assessmentId));
    const generated = events.find((e) => e.type === 'ReportGenerated' && e.data.reportId === candidate.reportId && e.data.pdfSha256 === hash);
    if (!generated || generated.type !== 'ReportGenerated') continue;
    const later = (await context.assessments.scoreEvents(candidate.assessmentId)).filter((e) => e.version > generated.data.source.version).pop();
    const report = (await readReports(context.store, candidate.assessmentId)).state[candidate.reportId];
    return {
      valid: true,
      sha256: hash,
      report: { ...viewOf(report), issuedAt: generated.recordedAt.toISOString(), issuedBy: generated.metadata.actor },
      supersededBy: later ? { version: later.version, eventId: later.eventId, type: later.type, recordedAt: later.recordedAt } : null,
    };
  }
  return { valid: false, sha256: hash, report: null, supersededBy: null };
}
