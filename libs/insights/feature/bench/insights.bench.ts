/**
 * Insights benchmark: a store of BENCH_ORGANISATIONS organisations (default 2,000) × BENCH_PERIODS
 * periods (default 5) of closed, scored assessments. Measures the trends projection's catch-up
 * from zero (assessments/s; target ≥ 2,000) against a bare read of the same events, and p50/p95 of
 * a trend read and of a benchmark read with the organisation's position (target p95 ≤ 20 ms), each
 * beside the bare row read it stands on; then the same reads on a store of a tenth the size, to
 * show they stay flat.
 *
 * How the assessments are made: going through the full command path (one read and append per
 * invitation and answer) would take hours here, so each assessment's events are decided by the
 * platform's own pure decider (`assessmentDecider`: opened, respondents invited, their answers
 * recorded and submitted, closed with the score `scoreWith` computes from those answers, citing
 * them by hash) and appended in two appends (the answers, then the close and score), with real
 * hash chains, the same event types, shapes and metadata the platform records. Each assessment has
 * 2 respondents answering one question per factor; each organisation improves over the periods.
 * Quick look: BENCH_ORGANISATIONS=200 npm run bench:insights
 * A CPU profile of the catch-up alone: BENCH_CPU_PROFILE=<file prefix> (one file per store size).
 * The catch-up reports the CPU time per assessment of this process and of the PostgreSQL backends
 * of the bench's database (from /proc, on Linux).
 */
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { loadavg } from 'node:os';
import { sql } from 'kysely';
import { createTestDatabase, prepareTemplateDatabase, dropDatabase, testConfig, type TestDatabase } from '@maatlat/shared/testing';
import { domainEvent, logFilterOf, PostgresEventStore, ProjectionRunner, resetProjection, uuidv7, LOG_START } from '@maatlat/shared/event-store';
import { composeServices, eventStoreFeature, projectionsOf } from '@maatlat/shared/features';
import type { CommandMetadata } from '@maatlat/shared/domain';
import { SHIPPED_MODELS, type LayerId } from '@maatlat/model-catalogue/domain';
import { modelCatalogueFeature } from '@maatlat/model-catalogue/feature';
import { organisationsFeature } from '@maatlat/organisations/feature';
import { assessmentsFeature } from '@maatlat/assessments/feature';
import {
  answersOf,
  assessmentDecider,
  assessmentStreamId,
  CURRENT_SCORING_ALGORITHM,
  scoreWith,
  type AssessmentCommand,
  type AssessmentEvent,
  type AssessmentState,
} from '@maatlat/assessments/domain';
import { trendsProjection } from '@maatlat/insights/data-access';
import type { OrganisationType, SizeBand } from '@maatlat/organisations/domain';
import { insightsFeature, type Insights } from '../src';

const ORGANISATIONS = Number(process.env.BENCH_ORGANISATIONS ?? 2000);
const SMALL = Math.max(20, Math.round(ORGANISATIONS / 10));
const PERIODS = Array.from({ length: Number(process.env.BENCH_PERIODS ?? 5) }, (_, i) => String(2022 + i));
const AT_ONCE = 6;
const READS = Number(process.env.BENCH_READS ?? 200);
const KEY = 'datagedreven-overheid';
const TYPES: OrganisationType[] = ['ministry', 'executive-agency', 'inspectorate-or-regulator', 'province', 'municipality', 'water-board'];
const SIZES: SizeBand[] = ['small', 'medium', 'large', 'very-large'];
const LAYERS: LayerId[] = ['strategic', 'operational'];
const FEATURES = [eventStoreFeature, modelCatalogueFeature, organisationsFeature, assessmentsFeature, insightsFeature];

const meta = (actor = 'bench'): CommandMetadata => ({ now: new Date(), actor, correlationId: randomUUID() });

function percentiles(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] * 100) / 100;
  return { p50: at(0.5), p95: at(0.95) };
}

async function timeEach<T>(items: readonly T[], work: (item: T) => Promise<unknown>) {
  const samples: number[] = [];
  for (const item of items) {
    const started = process.hrtime.bigint();
    await work(item);
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return percentiles(samples);
}

async function inLanes<T>(items: readonly T[], lanes: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: lanes }, async () => {
    for (let i = next++; i < items.length; i = next++) await work(items[i], i);
  }));
}

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

