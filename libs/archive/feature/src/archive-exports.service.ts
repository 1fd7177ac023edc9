import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pool } from 'pg';
import type { AppConfig } from '@maatlat/shared/config';
import { openDatabase, type Database } from '@maatlat/shared/database';
import { NotFound, RuleBroken, type CommandMetadata } from '@maatlat/shared/domain';
import { handleCommand, newEntityId, type OutboxJob, type PostgresEventStore } from '@maatlat/shared/event-store';
import { jobIdFor } from '@maatlat/shared/jobs';
import type { Organisations } from '@maatlat/organisations/data-access';
import { ArchiveExportFiles, checkpointSigner, exportArchive, packDirectory, readArchiveExports, type ExportSummary } from '@maatlat/archive/data-access';
import {
  archiveExportDecider,
  archiveExportStreamId,
  DEFAULT_RETENTION,
  type ArchiveExportCommand,
  type ArchiveExportEvent,
  type ArchiveExportsState,
  type ArchiveExportStatus,
} from '@maatlat/archive/domain';

export interface ArchiveExportView {
  exportId: string;
  organisationId: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  requestedBy: string;
  /** The retention (bewaartermijn) the MDTO records carry, an ISO 8601 duration. */
  retention: string;
  /** The packed archive (.tar.gz), once done. */
  sha256: string | null;
  bytes: number | null;
  /** SHA-256 of the archive's manifest.json, once done. */
  manifestSha256: string | null;
  reason: string | null;
}

function viewOf(entry: ArchiveExportStatus, running: boolean): ArchiveExportView {
  return {
    exportId: entry.exportId,
    organisationId: entry.organisationId,
    status: entry.status === 'queued' && running ? 'running' : entry.status,
    requestedBy: entry.requestedBy,
    retention: entry.retention ?? DEFAULT_RETENTION,
    sha256: entry.exported?.sha256 ?? null,
    bytes: entry.exported?.bytes ?? null,
    manifestSha256: entry.exported?.manifestSha256 ?? null,
    reason: entry.reason,
  };
}

/** The folder at the top of the packed archive: `tar -xzf` makes it, `archive verify` checks it. */
export const archiveFolderOf = (organisationId: string) => `archive-${organisationId}`;

/**
 * Archival exports as a job: asked for over the API (on the record as ArchiveExportRequested),
 * written by the `archive.export` job with the same code as `cli archive export`, packed as one
 * .tar.gz whose bytes are kept and whose SHA-256 is recorded (ArchiveExported).
 */
export class ArchiveExports {
  /** The export reads in one long repeatable-read transaction of its own: a small pool, opened when a job first runs. */
  private database?: Database;

  constructor(
    private readonly config: Pick<AppConfig, 'databaseUrl' | 'signingKey'>,
    private readonly store: PostgresEventStore,
    private readonly organisations: Pick<Organisations, 'get'>,
    private readonly files: ArchiveExportFiles,
  ) {}

  private run(organisationId: string, command: ArchiveExportCommand, jobs?: (events: { eventId: string }[]) => OutboxJob[]) {
    return handleCommand<ArchiveExportCommand, ArchiveExportsState, ArchiveExportEvent>(this.store, archiveExportDecider, archiveExportStreamId(organisationId), command, { maxAttempts: 10, jobs });
  }

  /** Asks for an export: the request on the record, the job handed to the queue through the outbox with it. Unknown organisation: 404. */
  async request(organisationId: string, metadata: CommandMetadata, options: { retention?: string } = {}): Promise<ArchiveExportView> {
    await this.organisations.get(organisationId);
    const exportId = newEntityId('archiveexport', metadata);
    const outcome = await this.run(
      organisationId,
      { type: 'RequestArchiveExport', data: { exportId, organisationId, ...(options.retention ? { retention: options.retention } : {}) }, metadata: { ...metadata, tenantId: organisationId, commandId: `request:${exportId}` } },
      (events) => events.map((e) => ({ jobId: jobIdFor(e.eventId, 'archive.export'), jobName: 'archive.export', payload: { exportId, organisationId }, causedByEventId: e.eventId })),
    );
    const entry = outcome.state[exportId] ?? (await readArchiveExports(this.store, organisationId))[exportId];
    return viewOf(entry, false);
  }

