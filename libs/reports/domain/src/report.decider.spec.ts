import { deciderSpec } from '@maatlat/shared/testing';
import { Conflict, NotFound } from '@maatlat/shared/domain';
import { reportDecider } from './report.decider';
import type { ReportEvent } from './report.events';

const metadata = { now: new Date('2027-03-01T10:00:00Z'), actor: 'user-1', correlationId: 'c-1' };
const requested: ReportEvent = { type: 'ReportRequested', data: { reportId: 'r-1', assessmentId: 'a-1', language: 'nl', audience: 'public', requestedBy: 'user-1' } };
const source = { streamId: 'assessment-a-1', version: 42, eventId: 'e-42', hash: 'ab'.repeat(32) };
const generated: ReportEvent = {
  type: 'ReportGenerated',
  data: { reportId: 'r-1', assessmentId: 'a-1', language: 'nl', audience: 'public', requestedBy: 'user-1', source, pdfSha256: 'cd'.repeat(32), bytes: 1000 },
};

describe('reportDecider', () => {
  const spec = deciderSpec(reportDecider);

  it('records a request with who asked', () => {
    spec.given([]).when({ type: 'RequestReport', data: { reportId: 'r-1', assessmentId: 'a-1', language: 'nl', audience: 'public' }, metadata }).then([requested]);
  });

  it('refuses a report id twice', () => {
    spec.given([requested]).when({ type: 'RequestReport', data: { reportId: 'r-1', assessmentId: 'a-1', language: 'en', audience: 'internal' }, metadata }).thenThrows(Conflict);
  });

  it('records the generated PDF with its hash and the score event it was drawn from, once', () => {
    const command = { type: 'RecordReportGenerated' as const, data: { reportId: 'r-1', source, pdfSha256: 'cd'.repeat(32), bytes: 1000 }, metadata };
    spec.given([requested]).when(command).then([generated]);
    spec.given([requested, generated]).when(command).then([]);
  });

  it('records a failure only for a report still queued, and nothing for an unknown one', () => {
    spec.given([requested]).when({ type: 'RecordReportFailed', data: { reportId: 'r-1', reason: 'no browser' }, metadata }).then([{ type: 'ReportFailed', data: { reportId: 'r-1', reason: 'no browser' } }]);
    spec.given([requested, generated]).when({ type: 'RecordReportFailed', data: { reportId: 'r-1', reason: 'late' }, metadata }).then([]);
    spec.given([]).when({ type: 'RecordReportFailed', data: { reportId: 'r-9', reason: 'x' }, metadata }).thenThrows(NotFound);
  });
});