interface Store {
  database: TestDatabase;
  /** The worker's side: computes changes ahead of reads when a score lands (its own process memory). */
  worker: Insights;
  store: PostgresEventStore;
  insights: Insights;
  organisationIds: string[];
  assessments: number;
  events: number;
}

/** One closed, scored assessment: decided by the platform's decider, appended with real hash chains. */
async function appendAssessment(store: PostgresEventStore, model: { contentHash: string; questionIds: string[]; document: (typeof SHIPPED_MODELS)['2026.1'] }, organisationId: string, period: string, level: number, next: () => number): Promise<number> {
  const assessmentId = uuidv7(Date.now());
  const streamId = assessmentStreamId(assessmentId);
  const metadata = { ...meta('bench-coordinator'), tenantId: organisationId };
  let state: AssessmentState = assessmentDecider.initialState();
  const decided: AssessmentEvent[] = [];
  const run = (command: AssessmentCommand) => {
    for (const event of assessmentDecider.decide(command, state)) {
      decided.push(event);
      state = assessmentDecider.evolve(state, event);
    }
  };
  run({
    type: 'OpenAssessment',
    data: {
      assessmentId,
      organisationId,
      scope: { kind: 'organisation', organisationId },
      period,
      model: { key: KEY, version: '2026.1', contentHash: model.contentHash, status: 'published', questionIds: model.questionIds, layers: model.document.layers.map((l) => l.id) },
      layers: LAYERS,
    },
    metadata,
  });
  const questions = model.document.factors.map((f) => f.questions[0].id);
  for (const [i, layer] of LAYERS.entries()) {
    const respondentId = `r-${createHash('sha256').update(`${organisationId}:${i}`).digest('hex').slice(0, 16)}`;
    run({ type: 'InviteToAssessment', data: { respondentId, layer }, metadata });
    for (const questionId of questions) {
      const answer = next() < 0.05 ? { dontKnow: true as const } : { level: Math.min(5, Math.max(0, Math.round(level + (next() - 0.5) * 2))) };
      run({ type: 'RecordAnswer', data: { respondentId, questionId, answer, justification: null, evidence: [] }, metadata });
    }
    run({ type: 'SubmitResponse', data: { respondentId }, metadata });
  }
  const toAppend = (events: AssessmentEvent[]) => events.map((e) => ({ eventId: uuidv7(Date.now()), type: e.type, data: e.data }));
  const answered = decided.length;
  await store.append(streamId, 0, toAppend(decided), metadata);
  const stored = await store.readStream<AssessmentEvent>(streamId, { withHashes: true });
  const score = scoreWith(CURRENT_SCORING_ALGORITHM, model.document, model.contentHash, answersOf(stored.map((e) => ({ version: e.version, eventId: e.eventId, hash: e.hash!, event: domainEvent(e) }))));
  const closing = assessmentDecider.decide({ type: 'CloseAssessment', data: { score, answersUpToVersion: answered }, metadata }, state);
  await store.append(streamId, answered, toAppend(closing), metadata);
  return answered + closing.length;
}

