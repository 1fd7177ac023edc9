import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import type { AppConfig } from '@maatlat/shared/config';
import { createDatabaseIfMissing, migrateToLatest, openDatabase, type Database } from '@maatlat/shared/database';
import { PostgresEventStore, projectionStatus, rebuildProjection, verifyEventStore } from '@maatlat/shared/event-store';
import { projectionsOf, reactionsOf } from '@maatlat/shared/features';
import { API_PATH_PREFIX } from '@maatlat/shared/nest';
import { migrations } from '@maatlat/migrations';
import { respondentsFeature } from '@maatlat/respondents/feature';
import { seedDemo } from './demo/seed-demo';
import { CLI_FEATURES, platformServices, withFeatures } from './features';

/** Every projection of the composed features; `rebuild NAME` rebuilds one. */
const PROJECTIONS = projectionsOf(CLI_FEATURES);

/** What a command prints and the exit code it ends with. */
export interface CommandResult {
  output: string;
  exitCode: number;
}

export class UsageError extends Error {}

async function withDatabase<T>(config: AppConfig, work: (database: Database) => Promise<T>): Promise<T> {
  const database = openDatabase({ databaseUrl: config.databaseUrl, maxConnections: 4, applicationName: 'maatlat-cli' });
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}

export async function migrate(config: AppConfig, options: { createDatabase?: boolean } = {}): Promise<CommandResult> {
  const created = options.createDatabase ? await createDatabaseIfMissing(config.databaseUrl) : false;
  const { applied } = await withDatabase(config, (d) => migrateToLatest(d.db, migrations));
  const lines = [
    ...(created ? ['created the database'] : []),
    applied.length ? `applied ${applied.length} migration(s): ${applied.join(', ')}` : 'the schema is up to date',
  ];
  return { output: lines.join('\n'), exitCode: 0 };
}

/** `verify --assessment ID`: replays every recorded score of the assessment and checks its chain. */
export async function verifyAssessment(config: AppConfig, assessmentId: string, options: { json?: boolean }): Promise<CommandResult> {
  return withDatabase(config, async ({ db, pool }) => {
    const { assessments } = platformServices(db, new PostgresEventStore(db, pool), config);
    const report = await assessments.verify(assessmentId);
    const exitCode = report.status === 'verified' ? 0 : 2;
    if (options.json) return { output: JSON.stringify(report, null, 2), exitCode };
    if (exitCode === 0) {
      return { output: `verified: assessment ${assessmentId}, ${report.scoresChecked} recorded score(s) replayed exactly, hash chain intact (${report.hashChain.eventsChecked} events)`, exitCode };
    }
    const lines = [`DIFFERENCES: assessment ${assessmentId}`];
    for (const d of report.differences) lines.push(`  score event ${d.scoreEvent} ${d.path}: recorded ${JSON.stringify(d.recorded)}, replayed ${JSON.stringify(d.replayed)}`);
    for (const b of report.hashChain.breaks) lines.push(`  hash chain broken at version ${b.version}: ${b.problem}`);
    return { output: lines.join('\n'), exitCode };
  });
}

/**
 * `verify --benchmark KEY@PERIOD [--level unit] [--edition N]`: recomputes a published benchmark's
 * frozen figures from the score events it cites; exit code 2 naming each event or figure that differs.
 */
export async function verifyBenchmark(config: AppConfig, reference: string, options: { level?: string; edition?: string; json?: boolean }): Promise<CommandResult> {
  const [modelKey, period] = reference.split('@');
  if (!modelKey || !period) throw new UsageError(`verify --benchmark needs KEY@PERIOD, e.g. datagedreven-overheid@2026, got "${reference}"`);
  const level = options.level ?? 'organisation';
  if (level !== 'organisation' && level !== 'unit') throw new UsageError(`--level must be organisation or unit, got "${level}"`);
  const edition = options.edition === undefined || options.edition === 'latest' ? 'latest' : Number(options.edition);
  if (edition !== 'latest' && !(Number.isInteger(edition) && edition > 0)) throw new UsageError(`--edition must be latest or an edition number, got "${options.edition}"`);
  return withDatabase(config, async ({ db, pool }) => {
    const { insights } = platformServices(db, new PostgresEventStore(db, pool), config);
    const report = await insights.verifyBenchmark({ modelKey, period, level, edition });
    const exitCode = report.status === 'verified' ? 0 : 2;
    if (options.json) return { output: JSON.stringify(report, null, 2), exitCode };
    const name = `benchmark ${modelKey} ${period} (${level}) edition ${report.edition}`;
    if (exitCode === 0) return { output: `verified: ${name}, its figures recomputed exactly from the ${report.scoreEventsChecked} score event(s) it cites`, exitCode };
    const lines = [`DIFFERENCES: ${name}`];
    for (const p of report.problems) lines.push(`  score event ${p.eventId} (${p.streamId} version ${p.version}): ${p.problem}`);
    for (const d of report.differences) lines.push(`  ${d.groupBy} ${JSON.stringify(d.group)} ${d.figure}: published ${JSON.stringify(d.frozen)}, recomputed ${JSON.stringify(d.recomputed)}`);
    for (const b of report.publicationChain.breaks) lines.push(`  the publication's hash chain breaks at version ${b.version}: ${b.problem}`);
    return { output: lines.join('\n'), exitCode };
  });
}

