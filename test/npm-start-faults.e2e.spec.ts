import { spawnSync } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..');

/** `npm start` (its script) in embedded mode on a data directory; returns how it ended. */
function npmStart(home: string, env: Record<string, string> = {}) {
  const { DATABASE_URL: _database, REDIS_URL: _redis, TEST_DATABASE_URL: _test, ...rest } = process.env;
  const run = spawnSync(process.execPath, [join(root, 'scripts/start.js')], {
    env: { ...rest, MAATLAT_HOME: home, PORT: '0', MAATLAT_POSTGRES_PORT: '1', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: run.status, stderr: run.stderr.trim(), stdout: run.stdout.trim() };
}

/** Every file under a directory with its content: "nothing deleted or changed" is this, unchanged. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const file = join(dir, entry);
    if (statSync(file).isFile()) files[entry] = readFileSync(file).toString('base64');
  }
  return files;
}

async function listening(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port };
}

/**
 * Bad data directories and a taken port: npm start refuses each with one line naming the problem
 * and what to do, exit code 1, and leaves the data directory as it was.
 */
describe('npm start in embedded mode refuses what it cannot safely run on', () => {
  let base: string;
  beforeAll(() => {
    base = mkdtempSync(join(tmpdir(), 'maatlat-start-faults-'));
    chmodSync(base, 0o711);
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  /** A data directory as a PostgreSQL of `major` leaves it, in a MAATLAT_HOME of its own. */
  function home(name: string, files: Record<string, string>): { home: string; data: string } {
    const dir = join(base, name);
    const data = join(dir, 'postgres');
    mkdirSync(join(data, 'global'), { recursive: true, mode: 0o700 });
    for (const [file, content] of Object.entries(files)) writeFileSync(join(data, file), content);
    if (process.getuid?.() === 0) {
      // Run as root, the embedded server runs as the user postgres, which then owns its data.
      const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
      if (id('-u')) for (const path of [data, join(data, 'global'), ...Object.keys(files).map((f) => join(data, f))]) chownSync(path, id('-u'), id('-g'));
    }
    return { home: dir, data };
  }

  function expectRefusal(result: ReturnType<typeof npmStart>, ...phrases: string[]) {
    expect(result.status).toBe(1);
    const lines = result.stderr.split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^npm start: /);
    for (const phrase of phrases) expect(lines[0]).toContain(phrase);
    expect(lines[0]).not.toMatch(/\n\s+at /);
  }

  it('a data directory made by a newer PostgreSQL', () => {
    const { home: dir, data } = home('newer', { PG_VERSION: '17\n', 'global/pg_control': 'x' });
    const before = snapshot(data);
    expectRefusal(npmStart(dir), `${data} was made by PostgreSQL 17, newer than the embedded PostgreSQL 16`, 'DATABASE_URL', 'nothing was changed');
    expect(snapshot(data)).toEqual(before);
  });

  it('a damaged data directory (no PG_VERSION)', () => {
    const { home: dir, data } = home('no-version', { 'base.txt': 'not a database' });
    const before = snapshot(data);
    expectRefusal(npmStart(dir), `${data} is not a PostgreSQL data directory`, 'MAATLAT_HOME', 'nothing was changed');
    expect(snapshot(data)).toEqual(before);
  });

  it('a damaged data directory that PostgreSQL cannot start on (a broken control file)', async () => {
    const { home: dir, data } = home('corrupt', { PG_VERSION: '16\n', 'global/pg_control': 'garbage'.repeat(100), 'postgresql.conf': '' });
    const before = snapshot(data);
    const { port } = await freePortNumber();
    const result = npmStart(dir, { MAATLAT_POSTGRES_PORT: String(port) });
    expectRefusal(result, `the embedded PostgreSQL could not start on ${data}`, 'the data directory may be damaged', 'nothing was deleted');
    const after = snapshot(data);
    // PostgreSQL may leave its lock file's removal undone; nothing of the data goes or changes.
    expect(Object.fromEntries(Object.entries(after).filter(([file]) => file !== 'postmaster.pid'))).toEqual(before);
  });

  (process.getuid?.() === 0 ? it : it.skip)('a data directory owned by another user (run as root)', () => {
    const { home: dir, data } = home('foreign', { PG_VERSION: '16\n' });
    chownSync(data, 65534, 65534);
    const before = snapshot(data);
    expectRefusal(npmStart(dir), `the PostgreSQL data directory ${data} belongs to`, 'chown -R postgres', 'nothing was changed');
    expect(snapshot(data)).toEqual(before);
  });

  it("the embedded server's port already taken", async () => {
    const { server, port } = await listening();
    try {
      const { home: dir, data } = home('port', { PG_VERSION: '16\n' });
      const before = snapshot(data);
      expectRefusal(npmStart(dir, { MAATLAT_POSTGRES_PORT: String(port) }), `port ${port} of the embedded PostgreSQL is already in use`, 'MAATLAT_POSTGRES_PORT');
      expect(snapshot(data)).toEqual(before);
    } finally {
      server.close();
    }
  });

  it("the API's port already taken", async () => {
    const { server, port } = await listening();
    try {
      const { home: dir } = home('api-port', { PG_VERSION: '16\n' });
      expectRefusal(npmStart(dir, { PORT: String(port) }), `port ${port} is already in use`, 'PORT=');
    } finally {
      server.close();
    }
  });

  it('a second npm start on a data directory in use', () => {
    const { home: dir, data } = home('in-use', { PG_VERSION: '16\n' });
    // As a running npm start leaves it: its pid in the lock file (this test's process is alive).
    writeFileSync(join(dir, 'npm-start.pid'), `${process.pid}\n`);
    const before = snapshot(data);
    expectRefusal(npmStart(dir), `Maatlat already runs on the data directory ${dir} (npm start, pid ${process.pid})`, 'MAATLAT_HOME');
    expect(snapshot(data)).toEqual(before);
    expect(readFileSync(join(dir, 'npm-start.pid'), 'utf8')).toBe(`${process.pid}\n`);
  });
  it("a checkout the server's user cannot enter (run as root, the server runs as postgres): one line naming the directory", () => {
    const { checkReachable } = require(join(root, 'scripts/embedded-postgres.js')) as {
      checkReachable: (dataDir: string, user: { uid: number; gid: number }, binary: string) => void;
    };
    const reachable = mkdtempSync(join(tmpdir(), 'maatlat-reachable-'));
    const closed = mkdtempSync(join(tmpdir(), 'maatlat-closed-'));
    try {
      chmodSync(reachable, 0o711);
      chmodSync(closed, 0o700);
      mkdirSync(join(reachable, 'bin'), { mode: 0o755 });
      mkdirSync(join(closed, 'bin'), { mode: 0o755 });
      const someoneElse = { uid: 65534, gid: 65534 };
      expect(() => checkReachable(join(reachable, 'postgres'), someoneElse, join(reachable, 'bin', 'postgres'))).not.toThrow();
      expect(() => checkReachable(join(reachable, 'postgres'), someoneElse, join(closed, 'bin', 'postgres'))).toThrow(
        new RegExp(`cannot enter ${closed} to reach its own binaries: let it in \\(chmod o\\+x ${closed}\\)`),
      );
      expect(() => checkReachable(join(closed, 'postgres'), someoneElse, join(reachable, 'bin', 'postgres'))).toThrow(`cannot enter ${closed}: set MAATLAT_HOME`);
    } finally {
      rmSync(reachable, { recursive: true, force: true });
      rmSync(closed, { recursive: true, force: true });
    }
  });
});

async function freePortNumber(): Promise<{ port: number }> {
  const { server, port } = await listening();
  await new Promise((resolve) => server.close(resolve));
  return { port };
}
