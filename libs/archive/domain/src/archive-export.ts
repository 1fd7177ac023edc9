import { assertNever, Conflict, NotFound, parseStreamId, type Decider } from '@maatlat/shared/domain';
import type { ArchiveExportCommand } from './archive-export.commands';

/** An archival export asked for over the API, on the record in the organisation's own history. */
export type ArchiveExportRequested = {
  type: 'ArchiveExportRequested';
  /** `retention`: the bewaartermijn the MDTO records get (ISO 8601 duration); absent: the default. */
  data: { exportId: string; organisationId: string; requestedBy: string; retention?: string };
};
/** The packed archive (.tar.gz) the platform handed out: anyone holding it can check its SHA-256 against this event. */
export type ArchiveExported = {
  type: 'ArchiveExported';
  /** The export's summary (manifest hash, counts) when this run wrote it; absent when it recorded the bytes a crashed run stored. */
  data: { exportId: string; organisationId: string; requestedBy: string; sha256: string; bytes: number; manifestSha256?: string; streams?: number; events?: number };
};
export type ArchiveExportFailed = { type: 'ArchiveExportFailed'; data: { exportId: string; reason: string } };

export type ArchiveExportEvent = ArchiveExportRequested | ArchiveExported | ArchiveExportFailed;

export interface ArchiveExportStatus {
  exportId: string;
  organisationId: string;
  requestedBy: string;
  retention?: string;
  status: 'queued' | 'done' | 'failed';
  exported: ArchiveExported['data'] | null;
  reason: string | null;
}

/** The archival exports of one organisation, by id. */
export type ArchiveExportsState = Record<string, ArchiveExportStatus>;

/**
 * The exports of an organisation live in a stream of their own, recorded for the organisation
 * (its tenant): the next export carries the earlier ones' records.
 */
export function archiveExportStreamId(organisationId: string): string {
  return `archiveexport-${organisationId}`;
}

export function parseArchiveExportStreamId(streamId: string): string {
  return parseStreamId('archiveexport', streamId);
}

/** An export: requested once, then exported or failed, once. */
export const archiveExportDecider: Decider<ArchiveExportCommand, ArchiveExportsState, ArchiveExportEvent> = {
  initialState: () => ({}),
  evolve(state, event) {
    switch (event.type) {
      case 'ArchiveExportRequested':
        return { ...state, [event.data.exportId]: { ...event.data, status: 'queued', exported: null, reason: null } };
      case 'ArchiveExported':
        return { ...state, [event.data.exportId]: { ...state[event.data.exportId], status: 'done', exported: event.data } };
      case 'ArchiveExportFailed':
        return { ...state, [event.data.exportId]: { ...state[event.data.exportId], status: 'failed', reason: event.data.reason } };
      default:
        return assertNever(event, 'archive export event');
    }
  },
  decide(command, state) {
    switch (command.type) {
      case 'RequestArchiveExport':
        if (state[command.data.exportId]) throw new Conflict('archive-export.exists', `archive export ${command.data.exportId} was already requested`);
        return [{ type: 'ArchiveExportRequested', data: { ...command.data, requestedBy: command.metadata.actor } }];
      case 'RecordArchiveExported': {
        const requested = state[command.data.exportId];
        if (!requested) throw new NotFound('archive-export', command.data.exportId);
        // A job run twice (a re-delivery) records the first archive only.
        if (requested.status !== 'queued') return [];
        return [{ type: 'ArchiveExported', data: { ...command.data, organisationId: requested.organisationId, requestedBy: requested.requestedBy } }];
      }
      case 'RecordArchiveExportFailed': {
        const requested = state[command.data.exportId];
        if (!requested) throw new NotFound('archive-export', command.data.exportId);
        if (requested.status !== 'queued') return [];
        return [{ type: 'ArchiveExportFailed', data: command.data }];
      }
      default:
        return assertNever(command, 'archive export command');
    }
  },
};