/** `report verify FILE`: whether the platform issued this PDF (its SHA-256 recorded by ReportGenerated); exit code 2 when not. */
export async function verifyReportFile(config: AppConfig, file: string | undefined, options: { json?: boolean }): Promise<CommandResult> {
  if (!file) throw new UsageError('report verify needs a FILE');
  const pdf = readFileSync(file);
  return withDatabase(config, async ({ db, pool }) => {
    const { reports } = platformServices(db, new PostgresEventStore(db, pool), config);
    const result = await reports.verify(pdf);
    const exitCode = result.valid ? 0 : 2;
    if (options.json) return { output: JSON.stringify(result, null, 2), exitCode };
    if (!result.valid) return { output: `NOT ISSUED: no report of the platform has SHA-256 ${result.sha256} (the file was changed, or it is not one of ours)`, exitCode };
    const r = result.report!;
    const lines = [
      `issued: report ${r.reportId} of assessment ${r.assessmentId} (${r.lang}, ${r.audience}), ${result.sha256}`,
      `  issued ${r.issuedAt} for ${r.requestedBy}, drawn from ${r.source!.streamId} version ${r.source!.version} (${r.source!.hash})`,
    ];
    if (result.supersededBy) lines.push(`  the score was recalculated later: score event version ${result.supersededBy.version} (${result.supersededBy.recordedAt}); make a new report for it`);
    return { output: lines.join('\n'), exitCode };
  });
}

export async function verify(config: AppConfig, options: { streamId?: string; json?: boolean }): Promise<CommandResult> {
  const report = await withDatabase(config, (d) => verifyEventStore(d.db, { streamId: options.streamId }));
  if (options.json) return { output: JSON.stringify(report, null, 2), exitCode: report.ok ? 0 : 2 };
  const scope = options.streamId ? `stream ${options.streamId}` : 'the event store';
  if (report.ok) {
    return { output: `verified: ${scope}, ${report.streamsChecked} stream(s), ${report.eventsChecked} event(s), every hash chain intact`, exitCode: 0 };
  }
  const lines = [`BROKEN: ${scope}, ${report.breaks.length} stream(s) with a broken hash chain`];
  for (const b of report.breaks) lines.push(`  ${b.streamId} at version ${b.version}: ${b.problem}`);
  return { output: lines.join('\n'), exitCode: 2 };
}

/**
 * Rebuilds a projection from zero into shadow tables and swaps them in at the end (see
 * `rebuildProjection`): the API keeps serving the old rows and stays ready meanwhile.
 */
export async function rebuild(config: AppConfig, name: string | undefined): Promise<CommandResult> {
  const projection = PROJECTIONS.find((p) => p.name === name);
  if (!projection) {
    throw new UsageError(`rebuild needs a projection name, one of: ${PROJECTIONS.map((p) => p.name).join(', ')}`);
  }
  return withDatabase(config, async ({ db, pool }) => {
    const store = new PostgresEventStore(db, pool);
    const started = Date.now();
    const result = await rebuildProjection(db, pool, store, projection, { batchSize: 5000 });
    const status = await projectionStatus(db, store, projection.name);
    const changes = result.tables.map((t) => `${t.table} ${t.written} written, ${t.removed} removed`).join('; ');
    return {
      output: `rebuilt ${projection.name} from zero in shadow tables and swapped them in: ${result.eventsProcessed} event(s) in ${Date.now() - started} ms (${changes}), lag now ${status.lag}`,
      exitCode: 0,
    };
  });
}

