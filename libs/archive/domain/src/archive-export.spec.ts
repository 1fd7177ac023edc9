import { deciderSpec } from '@maatlat/shared/testing';
import { Conflict, NotFound } from '@maatlat/shared/domain';
import { archiveExportDecider, archiveExportStreamId, parseArchiveExportStreamId, type ArchiveExportEvent } from './archive-export';

const metadata = { now: new Date('2027-03-01T10:00:00Z'), actor: 'coordinator-1', correlationId: 'c-1' };
const requested: ArchiveExportEvent = { type: 'ArchiveExportRequested', data: { exportId: 'x-1', organisationId: 'o-1', requestedBy: 'coordinator-1' } };
const summary = { sha256: 'ab'.repeat(32), bytes: 4096, manifestSha256: 'cd'.repeat(32), streams: 7, events: 120 };
const exported: ArchiveExportEvent = { type: 'ArchiveExported', data: { exportId: 'x-1', organisationId: 'o-1', requestedBy: 'coordinator-1', ...summary } };

describe('archiveExportDecider', () => {
  const spec = deciderSpec(archiveExportDecider);

  it('records a request with who asked, once', () => {
    spec.given([]).when({ type: 'RequestArchiveExport', data: { exportId: 'x-1', organisationId: 'o-1' }, metadata }).then([requested]);
    spec.given([requested]).when({ type: 'RequestArchiveExport', data: { exportId: 'x-1', organisationId: 'o-1' }, metadata }).thenThrows(Conflict);
  });

  it('records the archive with its SHA-256 and size once, carrying who asked', () => {
    const command = { type: 'RecordArchiveExported' as const, data: { exportId: 'x-1', ...summary }, metadata: { ...metadata, actor: 'system:archive' } };
    spec.given([requested]).when(command).then([exported]);
    spec.given([requested, exported]).when(command).then([]);
    spec.given([]).when(command).thenThrows(NotFound);
  });

  it('records a failure only for an export still queued', () => {
    spec.given([requested]).when({ type: 'RecordArchiveExportFailed', data: { exportId: 'x-1', reason: 'disk full' }, metadata }).then([{ type: 'ArchiveExportFailed', data: { exportId: 'x-1', reason: 'disk full' } }]);
    spec.given([requested, exported]).when({ type: 'RecordArchiveExportFailed', data: { exportId: 'x-1', reason: 'late' }, metadata }).then([]);
    spec.given([]).when({ type: 'RecordArchiveExportFailed', data: { exportId: 'x-9', reason: 'x' }, metadata }).thenThrows(NotFound);
  });

  it('keeps the exports in a stream of the organisation', () => {
    expect(archiveExportStreamId('o-1')).toBe('archiveexport-o-1');
    expect(parseArchiveExportStreamId('archiveexport-o-1')).toBe('o-1');
  });
});