async function buildStore(organisations: number, log: (line: string) => void): Promise<Store> {
  const database = await createTestDatabase({ maxConnections: AT_ONCE + 4 });
  const store = new PostgresEventStore(database.db, database.pool);
  const services = composeServices(FEATURES, database.db, store, testConfig({ DATABASE_URL: database.url })) as unknown as { catalogue: import('@maatlat/model-catalogue/data-access').ModelCatalogue; organisations: import('@maatlat/organisations/data-access').Organisations; insights: Insights };
  await services.catalogue.draft({ document: SHIPPED_MODELS['2026.1'] }, meta('bench-admin'));
  const published = await services.catalogue.publish(KEY, '2026.1', { legalBasis: 'Woo', effectiveFrom: '2026-01-01' }, meta('bench-admin'));
  const document = SHIPPED_MODELS['2026.1'];
  const model = { contentHash: published.contentHash ?? '', questionIds: document.factors.flatMap((f) => f.questions.map((q) => q.id)), document };
  const organisationIds: string[] = new Array(organisations);
  const started = Date.now();
  let events = 0;
  await inLanes(Array.from({ length: organisations }, (_, i) => i), AT_ONCE, async (i) => {
    const next = random(7919 * (i + 1));
    const { organisationId } = await services.organisations.register({ name: `Bench organisation ${i}`, organisationType: TYPES[i % TYPES.length], sizeBand: SIZES[Math.floor(i / TYPES.length) % SIZES.length] }, meta('bench-admin'));
    organisationIds[i] = organisationId;
    const start = 0.5 + next() * 2.5;
    const pace = next() * 0.5;
    for (const [p, period] of PERIODS.entries()) {
      const appended = await appendAssessment(store, model, organisationId, period, start + pace * p, next);
      events += appended;
    }
    if ((i + 1) % 500 === 0) log(`    ${i + 1} of ${organisations} organisations, ${Math.round((Date.now() - started) / 1000)} s`);
  });
  // The organisations' read model is what benchmarks join; it is not what is measured here.
  const others = projectionsOf(FEATURES).filter((p) => p.name !== trendsProjection.name);
  await new ProjectionRunner(database.db, database.pool, store, others, { batchSize: 5000 }).catchUp();
  await sql`VACUUM (ANALYZE)`.execute(database.db);
  const worker = (composeServices(FEATURES, database.db, store, testConfig({ DATABASE_URL: database.url })) as unknown as { insights: Insights }).insights;
  return { database, store, worker, insights: services.insights, organisationIds, assessments: organisations * PERIODS.length, events };
}

/**
 * CPU time (ms) the PostgreSQL backends serving this bench's database have used so far, by pid, from
 * /proc (utime + stime, in clock ticks of 10 ms); empty where /proc is not readable. The bench's
 * database is its own, so these backends serve nothing else.
 */
async function backendCpu(target: Store): Promise<Map<number, number>> {
  const { rows } = await sql<{ pid: number }>`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`.execute(target.database.db);
  const cpu = new Map<number, number>();
  for (const { pid } of rows) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      cpu.set(pid, (Number(fields[11]) + Number(fields[12])) * 10);
    } catch {
      // Not on Linux, or not readable: the PostgreSQL share is left out.
    }
  }
  return cpu;
}

/** With BENCH_CPU_PROFILE=<file>: a CPU profile of `work` alone (open it in Chrome's DevTools). */
async function profiled<T>(name: string, work: () => Promise<T>): Promise<T> {
  const file = process.env.BENCH_CPU_PROFILE;
  if (!file) return work();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(`${file}.${name}.cpuprofile`, JSON.stringify(profile));
    session.disconnect();
  }
}

async function measuredCpu<T>(target: Store, work: () => Promise<T>): Promise<{ result: T; nodeMs: number; postgresMs: number }> {
  const before = await backendCpu(target);
  const node = process.cpuUsage();
  const result = await profiled(`${target.assessments}`, work);
  const used = process.cpuUsage(node);
  const after = await backendCpu(target);
  const postgresMs = [...after].reduce((sum, [pid, ms]) => sum + ms - (before.get(pid) ?? 0), 0);
  return { result, nodeMs: (used.user + used.system) / 1000, postgresMs };
}

/** The projection from zero, against a bare read of the same events through the store (no writes). */
async function catchUp(target: Store) {
  const { database, store } = target;
  let started = Date.now();
  let read = 0;
  for (let after = LOG_START; ; ) {
    const batch = await store.readAll(after, 5000, undefined, logFilterOf(trendsProjection));
    if (batch.scanned === 0) break;
    read += batch.events.length;
    after = batch.checkpoint;
  }
  const bareMs = Date.now() - started;
  await resetProjection(database.db, trendsProjection);
  started = Date.now();
  const { result: processed, nodeMs, postgresMs } = await measuredCpu(target, () => new ProjectionRunner(database.db, database.pool, store, [trendsProjection], { batchSize: 5000 }).catchUp());
  const projectionMs = Date.now() - started;
  const perAssessment = (ms: number) => Math.round((ms / target.assessments) * 1000) / 1000;
  const rows = await database.db.selectFrom('insights_trend_points').select(sql<number>`count(*)::int`.as('n')).where('score', 'is not', null).executeTakeFirstOrThrow();
  return { processed, read, rows: rows.n, projectionMs, bareMs, assessmentsPerS: Math.round(target.assessments / (projectionMs / 1000)), bareAssessmentsPerS: Math.round(target.assessments / (bareMs / 1000)), nodeCpuMsPerAssessment: perAssessment(nodeMs), postgresCpuMsPerAssessment: perAssessment(postgresMs) };
}