  /** An operator's export (`cli archive export`) into a folder of their choosing: the same files as the job's, not packed, not recorded. */
  async exportTo(pool: Pool, organisationId: string, directory: string, options: { retention?: string } = {}): Promise<ExportSummary> {
    return exportArchive(pool, organisationId, directory, { retention: options.retention, signer: this.signer() });
  }

  /** The job: export to a temporary folder, pack it, keep the bytes, record ArchiveExported with their SHA-256. Run twice, it records the first. */
  async generate(exportId: string, organisationId: string, metadata: CommandMetadata): Promise<ArchiveExportView> {
    const entry = (await readArchiveExports(this.store, organisationId))[exportId];
    if (!entry) throw new NotFound('archive-export', exportId);
    if (entry.status !== 'queued') return viewOf(entry, false);
    await this.files.started(exportId, organisationId, entry.requestedBy, metadata.now);
    let stored = await this.files.get(exportId);
    let summary: { manifestSha256: string; streams: number; events: number } | undefined;
    let ours: string | undefined;
    if (!stored) {
      const directory = await mkdtemp(join(tmpdir(), 'maatlat-archive-'));
      try {
        const { manifestSha256, streams, events } = await exportArchive(this.pool(), organisationId, directory, { now: metadata.now, signer: this.signer(), retention: entry.retention });
        summary = { manifestSha256, streams, events };
        const archive = await packDirectory(directory, archiveFolderOf(organisationId), metadata.now);
        ours = createHash('sha256').update(archive).digest('hex');
        await this.files.store({ exportId, organisationId, sha256: ours, archive }, metadata.now);
      } finally {
        await rm(directory, { recursive: true, force: true });
      }
      // Another run that stored its bytes first: those are the ones recorded.
      stored = await this.files.get(exportId);
      if (!stored) throw new Error(`archive export ${exportId} was not stored`);
      if (stored.sha256 !== ours) summary = undefined;
    }
    const outcome = await this.run(organisationId, {
      type: 'RecordArchiveExported',
      data: { exportId, sha256: stored.sha256, bytes: stored.archive.length, ...summary },
      metadata: { ...metadata, tenantId: organisationId, commandId: `exported:${exportId}` },
    });
    return viewOf(outcome.state[exportId], true);
  }

  async recordFailure(exportId: string, organisationId: string, reason: string, metadata: CommandMetadata): Promise<void> {
    await this.run(organisationId, { type: 'RecordArchiveExportFailed', data: { exportId, reason: reason.slice(0, 500) }, metadata: { ...metadata, tenantId: organisationId, commandId: `failed:${exportId}` } });
  }

  /** One export of the organisation: queued, running, done (with the archive's size and SHA-256) or failed (with the reason). */
  async get(organisationId: string, exportId: string): Promise<ArchiveExportView> {
    await this.organisations.get(organisationId);
    const entry = (await readArchiveExports(this.store, organisationId))[exportId];
    if (!entry) throw new NotFound('archive-export', exportId);
    return viewOf(entry, (await this.files.startedOf([exportId])).has(exportId));
  }

  /** The packed archive of an export that is done; 422 while it is queued, running or failed. */
  async file(organisationId: string, exportId: string): Promise<{ archive: Buffer; export: ArchiveExportView }> {
    const view = await this.get(organisationId, exportId);
    if (view.status !== 'done') throw new RuleBroken('archive-export.not-ready', `archive export ${exportId} is ${view.status}`, { exportId, status: view.status });
    const stored = await this.files.get(exportId);
    if (!stored) throw new NotFound('archive-export-file', exportId);
    return { archive: stored.archive, export: view };
  }

  /** With SIGNING_KEY the export is anchored with the platform's key and its manifest signed. */
  private signer() {
    return this.config.signingKey ? checkpointSigner(this.config) : undefined;
  }

  private pool() {
    this.database ??= openDatabase({ databaseUrl: this.config.databaseUrl, maxConnections: 2, applicationName: 'maatlat-archive-export' });
    return this.database.pool;
  }

  /** Nest calls this when the API or worker stops: the export's pool goes with it. */
  async onModuleDestroy(): Promise<void> {
    await this.database?.close();
    this.database = undefined;
  }
}
