// CI's proof that `npm start` works on a fresh machine (run in a clean clone, without DATABASE_URL
// and REDIS_URL): it must say it runs embedded, reach /ready, print a token that works, let a
// coordinator open an assessment, a respondent record an answer and submit, and the coordinator
// close it; Ctrl-C must stop it cleanly (the embedded server too), and a second npm start must find
// the closed assessment again. Any step that does not hold ends this script with exit code 1 and
// the reason.
const { spawn } = require('node:child_process');
const { randomUUID } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { freePort } = require('./embedded-postgres');

const root = path.join(__dirname, '..');
const home = path.resolve(root, process.env.MAATLAT_HOME || '.maatlat');
const READY_WITHIN_MS = Number(process.env.CHECK_READY_WITHIN_MS || 600_000);

class CheckFailed extends Error {}
const fail = (message) => {
  throw new CheckFailed(message);
};
/** The npm start under test, stopped when a check fails. */
let current;

/** `npm start` in a process group of its own, so that a SIGINT to the group is Ctrl-C in a terminal. */
function npmStart(env) {
  const child = spawn('npm', ['start'], { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const onData = (chunk) => {
    output += chunk;
    process.stdout.write(chunk);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  current = { child, exited, output: () => output };
  return current;
}

async function waitFor(what, condition, withinMs, run) {
  const until = Date.now() + withinMs;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (run.child.exitCode !== null) fail(`npm start ended before ${what}`);
    if (Date.now() > until) fail(`no ${what} within ${withinMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function call(base, method, url, token, body) {
  const response = await fetch(`${base}${url}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  const json = text ? JSON.parse(text) : undefined;
  return { status: response.status, body: json };
}

async function expectStatus(base, method, url, token, body, status) {
  const response = await call(base, method, url, token, body);
  if (response.status !== status) fail(`${method} ${url} answered ${response.status}, not ${status}: ${JSON.stringify(response.body)}`);
  return response.body;
}

async function stop(run) {
  process.kill(-run.child.pid, 'SIGINT');
  let timer;
  const ended = await Promise.race([run.exited, new Promise((resolve) => (timer = setTimeout(resolve, 60_000)))]);
  clearTimeout(timer);
  if (!ended) fail('npm start did not stop within 60 s of Ctrl-C');
  const { code, signal } = ended;
  // npm passes Ctrl-C on to start.js and then ends by the same signal, as in a terminal.
  if (!(code === 0 || code === 130 || signal === 'SIGINT')) fail(`npm start ended with ${signal ?? `exit code ${code}`} after Ctrl-C, not 0 or SIGINT`);
  if (!run.output().includes('embedded PostgreSQL stopped')) fail('npm start did not say that it stopped the embedded PostgreSQL');
  if (fs.existsSync(path.join(home, 'postgres', 'postmaster.pid'))) fail('the embedded PostgreSQL left postmaster.pid behind: it did not shut down cleanly');
}

async function main() {
  const { DATABASE_URL: _database, REDIS_URL: _redis, TEST_DATABASE_URL: _testDatabase, TEST_REDIS_URL: _testRedis, ...rest } = process.env;
  const port = await freePort();
  const env = { ...rest, PORT: String(port), MAATLAT_POSTGRES_PORT: String(await freePort()) };
  const base = `http://127.0.0.1:${port}`;
  const started = Date.now();

  const first = npmStart(env);
  await waitFor('"Maatlat is ready" and the demo tokens', () => /stop with Ctrl-C/.test(first.output()), READY_WITHIN_MS, first);
  const readyAfter = Math.round((Date.now() - started) / 1000);
  if (!/mode\s+embedded/.test(first.output())) fail('npm start did not say that it runs in embedded mode');
  // npm start said ready after a 200 of /ready; a loaded machine may still miss a one-second check now and then.
  let lastReady;
  const ready = await waitFor('200 from /ready', async () => {
    lastReady = await call(base, 'GET', '/ready');
    return lastReady.status === 200 && lastReady;
  }, 120_000, first).catch((error) => fail(`${error.message}; last answer ${lastReady?.status}: ${JSON.stringify(lastReady?.body)}`));
  if (ready.body.details.redis) fail('/ready reports Redis, yet no REDIS_URL was given');

  const coordinatorLine = /coordinator of [^:]+: (\S+)/.exec(first.output());
  if (!coordinatorLine) fail('npm start printed no coordinator token');
  const coordinator = coordinatorLine[1];
  const [organisationId] = JSON.parse(Buffer.from(coordinator.split('.')[1], 'base64url').toString()).organisations;
  const opened = await expectStatus(base, 'POST', '/v1/assessments', coordinator, { organisationId, scope: { kind: 'organisation' }, period: `2031-check${randomUUID().slice(0, 8)}`, model: { key: 'datagedreven-overheid', version: '2026.1' }, layers: ['strategic'] }, 201);
  const { assessmentId } = opened;
  const { respondentId } = await expectStatus(base, 'POST', `/v1/organisations/${organisationId}/respondents`, coordinator, { name: 'Check Respondent', email: `check-${randomUUID().slice(0, 8)}@example.nl` }, 201);
  await expectStatus(base, 'POST', `/v1/assessments/${assessmentId}/invitations`, coordinator, { respondentId, layer: 'strategic' }, 201);
  const { token: respondent } = await expectStatus(base, 'POST', `/v1/organisations/${organisationId}/respondents/${respondentId}/invitations`, coordinator, { assessmentId, layer: 'strategic' }, 201);
  await expectStatus(base, 'PUT', `/v1/assessments/${assessmentId}/answers/F01-Q1`, respondent, { level: 3 }, 200);
  await expectStatus(base, 'POST', `/v1/assessments/${assessmentId}/submit`, respondent, undefined, 200);
  const closed = await expectStatus(base, 'POST', `/v1/assessments/${assessmentId}/close`, coordinator, undefined, 200);
  if (closed.status !== 'closed') fail(`the assessment is ${closed.status} after closing`);
  await stop(first);

  const second = npmStart(env);
  await waitFor('readiness after a restart', () => /stop with Ctrl-C/.test(second.output()), READY_WITHIN_MS, second);
  const again = await expectStatus(base, 'GET', `/v1/assessments/${assessmentId}`, coordinator, undefined, 200);
  if (again.status !== 'closed') fail(`after a restart the assessment is ${again.status}, not closed`);
  await stop(second);
  process.stdout.write(`check-npm-start: npm start in embedded mode was ready after ${readyAfter} s; a token worked, an answer was recorded, the assessment closed, Ctrl-C stopped it cleanly and a restart kept the data\n`);
}

main().catch(async (error) => {
  process.stderr.write(`check-npm-start: FAILED: ${error instanceof CheckFailed ? error.message : (error.stack ?? String(error))}\n`);
  if (current && current.child.exitCode === null && current.child.signalCode === null) {
    process.kill(-current.child.pid, 'SIGINT');
    await Promise.race([current.exited, new Promise((resolve) => setTimeout(resolve, 30_000))]);
  }
  process.exit(1);
});
