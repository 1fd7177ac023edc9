import type { AppConfig } from '@maatlat/shared/config';
import { openDatabase } from '@maatlat/shared/database';
import { exportArchive, verifyArchive } from '@maatlat/archive/data-access';
import { UsageError, type CommandResult } from './commands';

/** `archive export --organisation ID OUT_DIR`: the organisation's complete event history, for the archive. */
export async function archiveExport(config: AppConfig, organisationId: string | undefined, directory: string | undefined, options: { retention?: string }): Promise<CommandResult> {
  if (!organisationId || !directory) throw new UsageError('archive export needs --organisation ID and an output directory');
  const database = openDatabase({ databaseUrl: config.databaseUrl, maxConnections: 2, applicationName: 'maatlat-cli' });
  try {
    const started = Date.now();
    const summary = await exportArchive(database.pool, organisationId, directory, { retention: options.retention });
    return {
      output: [
        `exported organisation ${organisationId} to ${directory}: ${summary.streams} stream(s), ${summary.events} event(s), ${summary.files} file(s), ${summary.bytes} bytes in ${Date.now() - started} ms`,
        `manifest.json SHA-256 ${summary.manifestSha256}`,
      ].join('\n'),
      exitCode: 0,
    };
  } finally {
    await database.close();
  }
}

/** `archive verify DIR`: no database, no network; exit code 2 with the first discrepancy by file and line. */
export async function archiveVerify(directory: string | undefined, options: { json?: boolean }): Promise<CommandResult> {
  if (!directory) throw new UsageError('archive verify needs the directory of an export');
  const report = await verifyArchive(directory);
  const exitCode = report.ok ? 0 : 2;
  if (options.json) return { output: JSON.stringify(report, null, 2), exitCode };
  if (report.ok) {
    return {
      output: `verified: ${directory}, ${report.filesChecked} file(s) match the manifest, ${report.streamsChecked} hash chain(s) intact (${report.eventsChecked} events), ${report.scoresChecked} score(s) recomputed exactly`,
      exitCode,
    };
  }
  const where = (d: { file: string; line?: number }) => (d.line ? `${d.file}:${d.line}` : d.file);
  const lines = [`DISCREPANCY: ${where(report.first!)}: ${report.first!.problem}`];
  for (const d of report.discrepancies.slice(1, 20)) lines.push(`  also ${where(d)}: ${d.problem}`);
  return { output: lines.join('\n'), exitCode };
}
