/**
 * bench:answers — many respondents answering one assessment at once, as browsers do.
 *
 * 100 respondents each answer the model's 41 questions one after the other, all respondents at the
 * same time, over HTTP against one API process, from a process of their own (answers-crowd.ts, on
 * keep-alive connections as browsers keep them), so the API process's CPU per answer is measured
 * alone; then the same answers are recorded in-process
 * (the use case called directly) on a second assessment, as the baseline for the ratio; then, to
 * show where the time goes, the same appends made to the event store directly (each respondent's
 * response stream, guarded by a third assessment, as the use case appends them: the floor the
 * database sets). Prints the figures and, last, one JSON line: answers_per_s, answer_p95_ms,
 * http_vs_inprocess, conflicts, lost. Run: npm run bench:answers (RESPONDENTS=… to change the crowd; PROFILE=<file> writes the API
 * process's CPU profile over the HTTP phase).
 */
import 'reflect-metadata';
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import { NestFactory } from '@nestjs/core';
import { mintLocalToken } from '@maatlat/access';
import { PostgresEventStore } from '@maatlat/shared/event-store';
import type { CommandMetadata } from '@maatlat/shared/domain';
import { createTestDatabase, dropDatabase, prepareTemplateDatabase, testConfig } from '@maatlat/shared/testing';
import { FEATURE_SERVICES } from '@maatlat/shared/tokens';
import { SHIPPED_MODELS } from '@maatlat/model-catalogue/domain';
import { assessmentStreamId, responseStreamId } from '@maatlat/assessments/domain';
import type { AssessmentsServices } from '@maatlat/assessments/feature';
import { AppModule } from '../src/app.module';
import { configureApi } from '../src/app.setup';
import type { CrowdResult, CrowdTask } from './answers-crowd';

