/**
 * Assessment read-path benchmark: p50/p95/p99 of explain, as-of and verify for one assessment of
 * ~3,000 answer events, with the store at 200,000 events and again at 5,000,000 (cost should follow
 * the stream, not the store). The other events are filler rows inserted in bulk with SQL (their
 * hash chains are not valid; the measured calls read only the measured assessment's stream).
 * Scale down for a quick look: BENCH_BIG_EVENTS=1000000 npm run bench:assessments
 * Then recalculation throughput: sets of 250 closed assessments rescored through the outbox and
 * BullMQ by one worker process and by two (separate processes of apps/worker), assessments per
 * second, with the CPU each part used. The scale-out ratio is measured with one job at a time per
 * process (JOB_CONCURRENCY=1), one and two workers taking turns three times (BENCH_RECALC_REPEATS),
 * medians reported; the default concurrency (4) is measured once each: where one such process
 * already fills the machine's cores, a second cannot add much. A 2-core machine cannot show a
 * second worker's throughput, so what is held to a target is what it can show: the scaling
 * efficiency, (throughput with two workers / with one) / (cores the platform kept busy with two /
 * with one), target >= 0.9 (a second worker turns its cores into throughput as well as the first),
 * and the CPU milliseconds (workers plus their PostgreSQL backends) per rescored assessment, lower is
 * better. "Cores busy" is the CPU time the worker processes and the PostgreSQL backends serving them
 * actually consumed (from /proc, the backends found through pg_stat_activity and sampled through
 * the run, so one that comes and goes is counted too) over the run's wall time: on a shared machine
 * both throughput and cores follow the share of the CPU the platform got, and their quotient (per
 * run, assessments per CPU second) does not, so the efficiency is the median CPU per assessment
 * with one worker over that with two.
 * Scale down: BENCH_RECALC_ASSESSMENTS=40 BENCH_BIG_EVENTS=1000000 npm run bench:assessments
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { createTestDatabase, dropDatabase, dropTestQueue, prepareTemplateDatabase, TEST_DATA_KEY_ENCRYPTION_KEYS, testConfig } from '@maatlat/shared/testing';
import { QUEUE_NAME } from '@maatlat/shared/jobs';
import { PostgresEventStore } from '@maatlat/shared/event-store';
import type { CommandMetadata } from '@maatlat/shared/domain';
import { SHIPPED_MODELS } from '@maatlat/model-catalogue/domain';
import { ModelCatalogue } from '@maatlat/model-catalogue/data-access';
import { Organisations } from '@maatlat/organisations/data-access';
import { PersonalDataVault, Respondents } from '@maatlat/respondents/data-access';
import { assessmentsFeature } from '../src';

const SMALL = 200_000;
const BIG = Number(process.env.BENCH_BIG_EVENTS ?? 5_000_000);
const RESPONDENTS = 75;
const MEASURED_MODEL = 'datagedreven-overheid-bench';
const WARM_UP_MODEL = 'datagedreven-overheid-warm-up';
const WARM_UP_ASSESSMENTS = 12;
const RUN_MODEL = 'datagedreven-overheid-run';
const CLOSED = Number(process.env.BENCH_RECALC_ASSESSMENTS ?? 250);
/** How many times one worker and two take turns (job concurrency 1). */
const REPEATS = Number(process.env.BENCH_RECALC_REPEATS ?? 3);

const meta = (actor = 'bench'): CommandMetadata => ({ now: new Date(), actor, correlationId: randomUUID() });

function percentiles(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] * 100) / 100;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}

async function time(iterations: number, work: () => Promise<unknown>) {
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const started = process.hrtime.bigint();
    await work();
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return percentiles(samples);
}

interface RunFigures {
  workers: number;
  concurrency: number;
  seconds: number;
  rate: number;
  cores: number;
  cpuMsPerAssessment: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const ticks = Number(process.env.BENCH_CLOCK_TICKS ?? 100);
/** CPU seconds a process has used so far; undefined once it is gone. */
function processSeconds(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticks;
  } catch {
    return undefined;
  }
}

