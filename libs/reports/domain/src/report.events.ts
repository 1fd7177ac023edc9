import { parseStreamId } from '@maatlat/shared/domain';

export type ReportLanguage = 'nl' | 'en';
export type ReportAudience = 'internal' | 'public';
export const REPORT_LANGUAGES: readonly ReportLanguage[] = ['nl', 'en'];
export const REPORT_AUDIENCES: readonly ReportAudience[] = ['internal', 'public'];

/** The score event a report was drawn from: its place and link in the assessment's hash chain. */
export interface ReportSource {
  streamId: string;
  version: number;
  eventId: string;
  hash: string;
}

export type ReportRequested = {
  type: 'ReportRequested';
  /** `scoreEventVersion`: the recorded score asked for (a stream version of the assessment); absent, the latest when printed. */
  data: { reportId: string; assessmentId: string; language: ReportLanguage; audience: ReportAudience; requestedBy: string; scoreEventVersion?: number };
};
/** A PDF the platform issued: anyone holding it can check its SHA-256 against this event. */
export type ReportGenerated = {
  type: 'ReportGenerated';
  data: { reportId: string; assessmentId: string; language: ReportLanguage; audience: ReportAudience; requestedBy: string; source: ReportSource; pdfSha256: string; bytes: number };
};
export type ReportFailed = { type: 'ReportFailed'; data: { reportId: string; reason: string } };

export type ReportEvent = ReportRequested | ReportGenerated | ReportFailed;

/**
 * The reports of one assessment live in a stream of their own, beside the assessment's: issuing a
 * report never contends with answers or scores, and its events are hash-chained like any other.
 */
export function reportStreamId(assessmentId: string): string {
  return `report-${assessmentId}`;
}

export function parseReportStreamId(streamId: string): string {
  return parseStreamId('report', streamId);
}
