import { assertNever, Conflict, NotFound, type Decider } from '@maatlat/shared/domain';
import type { ReportCommand } from './report.commands';
import type { ReportAudience, ReportEvent, ReportGenerated, ReportLanguage } from './report.events';

export interface ReportStatus {
  reportId: string;
  assessmentId: string;
  language: ReportLanguage;
  audience: ReportAudience;
  requestedBy: string;
  /** The score event asked for; absent, the latest when printed. */
  scoreEventVersion?: number;
  status: 'queued' | 'done' | 'failed';
  generated: ReportGenerated['data'] | null;
  reason: string | null;
}

/** Every report of one assessment, by id. */
export type ReportsState = Record<string, ReportStatus>;

/** The reports of an assessment: requested once, then generated or failed, once. */
export const reportDecider: Decider<ReportCommand, ReportsState, ReportEvent> = {
  initialState: () => ({}),
  evolve(state, event) {
    switch (event.type) {
      case 'ReportRequested':
        return { ...state, [event.data.reportId]: { ...event.data, status: 'queued', generated: null, reason: null } };
      case 'ReportGenerated':
        return { ...state, [event.data.reportId]: { ...state[event.data.reportId], status: 'done', generated: event.data } };
      case 'ReportFailed':
        return { ...state, [event.data.reportId]: { ...state[event.data.reportId], status: 'failed', reason: event.data.reason } };
      default:
        return assertNever(event, 'report event');
    }
  },
  decide(command, state) {
    switch (command.type) {
      case 'RequestReport': {
        if (state[command.data.reportId]) throw new Conflict('report.exists', `report ${command.data.reportId} was already requested`);
        return [{ type: 'ReportRequested', data: { ...command.data, requestedBy: command.metadata.actor } }];
      }
      case 'RecordReportGenerated': {
        const report = state[command.data.reportId];
        if (!report) throw new NotFound('report', command.data.reportId);
        // A job run twice (a re-delivery) records the first PDF only.
        if (report.status !== 'queued') return [];
        const { assessmentId, language, audience, requestedBy } = report;
        const { reportId, source, pdfSha256, bytes } = command.data;
        return [{ type: 'ReportGenerated', data: { reportId, assessmentId, language, audience, requestedBy, source, pdfSha256, bytes } }];
      }
      case 'RecordReportFailed': {
        const report = state[command.data.reportId];
        if (!report) throw new NotFound('report', command.data.reportId);
        if (report.status !== 'queued') return [];
        return [{ type: 'ReportFailed', data: command.data }];
      }
      default:
        return assertNever(command, 'report command');
    }
  },
};