/**
 * Where the CPU went during a timed part (Linux /proc; zeros elsewhere): the whole machine, the
 * worker processes, PostgreSQL's processes and this process, in core-seconds (the backends serving
 * the workers are sampled through the run: `sampleBackends`). The workers and their backends are the
 * platform's share: on a machine other work shares, the machine's and all of PostgreSQL's figures
 * include that work too.
 */
function cpuSnapshot(workerPids: number[]) {
  if (!existsSync('/proc/stat')) return { machineBusy: 0, machineTotal: 0, workers: 0, postgres: 0, self: 0 };
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = cpu[3] + cpu[4];
  const total = cpu.reduce((a, b) => a + b, 0);
  let postgres = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres') postgres += processSeconds(Number(entry)) ?? 0;
    } catch {
      // The process ended while we looked.
    }
  }
  const self = process.cpuUsage();
  return {
    machineBusy: (total - idle) / ticks,
    machineTotal: total / ticks,
    workers: workerPids.reduce((sum, pid) => sum + (processSeconds(pid) ?? 0), 0),
    postgres,
    self: (self.user + self.system) / 1e6,
  };
}

/**
 * Waits until the worker processes use (almost) no CPU for half a second; returns when that quiet
 * half second began, so the wait itself is not timed.
 */
async function untilIdle(workerPids: number[]): Promise<bigint> {
  for (;;) {
    const since = process.hrtime.bigint();
    const before = cpuSnapshot(workerPids).workers;
    await new Promise((resolve) => setTimeout(resolve, 500));
    if (cpuSnapshot(workerPids).workers - before < 0.03) return since;
  }
}