/**
 * A trend read shows the change since the previous point with a bootstrap (400 resamples of the
 * respondents, each scored again). The worker computes and keeps those changes when a score lands
 * (the `insights_changes_ahead` reaction); here that is done for the organisations read, by a
 * separate services instance (as the worker is a separate process), and its cost per assessment
 * reported. A first read of an organisation then reads kept changes; a repeat reads them from the
 * process. Both are measured, over organisations not read before.
 */
async function reads(target: Store) {
  const { insights, organisationIds, database } = target;
  const period = PERIODS[PERIODS.length - 1];
  // Warm up code paths and the model cache on the first ten organisations; the rest are measured.
  for (const id of organisationIds.slice(0, 10)) await Promise.all([insights.organisationTrends(id), insights.benchmarkPosition(id, { modelKey: KEY, period })]);
  const measured = organisationIds.slice(10, 10 + READS);
  const scored = await database.db.selectFrom('insights_trend_points').select('assessment_id').where('organisation_id', 'in', [...organisationIds.slice(0, 10), ...measured]).where('score', 'is not', null).execute();
  const aheadStarted = Date.now();
  for (let i = 0; i < scored.length; i += 50) await target.worker.precomputeChanges(scored.slice(i, i + 50).map((r) => r.assessment_id));
  const aheadMsPerAssessment = Math.round(((Date.now() - aheadStarted) / scored.length) * 10) / 10;
  const bareTrend = await timeEach(measured, (id) => database.db.selectFrom('insights_trend_points').selectAll().where('organisation_id', '=', id).where('score', 'is not', null).orderBy('period').execute());
  const trend = await timeEach(measured, (id) => insights.organisationTrends(id));
  const warmTrend = await timeEach(measured, (id) => insights.organisationTrends(id));
  const few = measured.slice(0, Math.min(READS, 50));
  const bareBenchmark = await timeEach(few, () =>
    database.db.selectFrom('insights_trend_points').innerJoin('organisations', 'organisations.organisation_id', 'insights_trend_points.organisation_id').selectAll('insights_trend_points').select(['organisation_type', 'size_band']).where('period', '=', period).where('scope_kind', '=', 'organisation').execute(),
  );
  const benchmark = await timeEach(few, (id) => Promise.all([insights.benchmarks({ modelKey: KEY, period, groupBy: 'organisationType', level: 'organisation' }), insights.benchmarkPosition(id, { modelKey: KEY, period })]));
  return { trend, warmTrend, bareTrend, benchmark, bareBenchmark, aheadMsPerAssessment };
}

