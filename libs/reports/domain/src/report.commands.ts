import type { CommandMetadata } from '@maatlat/shared/domain';
import type { ReportAudience, ReportLanguage, ReportSource } from './report.events';

export type ReportCommand =
  | { type: 'RequestReport'; data: { reportId: string; assessmentId: string; language: ReportLanguage; audience: ReportAudience; scoreEventVersion?: number }; metadata: CommandMetadata }
  | { type: 'RecordReportGenerated'; data: { reportId: string; source: ReportSource; pdfSha256: string; bytes: number }; metadata: CommandMetadata }
  | { type: 'RecordReportFailed'; data: { reportId: string; reason: string }; metadata: CommandMetadata };