async function main(): Promise<void> {
  await prepareTemplateDatabase();
  const database = await createTestDatabase({ maxConnections: 8 });
  const { db, pool } = database;
  try {
    const store = new PostgresEventStore(db, pool);
    const catalogue = new ModelCatalogue(db, store);
    const organisations = new Organisations(db, store);
    const config = testConfig({ DATABASE_URL: database.url });
    const vault = PersonalDataVault.fromConfig(db, config);
    const respondents = new Respondents(db, store, vault);
    const { assessments, recalculations } = assessmentsFeature.createServices(db, store, config, { catalogue, organisations, respondents, vault });

    await catalogue.draft({ document: SHIPPED_MODELS['2026.1'] }, meta());
    await catalogue.publish('datagedreven-overheid', '2026.1', { legalBasis: 'Woo', effectiveFrom: '2026-01-01' }, meta());
    // The measured assessment uses the same model under its own key, so the recalculations measured
    // below (of datagedreven-overheid@2026.1) leave its stream as it is between the two sizes.
    await catalogue.draft({ document: { ...SHIPPED_MODELS['2026.1'], key: MEASURED_MODEL } }, meta());
    await catalogue.publish(MEASURED_MODEL, '2026.1', { legalBasis: 'Woo', effectiveFrom: '2026-01-01' }, meta());
    const { organisationId } = await organisations.register({ name: 'Benchmarkgemeente', organisationType: 'municipality', sizeBand: 'large' }, meta());
    const { assessmentId } = await assessments.open(
      { organisationId, scope: { kind: 'organisation', organisationId }, period: '2026', model: { key: MEASURED_MODEL, version: '2026.1' }, layers: ['strategic', 'tactical', 'operational'] },
      meta(),
    );
    const questions = SHIPPED_MODELS['2026.1'].factors.flatMap((f) => f.questions.map((q) => q.id));
    let middle: Date | undefined;
    for (let i = 0; i < RESPONDENTS; i++) {
      const layer = (['strategic', 'tactical', 'operational'] as const)[i % 3];
      const { respondentId } = await respondents.register(organisationId, { name: `R${i}`, email: `r${i}@example.nl` }, meta());
      await assessments.invite(assessmentId, respondentId, layer, meta());
      await assessments.recordAnswers(assessmentId, respondentId, questions.map((questionId, q) => ({ questionId, answer: { level: (i + q) % 6 } })), meta(respondentId), { submit: true });
      if (i === Math.floor(RESPONDENTS / 2)) middle = new Date();
    }
    await assessments.close(assessmentId, meta());
    const streamLength = (await store.readStream(`assessment-${assessmentId}`)).length;

    const fill = async (target: number) => {
      for (;;) {
        const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM events`.execute(db);
        const missing = target - rows[0].n;
        if (missing <= 0) return;
        const chunk = Math.min(missing, 500_000);
        const prefix = randomUUID().slice(0, 8);
        await sql`
          INSERT INTO events (stream_id, version, event_id, type, schema_version, data, metadata, recorded_at, content_hash, previous_hash, hash)
          SELECT 'filler-' || ${prefix} || '-' || (g / 10), (g % 10) + 1, gen_random_uuid(), 'AnswerRecorded', 1,
                 jsonb_build_object('questionId', 'F01-Q1', 'level', g % 6, 'respondentId', 'r-filler'),
                 '{"actor":"r-filler","correlationId":"filler"}'::jsonb, now(), '\\x00', '\\x00', '\\x00'
            FROM generate_series(0, ${chunk - 1}) AS g`.execute(db);
      }
    };

    const measure = async (label: string) => {
      // A store that has grown to this size over months is vacuumed and analysed; one just filled in
      // bulk is not yet, and autovacuum or the checkpointer would otherwise run during the measurement.
      await sql`VACUUM (ANALYZE) events`.execute(db);
      await sql`CHECKPOINT`.execute(db);
      // Warm the model cache and the code paths; only what follows is measured.
      for (let i = 0; i < 20; i++) await Promise.all([assessments.explain(assessmentId, 'F05'), assessments.get(assessmentId, middle), i < 3 && assessments.verify(assessmentId)]);
      const explain = await time(200, () => assessments.explain(assessmentId, 'F05'));
      const asOf = await time(200, () => assessments.get(assessmentId, middle));
      const verify = await time(30, () => assessments.verify(assessmentId));
      const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM events`.execute(db);
      console.log(`${label}: store ${rows[0].n} events; explain p50/p95/p99 ${explain.p50}/${explain.p95}/${explain.p99} ms, as-of ${asOf.p50}/${asOf.p95}/${asOf.p99} ms, verify ${verify.p50}/${verify.p95}/${verify.p99} ms`);
      return { explain, asOf, verify, events: rows[0].n };
    };

    console.log(`measured assessment: ${streamLength} events (${RESPONDENTS} respondents x ${questions.length} answers)`);
    await fill(SMALL);
    const small = await measure('small');

    // Recalculation throughput, with the store at the small size. Every timed run rescores a set
    // of closed assessments of its own (its own copy of the model), so no run reads streams an
    // earlier run made longer. A small extra set is rescored before each timed run: a fresh worker
    // process loads modules and optimises code on its first jobs, which is not throughput.
    const RUNS = [
      ...Array.from({ length: REPEATS }, () => [
        { workers: 1, concurrency: 1 },
        { workers: 2, concurrency: 1 },
      ]).flat(),
      { workers: 1, concurrency: 4 },
      { workers: 2, concurrency: 4 },
    ];
    const madeFrom = Date.now();
    const pool9: string[] = [];
    for (let i = 0; i < 9; i++) pool9.push((await respondents.register(organisationId, { name: `P${i}`, email: `p${i}@example.nl` }, meta())).respondentId);
    const makeClosedAssessments = async (modelKey: string, count: number) => {
      await catalogue.draft({ document: { ...SHIPPED_MODELS['2026.1'], key: modelKey } }, meta());
      await catalogue.publish(modelKey, '2026.1', { legalBasis: 'Woo', effectiveFrom: '2026-01-01' }, meta());
      for (let a = 0; a < count; a++) {
        const { assessmentId: id } = await assessments.open(
          { organisationId, scope: { kind: 'organisation', organisationId }, period: `2026-r${a}`, model: { key: modelKey, version: '2026.1' }, layers: ['strategic', 'tactical', 'operational'] },
          meta(),
        );
        for (const [i, respondentId] of pool9.entries()) {
          await assessments.invite(id, respondentId, (['strategic', 'tactical', 'operational'] as const)[i % 3], meta());
          await assessments.recordAnswers(id, respondentId, questions.map((questionId, q) => ({ questionId, answer: { level: (a + i + q) % 6 } })), meta(respondentId), { submit: true });
        }
        await assessments.close(id, meta());
      }
    };
    // A rescoring of one set cannot be repeated (a recalculation's id derives from its cause, so a
    // second start is the first one again): every run warms its fresh workers up on a set of its own.
    for (const run of RUNS.keys()) {
      await makeClosedAssessments(`${WARM_UP_MODEL}-${run}`, WARM_UP_ASSESSMENTS);
      await makeClosedAssessments(`${RUN_MODEL}-${run}`, CLOSED);
    }
    console.log(`${RUNS.length} sets of ${CLOSED} closed assessments to rescore, made in ${((Date.now() - madeFrom) / 1000).toFixed(0)} s`);
    /** Rescores every closed assessment of `model`@2026.1 (an algorithm upgrade) and waits for the last. */
    const rescoreAll = async (model: string) => {
      const version = { key: model, version: '2026.1' };
      const id = await recalculations.start({ kind: 'algorithm-upgrade', algorithm: 'maatlat-scoring/v1' }, version, version, meta());
      for (;;) {
        const progress = await recalculations.progress(id);
        if (progress.failed > 0) throw new Error(`recalculation failed: ${JSON.stringify(progress.failures[0])}`);
        if (progress.done >= progress.total) return progress;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    /** The PostgreSQL backends of the worker processes (their pools connect as maatlat-worker). */
    const workerBackends = async () =>
      (await sql<{ pid: number }>`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'maatlat-worker'`.execute(db)).rows.map((r) => r.pid);
    /**
     * CPU seconds used by the workers' PostgreSQL backends from now until `stop()`: they are looked
     * up and read every 200 ms, so one that opens during the run counts from zero and one that
     * closes counts up to its last reading (at most 200 ms of it missed).
     */
    const sampleBackends = async () => {
      const first = new Map<number, number>();
      const last = new Map<number, number>();
      const read = async (startingNow: boolean) => {
        for (const pid of await workerBackends()) {
          const seconds = processSeconds(pid);
          if (seconds === undefined) continue;
          if (!first.has(pid)) first.set(pid, startingNow ? seconds : 0);
          last.set(pid, seconds);
        }
      };
      await read(true);
      let sampling = true;
      const loop = (async () => {
        while (sampling) {
          await new Promise((resolve) => setTimeout(resolve, 200));
          await read(false);
        }
      })();
      return {
        stop: async () => {
          sampling = false;
          await loop;
          await read(false);
          return [...last].reduce((sum, [pid, seconds]) => sum + seconds - first.get(pid)!, 0);
        },
        seen: () => last.size,
      };
    };
    const throughput = async (run: number): Promise<RunFigures> => {
      const { workers, concurrency } = RUNS[run];
      const prefix = `bench-${randomUUID().slice(0, 8)}`;
      const env = { ...process.env, DATABASE_URL: database.url, QUEUE_PREFIX: prefix, LOG_LEVEL: 'warn', DATA_KEY_ENCRYPTION_KEYS: TEST_DATA_KEY_ENCRYPTION_KEYS, JOB_CONCURRENCY: String(concurrency) };
      const children: ChildProcess[] = Array.from({ length: workers }, () =>
        spawn(process.execPath, ['-r', join(__dirname, '../../../../scripts/register.js'), join(__dirname, '../../../../apps/worker/src/main.ts')], { env, stdio: 'ignore' }),
      );
      try {
        // Let the workers' projections catch up first: only the rescoring is timed.
        for (;;) {
          const { rows } = await sql<{ behind: number }>`
            SELECT count(*)::int AS behind FROM projection_checkpoints c
             WHERE EXISTS (SELECT 1 FROM events e WHERE (e.transaction_id, e.position) > (c.transaction_id, c.position))`.execute(db);
          const { rows: names } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM projection_checkpoints`.execute(db);
          if (names[0].n >= 6 && rows[0].behind === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        await rescoreAll(`${WARM_UP_MODEL}-${run}`);
        const pids = children.map((child) => child.pid!);
        // A rescoring causes more work than its job: the projections, and the trend changes the
        // worker computes ahead for every new score (a bootstrap, in the background of whichever
        // process holds the projections). Timed from an idle platform until it is idle again, so
        // every configuration is charged all the work its rescorings cause, not what happens to
        // fall inside its window.
        await untilIdle(pids);
        const backends = await sampleBackends();
        const cpuBefore = cpuSnapshot(pids);
        const started = process.hrtime.bigint();
        const progress = await rescoreAll(`${RUN_MODEL}-${run}`);
        const idleSince = await untilIdle(pids);
        const seconds = Number(idleSince - started) / 1e9;
        const backendSeconds = await backends.stop();
        const cpuAfter = cpuSnapshot(children.map((child) => child.pid!));
        const rate = progress.total / seconds;
        const delta = (key: keyof typeof cpuAfter) => cpuAfter[key] - cpuBefore[key];
        const used = (key: keyof typeof cpuAfter) => (delta(key) / seconds).toFixed(2);
        const platformSeconds = delta('workers') + backendSeconds;
        const cores = platformSeconds / seconds;
        const cpuMsPerAssessment = (platformSeconds * 1000) / progress.total;
        const load = loadavg()[0].toFixed(1);
        console.log(`recalculation run ${run + 1}, ${workers} worker process(es) x ${concurrency} job(s) at a time: ${progress.total} assessments in ${seconds.toFixed(2)} s, ${rate.toFixed(1)} assessments/s (load ${load})`);
        console.log(`  cores busy on average: machine ${used('machineBusy')} of ${used('machineTotal')}; workers ${used('workers')}, PostgreSQL ${used('postgres')} (of which the workers' backends ${(backendSeconds / seconds).toFixed(2)}, ${backends.seen()} seen), this process ${used('self')}`);
        console.log(`  the platform (workers and their backends): ${platformSeconds.toFixed(2)} CPU s, ${cores.toFixed(2)} cores, ${cpuMsPerAssessment.toFixed(1)} CPU ms per rescored assessment`);
        return { workers, concurrency, seconds, rate, cores, cpuMsPerAssessment };
      } finally {
        children.forEach((child) => child.kill('SIGTERM'));
        await Promise.all(children.map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)))));
        await dropTestQueue(prefix, QUEUE_NAME);
      }
    };
    const runs: RunFigures[] = [];
    for (const run of RUNS.keys()) runs.push(await throughput(run));
    const ofConfiguration = (workers: number, concurrency: number) => runs.filter((r) => r.workers === workers && r.concurrency === concurrency);
    const [ones, twos] = [ofConfiguration(1, 1), ofConfiguration(2, 1)];
    const oneDefault = ofConfiguration(1, 4)[0].rate;
    const twoDefault = ofConfiguration(2, 4)[0].rate;
    console.log('recalculation runs (job concurrency 1), in the order run:');
    for (const r of runs.filter((run) => run.concurrency === 1)) {
      console.log(`  ${r.workers} worker(s): ${r.seconds.toFixed(2)} s, ${r.rate.toFixed(1)} assessments/s, ${r.cores.toFixed(2)} cores, ${r.cpuMsPerAssessment.toFixed(1)} CPU ms per assessment`);
    }
    const one = median(ones.map((r) => r.rate));
    const two = median(twos.map((r) => r.rate));
    const coresOne = median(ones.map((r) => r.cores));
    const coresTwo = median(twos.map((r) => r.cores));
    const cpuMsOne = median(ones.map((r) => r.cpuMsPerAssessment));
    const cpuMsTwo = median(twos.map((r) => r.cpuMsPerAssessment));
    // Throughput over cores busy is assessments per CPU second, per run: its median per
    // configuration, two over one, is the efficiency, which a share of the machine taken by other
    // work (slowing a run and leaving it fewer cores alike) does not move.
    const scalingEfficiency = cpuMsOne / cpuMsTwo;
    const cpuMsPerAssessment = median([...ones, ...twos].map((r) => r.cpuMsPerAssessment));
    console.log(
      `scaling efficiency (target >= 0.9), medians of ${REPEATS} runs each: CPU ms per assessment one ${cpuMsOne.toFixed(1)} / two ${cpuMsTwo.toFixed(1)} = ${scalingEfficiency.toFixed(2)} ` +
        `(throughput two/one ${(two / one).toFixed(2)}, cores busy two/one ${(coresTwo / coresOne).toFixed(2)}); ${cpuMsPerAssessment.toFixed(1)} CPU ms per rescored assessment (load average ${loadavg().map((l) => l.toFixed(2)).join(' ')})`,
    );
    await fill(BIG);
    const big = await measure('big');

    const summary = {
      assessment_events: streamLength,
      store_events_small: small.events,
      store_events: big.events,
      explain_p50_ms: big.explain.p50,
      explain_p95_ms: big.explain.p95,
      explain_p99_ms: big.explain.p99,
      asof_p50_ms: big.asOf.p50,
      asof_p95_ms: big.asOf.p95,
      asof_p99_ms: big.asOf.p99,
      verify_p50_ms: big.verify.p50,
      verify_p95_ms: big.verify.p95,
      verify_p99_ms: big.verify.p99,
      explain_p95_ms_small: small.explain.p95,
      asof_p95_ms_small: small.asOf.p95,
      verify_p95_ms_small: small.verify.p95,
      explain_big_vs_small: Math.round((big.explain.p95 / small.explain.p95) * 100) / 100,
      asof_big_vs_small: Math.round((big.asOf.p95 / small.asOf.p95) * 100) / 100,
      recalc_assessments_per_s_one: Math.round(one * 10) / 10,
      recalc_assessments_per_s_two: Math.round(two * 10) / 10,
      recalc_two_vs_one: Math.round((two / one) * 100) / 100,
      recalc_assessments_per_s_one_concurrency_4: Math.round(oneDefault * 10) / 10,
      recalc_assessments_per_s_two_concurrency_4: Math.round(twoDefault * 10) / 10,
      recalc_scaling_efficiency: Math.round(scalingEfficiency * 100) / 100,
      recalc_runs_per_configuration: REPEATS,
      recalc_cpu_ms_per_assessment_one: Math.round(cpuMsOne * 10) / 10,
      recalc_cpu_ms_per_assessment_two: Math.round(cpuMsTwo * 10) / 10,
      recalc_cpu_ms_per_assessment: Math.round(cpuMsPerAssessment * 10) / 10,
      recalc_cores_busy_one: Math.round(coresOne * 100) / 100,
      recalc_cores_busy_two: Math.round(coresTwo * 100) / 100,
      load_average: loadavg().map((l) => Math.round(l * 100) / 100),
    };
    console.log(JSON.stringify(summary));
  } finally {
    await database.drop();
    await dropDatabase(process.env.MAATLAT_TEST_TEMPLATE!);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