export async function stats(config: AppConfig, options: { json?: boolean }): Promise<CommandResult> {
  return withDatabase(config, async ({ db, pool }) => {
    const store = new PostgresEventStore(db, pool);
    const { rows } = await sql<{ events: number; streams: number; pending_jobs: number }>`
      SELECT (SELECT count(*)::int FROM events) AS events,
             (SELECT count(*)::int FROM streams) AS streams,
             (SELECT count(*)::int FROM outbox WHERE dispatched_at IS NULL) AS pending_jobs`.execute(db);
    // Reactions are checkpointed like projections; their lag says how much work is yet to start.
    const names = [...PROJECTIONS.map((p) => p.name), ...reactionsOf(CLI_FEATURES, {}).map((r) => r.name)]; // (bound to nothing: only their names are read)
    const projections = await Promise.all(names.map((name) => projectionStatus(db, store, name)));
    const summary = {
      events: rows[0].events,
      streams: rows[0].streams,
      pendingJobs: rows[0].pending_jobs,
      projections: projections.map((p) => ({ name: p.name, lag: p.lag, eventsProcessed: p.eventsProcessed, updatedAt: p.updatedAt })),
    };
    if (options.json) return { output: JSON.stringify(summary, null, 2), exitCode: 0 };
    const lines = [
      `events:       ${summary.events}`,
      `streams:      ${summary.streams}`,
      `pending jobs: ${summary.pendingJobs}`,
      'projections:',
      ...summary.projections.map((p) => `  ${p.name}: lag ${p.lag}, ${p.eventsProcessed} event(s) processed`),
    ];
    return { output: lines.join('\n'), exitCode: 0 };
  });
}

/**
 * `keys rewrap`: key rotation. Wraps every respondent's data key with the first key of
 * DATA_KEY_ENCRYPTION_KEYS (the personal data itself is not touched); exit code 2 when a key could
 * not be unwrapped with the keys configured (the older keys must then stay).
 */
export async function rewrapKeys(config: AppConfig): Promise<CommandResult> {
  return withFeatures(config, [respondentsFeature], async ({ services }): Promise<CommandResult> => {
    const { rewrapped, failed } = await services.vault.rewrapAll();
    const current = config.dataKeyEncryption!.keys[0].id;
    const lines = [`re-wrapped ${rewrapped} data key(s) with key-encryption key "${current}"`];
    if (failed.length === 0) return { output: [...lines, 'every data key is wrapped with it: older keys can leave DATA_KEY_ENCRYPTION_KEYS'].join('\n'), exitCode: 0 };
    lines.push(`${failed.length} data key(s) could not be unwrapped and keep their wrapping:`, ...failed.slice(0, 20).map((f) => `  ${f.problem}`));
    return { output: lines.join('\n'), exitCode: 2 };
  });
}

/** `seed-demo [--if-empty]`: the demo platform; with --if-empty only on a database without events. */
export async function seedDemoCommand(config: AppConfig, options: { ifEmpty?: boolean; organisations?: number }): Promise<CommandResult> {
  return withDatabase(config, async ({ db, pool }) => {
    if (options.ifEmpty) {
      const { rows } = await sql<{ any: boolean }>`SELECT EXISTS (SELECT 1 FROM events) AS any`.execute(db);
      if (rows[0].any) return { output: 'the database holds events already: no demo data added', exitCode: 0 };
    }
    const started = Date.now();
    const summary = await seedDemo(platformServices(db, new PostgresEventStore(db, pool), config), { organisations: options.organisations, log: (line) => process.stdout.write(`${line}\n`) });
    const base = `http://localhost:${config.port}`;
    const api = `${base}/${API_PATH_PREFIX}`;
    return {
      output: [
        `demo data in ${Math.round((Date.now() - started) / 1000)} s: ${summary.organisations} organisations, ${summary.units} units, ${summary.chains} chains, ${summary.respondents} respondents, ${summary.assessments} closed assessments, ${summary.answers} answers`,
        `datagedreven-overheid 2026.1 and 2027.1 are published (2025 and 2026 assessed on 2026.1, 2027 on 2027.1); ${summary.recalculatedBy} rescores the earlier years to 2027.1 through the crosswalk (progress: /${API_PATH_PREFIX}/recalculations).`,
        'Try (with a token: npm start prints one per demo persona once the API is ready; or npm run cli -- token --role platform-admin):',
        `  ${base}/api/docs`,
        `  ${base}/ready`,
        `  ${api}/assessments/${summary.sampleAssessmentId}/scores/explain?factor=F05`,
        `  ${api}/assessments/${summary.sampleAssessmentId}/events`,
        `  ${api}/organisations/${summary.sampleOrganisationId}/tree`,
        `  ${api}/model-versions/datagedreven-overheid/diff?from=2026.1&to=2027.1`,
        `  ${api}/recalculations`,
        `  ${api}/organisations/${summary.sampleOrganisationId}/trends`,
        `  ${api}/benchmarks?modelKey=datagedreven-overheid&period=2026&groupBy=organisationType`,
        `  ${api}/openapi.json`,
      ].join('\n'),
      exitCode: 0,
    };
  });
}