const RESPONDENTS = Number(process.env.RESPONDENTS ?? 100);
const WARM_UP_RESPONDENTS = 10;
const SECRET = 'bench-local-issuer-secret-0123456789abcdef';
const MODEL = SHIPPED_MODELS['2026.1'];
const QUESTIONS = MODEL.factors.flatMap((f) => f.questions.map((q) => q.id));
const LAYERS = ['strategic', 'tactical', 'operational'] as const;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main(): Promise<void> {
  await prepareTemplateDatabase();
  const database = await createTestDatabase({ maxConnections: 2 });
  const config = testConfig({
    DATABASE_URL: database.url,
    QUEUE_PREFIX: `bench-answers-${randomUUID()}`,
    LOCAL_ISSUER: 'on',
    LOCAL_ISSUER_SECRET: SECRET,
    INVITATION_SECRET: 'bench-invitation-secret-0123456789abcdef',
    LOG_LEVEL: 'silent',
  });
  const app = configureApi(await NestFactory.create(AppModule.forRoot(config), { logger: false }));
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  const admin = `Bearer ${await mintLocalToken(SECRET, { subject: 'bench-admin', roles: ['platform-admin'], organisations: [] })}`;
  // Statements (each its own transaction, or one transaction of several) the bench database committed:
  // read around a phase, after PostgreSQL's statistics are flushed (at most a second late), they
  // say how many transactions an answer took on the way it was recorded.
  const committed = async () => {
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const { rows } = await database.pool.query<{ n: string }>('SELECT xact_commit::text AS n FROM pg_stat_database WHERE datname = current_database()');
    return Number(rows[0].n);
  };
  const networkErrors = new Map<string, number>();
  const call = async (method: string, path: string, body?: unknown, token = admin) => {
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, { method, headers: { authorization: token, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (error) {
      // No response at all (a connection refused or reset): counted apart, as status 0, with its cause.
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const reason = cause?.code ?? cause?.message ?? String(error);
      networkErrors.set(reason, (networkErrors.get(reason) ?? 0) + 1);
      return { status: 0, body: { error: reason } };
    }
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  const ok = async (method: string, path: string, body?: unknown, token = admin) => {
    const { status, body: answer } = await call(method, path, body, token);
    if (status >= 300) throw new Error(`${method} ${path}: ${status} ${JSON.stringify(answer)}`);
    return answer;
  };

  try {
    await ok('POST', '/v1/model-versions', { document: MODEL });
    await ok('POST', '/v1/model-versions/datagedreven-overheid/2026.1/publish', { legalBasis: 'Woo', effectiveFrom: '2026-01-01' });
    const { organisationId } = await ok('POST', '/v1/organisations', { name: 'Gemeente Benchmark', organisationType: 'municipality', sizeBand: 'large' });
    const openAssessment = async () =>
      (await ok('POST', '/v1/assessments', { organisationId, scope: { kind: 'organisation' }, period: '2026', model: { key: 'datagedreven-overheid', version: '2026.1' }, layers: [...LAYERS] })).assessmentId as string;
    const crowd = async (assessmentId: string, size = RESPONDENTS) => {
      const people: { respondentId: string; token: string }[] = [];
      for (let i = 0; i < size; i++) {
        const layer = LAYERS[i % LAYERS.length];
        const { respondentId } = await ok('POST', `/v1/organisations/${organisationId}/respondents`, { name: `Respondent ${i}`, email: `r${i}@benchmark.example.nl` });
        await ok('POST', `/v1/assessments/${assessmentId}/invitations`, { respondentId, layer });
        // Invitations are credentials, limited per issuer per minute: each is issued by a coordinator of its own.
        const issuer = `Bearer ${await mintLocalToken(SECRET, { subject: `bench-coordinator-${assessmentId}-${i}`, roles: ['coordinator'], organisations: [organisationId] })}`;
        const invited = await call('POST', `/v1/organisations/${organisationId}/respondents/${respondentId}/invitations`, { assessmentId, layer }, issuer);
        if (invited.status >= 300) throw new Error(`invitation: ${invited.status} ${JSON.stringify(invited.body)}`);
        const { token } = invited.body as { token: string };
        people.push({ respondentId, token: `Bearer ${token}` });
      }
      return people;
    };

    // Untimed warm-up of the answer route (a few respondents on an assessment of their own): the
    // first requests of a fresh process compile the route's code, and with 100 of them in flight at
    // once that was part of a p99 of 424–458 ms in every run (295–312 ms with the warm-up).
    const warmUp = await openAssessment();
    await Promise.all(
      (await crowd(warmUp, WARM_UP_RESPONDENTS)).map(async ({ token }, i) => {
        for (const [q, questionId] of QUESTIONS.entries()) await ok('PUT', `/v1/assessments/${warmUp}/answers/${questionId}`, { level: (i + q) % 6 }, token);
      }),
    );

    // Over HTTP: every respondent at once, each answering question after question, from a process
    // of its own (as browsers are), so this process's CPU is the API's alone.
    const overHttp = await openAssessment();
    const people = await crowd(overHttp);
    const client = fork(join(__dirname, 'answers-crowd.ts'), [], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const clientExit = new Promise<number | null>((resolve) => client.once('exit', resolve));
    await new Promise<void>((resolve, reject) => {
      client.once('message', () => resolve());
      void clientExit.then((code) => reject(new Error(`the crowd process ended (${code}) before it was ready`)));
    });
    const httpCommitsBefore = await committed();
    const loadBefore = loadavg()[0];
    const cpuMsSince = (start: NodeJS.CpuUsage) => {
      const used = process.cpuUsage(start);
      return (used.user + used.system) / 1000;
    };
    // PROFILE=<file>: the API process's CPU profile over the HTTP phase alone (open it in Chrome's DevTools).
    const profiler = process.env.PROFILE ? new Session() : undefined;
    if (profiler) {
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.start');
    }
    const httpCpu = process.cpuUsage();
    const result = await new Promise<CrowdResult>((resolve, reject) => {
      client.once('message', (message) => resolve(message as CrowdResult));
      void clientExit.then((code) => reject(new Error(`the crowd process ended (${code}) without a result`)));
      const task: CrowdTask = { base, assessmentId: overHttp, tokens: people.map((p) => p.token), questions: QUESTIONS };
      client.send(task);
    });
    const serverCpuMs = cpuMsSince(httpCpu);
    if (profiler) {
      const { profile } = await profiler.post('Profiler.stop');
      writeFileSync(process.env.PROFILE!, JSON.stringify(profile));
      profiler.disconnect();
    }
    await clientExit;
    const httpCommits = (await committed()) - httpCommitsBefore;
    const httpSeconds = result.seconds;
    const latencies = result.latencies;
    const statuses = new Map(Object.entries(result.statuses).map(([status, count]) => [Number(status), count]));
    for (const [reason, count] of Object.entries(result.networkErrors)) networkErrors.set(reason, (networkErrors.get(reason) ?? 0) + count);
    const recorded = (await ok('GET', `/v1/assessments/${overHttp}`)).answers as number;

    // In-process: the same answers through the use case itself, on an assessment of its own.
    const services = app.get<symbol, AssessmentsServices>(FEATURE_SERVICES);
    const inProcess = await openAssessment();
    const others = await crowd(inProcess);
    const meta = (actor: string): CommandMetadata => ({ now: new Date(), actor, correlationId: randomUUID() });
    const inProcessCommitsBefore = await committed();
    const inProcessCpu = process.cpuUsage();
    const inProcessStarted = performance.now();
    await Promise.all(
      others.map(async ({ respondentId }, i) => {
        for (const [q, questionId] of QUESTIONS.entries()) {
          await services.assessments.recordAnswer(inProcess, respondentId, { questionId, answer: { level: (i + q) % 6 } }, meta(respondentId));
        }
      }),
    );
    const inProcessSeconds = (performance.now() - inProcessStarted) / 1000;
    const inProcessCpuMs = cpuMsSince(inProcessCpu);
    const inProcessCommits = (await committed()) - inProcessCommitsBefore;

    // The floor: the same appends straight to the event store, no decision, no HTTP.
    const store = app.get(PostgresEventStore);
    const floor = await openAssessment();
    const floorStarted = performance.now();
    await Promise.all(
      others.map(async ({ respondentId }, i) => {
        const streamId = responseStreamId(floor, respondentId);
        for (const [q, questionId] of QUESTIONS.entries()) {
          const data = { respondentId, questionId, answer: { level: (i + q) % 6 }, justification: null, evidence: [] };
          await store.append(streamId, q, [{ eventId: randomUUID(), type: 'AnswerRecorded', data }], { ...meta(respondentId), tenantId: organisationId }, {
            guard: { streamId: assessmentStreamId(floor), refuseIfAny: ['AssessmentClosed'] },
          });
        }
      }),
    );
    const floorSeconds = (performance.now() - floorStarted) / 1000;

    const total = RESPONDENTS * QUESTIONS.length;
    latencies.sort((a, b) => a - b);
    const answersPerSecond = total / httpSeconds;
    const inProcessPerSecond = total / inProcessSeconds;
    const conflicts = statuses.get(409) ?? 0;
    const figures = {
      respondents: RESPONDENTS,
      questions: QUESTIONS.length,
      answers: total,
      answers_per_s: Math.round(answersPerSecond),
      answer_p50_ms: Number(percentile(latencies, 50).toFixed(1)),
      answer_p95_ms: Number(percentile(latencies, 95).toFixed(1)),
      answer_p99_ms: Number(percentile(latencies, 99).toFixed(1)),
      inprocess_answers_per_s: Math.round(inProcessPerSecond),
      store_appends_per_s: Math.round(total / floorSeconds),
      // CPU per answer: the API process's over HTTP (the crowd runs in a process of its own, its CPU
      // apart), and this process's in-process: what the Node side costs, apart from waiting.
      server_cpu_ms_per_answer: Number((serverCpuMs / total).toFixed(2)),
      client_cpu_ms_per_answer: Number((result.clientCpuMs / total).toFixed(2)),
      inprocess_cpu_ms_per_answer: Number((inProcessCpuMs / total).toFixed(2)),
      // Transactions the database committed per answer (the bench's own reads of the count included: a few in all).
      http_transactions_per_answer: Number((httpCommits / total).toFixed(2)),
      inprocess_transactions_per_answer: Number((inProcessCommits / total).toFixed(2)),
      server_cpu_share: Number((serverCpuMs / 1000 / httpSeconds).toFixed(2)),
      http_vs_inprocess: Number((answersPerSecond / inProcessPerSecond).toFixed(2)),
      // Little's law: with every respondent waiting for their answer before the next, the mean
      // latency is the answers in flight over the throughput; the floor's is the least it can be.
      mean_latency_by_littles_law_ms: Math.round((RESPONDENTS / answersPerSecond) * 1000),
      floor_mean_latency_ms: Math.round((RESPONDENTS / (total / floorSeconds)) * 1000),
      conflicts,
      lost: total - recorded,
      statuses: Object.fromEntries(statuses),
      network_errors: Object.fromEntries(networkErrors),
      // A shared machine: read the figures against how busy it was (1-minute load, before and after).
      cores: cpus().length,
      load_average_1m: [Number(loadBefore.toFixed(1)), Number(loadavg()[0].toFixed(1))],
    };
    process.stdout.write(
      [
        `${RESPONDENTS} respondents x ${QUESTIONS.length} questions, all at once, one API process`,
        `  over HTTP:   ${figures.answers_per_s} answers/s, p50 ${figures.answer_p50_ms} ms, p95 ${figures.answer_p95_ms} ms, p99 ${figures.answer_p99_ms} ms; statuses ${JSON.stringify(figures.statuses)}`,
        `  in-process:  ${figures.inprocess_answers_per_s} answers/s (the use case called directly: the baseline)`,
        `  event store: ${figures.store_appends_per_s} appends/s (the same appends, guarded, straight to the store: the floor the database sets)`,
        `  HTTP / in-process: ${figures.http_vs_inprocess}; 409s: ${conflicts}; answers lost: ${figures.lost}`,
        `  CPU per answer: API process ${figures.server_cpu_ms_per_answer} ms over HTTP (it had ${figures.server_cpu_share} of a core), the crowd's process ${figures.client_cpu_ms_per_answer} ms; in-process ${figures.inprocess_cpu_ms_per_answer} ms`,
        `  database transactions per answer: ${figures.http_transactions_per_answer} over HTTP, ${figures.inprocess_transactions_per_answer} in-process`,
        `  queueing: ${RESPONDENTS} answers in flight at ${figures.answers_per_s} answers/s make ${figures.mean_latency_by_littles_law_ms} ms a request on average (Little's law: in flight / throughput), whatever the path costs; at the event store's own rate they would still wait ${figures.floor_mean_latency_ms} ms on average`,
        `  machine: ${figures.cores} cores, 1-minute load ${figures.load_average_1m.join(' -> ')}`,
        JSON.stringify(figures),
      ].join('\n') + '\n',
    );
  } finally {
    await app.close();
    await database.drop();
    if (process.env.MAATLAT_TEST_TEMPLATE) await dropDatabase(process.env.MAATLAT_TEST_TEMPLATE);
  }
}

void main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