async function main() {
  const log = (line: string) => process.stdout.write(`${line}\n`);
  await prepareTemplateDatabase();
  log(`insights benchmark: ${ORGANISATIONS} organisations × ${PERIODS.length} periods (and ${SMALL} × ${PERIODS.length} for comparison)`);
  log('  assessments decided by the platform\'s assessment decider (open, invite 2 respondents, 12 answers each, submit, close with the computed score) and appended with real hash chains; see the header of this file');

  log(`  building the small store (${SMALL} organisations)…`);
  let started = Date.now();
  const small = await buildStore(SMALL, log);
  log(`    ${small.assessments} assessments, ${small.events} events in ${Math.round((Date.now() - started) / 1000)} s`);
  const smallCatchUp = await catchUp(small);
  const smallReads = await reads(small);
  await small.database.drop();

  log(`  building the large store (${ORGANISATIONS} organisations)…`);
  started = Date.now();
  const large = await buildStore(ORGANISATIONS, log);
  const generationS = Math.round((Date.now() - started) / 1000);
  log(`    ${large.assessments} assessments, ${large.events} events in ${generationS} s (${Math.round(large.assessments / generationS)} assessments/s generated)`);
  const largeCatchUp = await catchUp(large);
  const largeReads = await reads(large);
  await large.database.drop();

  const flat = (a: number, b: number) => Math.round((a / b) * 100) / 100;
  log('');
  log(`trends projection from zero: ${largeCatchUp.processed} events → ${largeCatchUp.rows} scored points in ${largeCatchUp.projectionMs} ms: ${largeCatchUp.assessmentsPerS} assessments/s (target ≥ 2,000)`);
  log(`  baseline, a bare read of the same events: ${largeCatchUp.bareMs} ms (${largeCatchUp.bareAssessmentsPerS} assessments/s); projection/bare time ${flat(largeCatchUp.projectionMs, largeCatchUp.bareMs)}×`);
  log(`  CPU per assessment: node ${largeCatchUp.nodeCpuMsPerAssessment} ms, PostgreSQL backends ${largeCatchUp.postgresCpuMsPerAssessment} ms; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  log(`  small store: ${smallCatchUp.assessmentsPerS} assessments/s`);
  log(`trend read, first of an organisation (its line over ${PERIODS.length} periods, changes kept ahead): p50 ${largeReads.trend.p50} ms, p95 ${largeReads.trend.p95} ms (target p95 ≤ 20 ms); bare row read p95 ${largeReads.bareTrend.p95} ms`);
  log(`  changes computed ahead when a score lands (worker, not on the read path): ${largeReads.aheadMsPerAssessment} ms per assessment`);
  log(`  repeated (changes kept in the process): p50 ${largeReads.warmTrend.p50} ms, p95 ${largeReads.warmTrend.p95} ms`);
  log(`  small store: first p50 ${smallReads.trend.p50} ms, p95 ${smallReads.trend.p95} ms, repeated p95 ${smallReads.warmTrend.p95} ms; large/small first-read p95 ${flat(largeReads.trend.p95, smallReads.trend.p95)}×`);
  log(`benchmark read with position (by type, and the organisation's position in its groups): p50 ${largeReads.benchmark.p50} ms, p95 ${largeReads.benchmark.p95} ms (target p95 ≤ 20 ms); bare row read p95 ${largeReads.bareBenchmark.p95} ms`);
  log(`  small store: p50 ${smallReads.benchmark.p50} ms, p95 ${smallReads.benchmark.p95} ms; large/small p95 ${flat(largeReads.benchmark.p95, smallReads.benchmark.p95)}×`);
  log(
    JSON.stringify({
      organisations: ORGANISATIONS,
      periods: PERIODS.length,
      assessments: large.assessments,
      events: large.events,
      generation: 'assessmentDecider + scoreWith, appended with hash chains (2 appends per assessment)',
      insights_rebuild_assessments_per_s: largeCatchUp.assessmentsPerS,
      insights_rebuild_bare_read_assessments_per_s: largeCatchUp.bareAssessmentsPerS,
      insights_rebuild_node_cpu_ms_per_assessment: largeCatchUp.nodeCpuMsPerAssessment,
      insights_rebuild_postgres_cpu_ms_per_assessment: largeCatchUp.postgresCpuMsPerAssessment,
      load_average: loadavg().map((l) => Math.round(l * 100) / 100),
      trend_p50_ms: largeReads.trend.p50,
      trend_p95_ms: largeReads.trend.p95,
      trend_changes_ahead_ms_per_assessment: largeReads.aheadMsPerAssessment,
      trend_warm_p50_ms: largeReads.warmTrend.p50,
      trend_warm_p95_ms: largeReads.warmTrend.p95,
      trend_bare_p95_ms: largeReads.bareTrend.p95,
      benchmark_p50_ms: largeReads.benchmark.p50,
      benchmark_p95_ms: largeReads.benchmark.p95,
      benchmark_bare_p95_ms: largeReads.bareBenchmark.p95,
      small_organisations: SMALL,
      small_insights_rebuild_assessments_per_s: smallCatchUp.assessmentsPerS,
      small_trend_p95_ms: smallReads.trend.p95,
      small_trend_warm_p95_ms: smallReads.warmTrend.p95,
      small_benchmark_p95_ms: smallReads.benchmark.p95,
      trend_p95_large_over_small: flat(largeReads.trend.p95, smallReads.trend.p95),
      benchmark_p95_large_over_small: flat(largeReads.benchmark.p95, smallReads.benchmark.p95),
    }),
  );
  await dropDatabase(process.env.MAATLAT_TEST_TEMPLATE!);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
