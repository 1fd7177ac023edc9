import type { Kysely } from 'kysely';
import type { DB } from '@maatlat/shared/database';
import { foldEvents, type PostgresEventStore } from '@maatlat/shared/event-store';
import { archiveExportDecider, archiveExportStreamId, type ArchiveExportEvent, type ArchiveExportsState } from '@maatlat/archive/domain';

export interface StoredArchive {
  exportId: string;
  organisationId: string;
  sha256: string;
  archive: Buffer;
}

/** The packed archives' bytes, and when the job started on each. */
export class ArchiveExportFiles {
  constructor(private readonly db: Kysely<DB>) {}

  /** The job started on it (again, after a crash: the first start stays). */
  async started(exportId: string, organisationId: string, requestedBy: string, now: Date): Promise<void> {
    await this.db
      .insertInto('archive_exports')
      .values({ export_id: exportId, organisation_id: organisationId, requested_by: requestedBy, started_at: now })
      .onConflict((oc) => oc.column('export_id').doNothing())
      .execute();
  }

  /** Keeps the bytes once: a job run twice stores nothing new. */
  async store(file: StoredArchive, now: Date): Promise<void> {
    await this.db
      .updateTable('archive_exports')
      .set({ sha256: Buffer.from(file.sha256, 'hex'), size: file.archive.length, archive: file.archive, finished_at: now })
      .where('export_id', '=', file.exportId)
      .where('archive', 'is', null)
      .execute();
  }

  /** Whether the job started on each of the exports, by id. */
  async startedOf(exportIds: readonly string[]): Promise<Set<string>> {
    if (exportIds.length === 0) return new Set();
    const rows = await this.db.selectFrom('archive_exports').select('export_id').where('export_id', 'in', exportIds).execute();
    return new Set(rows.map((r) => r.export_id));
  }

  async get(exportId: string): Promise<StoredArchive | undefined> {
    const row = await this.db.selectFrom('archive_exports').select(['export_id', 'organisation_id', 'sha256', 'archive']).where('export_id', '=', exportId).executeTakeFirst();
    return row?.archive && row.sha256 ? { exportId: row.export_id, organisationId: row.organisation_id, sha256: row.sha256.toString('hex'), archive: row.archive } : undefined;
  }
}

/** The archival exports of an organisation, folded from its archive export stream. */
export async function readArchiveExports(store: PostgresEventStore, organisationId: string): Promise<ArchiveExportsState> {
  return foldEvents(archiveExportDecider, await store.readStream<ArchiveExportEvent>(archiveExportStreamId(organisationId)));
}
