import type { CommandMetadata } from '@maatlat/shared/domain';
import type { ArchiveExported } from './archive-export';

/** Asking for an export (a coordinator or auditor), and recording how the job that makes it ended. */
export type ArchiveExportCommand =
  | { type: 'RequestArchiveExport'; data: { exportId: string; organisationId: string; retention?: string }; metadata: CommandMetadata }
  | { type: 'RecordArchiveExported'; data: Omit<ArchiveExported['data'], 'organisationId' | 'requestedBy'>; metadata: CommandMetadata }
  | { type: 'RecordArchiveExportFailed'; data: { exportId: string; reason: string }; metadata: CommandMetadata };

