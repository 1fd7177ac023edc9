import { createServer, connect, type Server, type Socket } from 'node:net';
import { Client } from 'pg';
import { mintLocalToken } from '@maatlat/access';
import { eventually, testServerUrl } from '@maatlat/shared/testing';
import { startPlatform, TEST_ISSUER_SECRET as SECRET, type TestPlatform } from './support/platform';

/**
 * A TCP proxy between the platform and PostgreSQL that a test can cut and restore: to the platform
 * it is PostgreSQL stopping (every connection dropped, new ones refused) and starting again.
 */
class CuttableProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async start(): Promise<void> {
    if (this.server?.listening) return;
    this.server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const [socket, partner] of [[client, upstream], [upstream, client]]) {
        this.sockets.add(socket);
        // One side gone, the other goes too, as when PostgreSQL itself closes a connection (a pipe
        // passes an orderly end on, not a reset: the platform would wait on a half-open socket).
        socket.on('close', () => {
          this.sockets.delete(socket);
          partner.destroy();
        });
        socket.on('error', () => socket.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => this.server!.once('error', reject).listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  async cut(): Promise<void> {
    if (!this.server?.listening) return;
    const closed = new Promise<void>((resolve) => this.server!.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }
}

describe('PostgreSQL faults: the API and the worker ride them out', () => {
  let platform: TestPlatform;
  let proxy: CuttableProxy;
  let admin: Record<string, string>;
  const http = () => platform.http();

  beforeAll(async () => {
    // In front of the tests' server: the local one, or the run's embedded PostgreSQL.
    const server = new URL(testServerUrl());
    proxy = new CuttableProxy({ host: server.hostname, port: Number(server.port || 5432) });
    await proxy.start();
    platform = await startPlatform({
      worker: true,
      databaseUrlFor: (url) => Object.assign(new URL(url), { port: String(proxy.port) }).toString(),
      env: { DATABASE_LOCK_TIMEOUT_MS: '500', DATABASE_CONNECT_TIMEOUT_MS: '1000' },
    });
    admin = { Authorization: `Bearer ${await mintLocalToken(SECRET, { subject: 'admin', roles: ['platform-admin'], organisations: [] })}` };
  });
  afterAll(async () => {
    await proxy.start();
    await platform?.stop();
    await proxy.cut();
  });

  it('answers 503 with Retry-After while PostgreSQL is away, says so on /ready at once, and resumes by itself after each of several restarts', async () => {
    const organisation = await http().post('/v1/organisations').set(admin).send({ name: 'Waterschap Aa en Maas', organisationType: 'water-board', sizeBand: 'medium' }).expect(201);
    const organisationId = organisation.body.organisationId as string;

    for (let restart = 1; restart <= 3; restart++) {
      await proxy.cut();
      for (let i = 0; i < 3; i++) {
        const read = await http().get(`/v1/organisations/${organisationId}`).set(admin);
        expect({ restart, status: read.status, type: read.headers['content-type'] }).toEqual({ restart, status: 503, type: expect.stringContaining('application/problem+json') });
        expect(read.headers['retry-after']).toBe('2');
        expect(read.body.code).toBe('dependency.unavailable');
        await http().post('/v1/organisations').set(admin).send({ name: 'Onbereikbaar', organisationType: 'other', sizeBand: 'small' }).expect(503);
      }
      const asked = Date.now();
      const ready = await http().get('/ready').expect(503);
      expect(Date.now() - asked).toBeLessThan(2500);
      expect(ready.body.details.postgresql.status).toBe('down');

      await proxy.start();
      const back = Date.now();
      await eventually(() => http().get(`/v1/organisations/${organisationId}`).set(admin).expect(200), { timeoutMs: 5000, intervalMs: 100 });
      expect(Date.now() - back).toBeLessThan(2000);
    }

    // The worker lived through it too: it still projects what is written after the restarts.
    const later = await http().post('/v1/organisations').set(admin).send({ name: 'Na de storing', organisationType: 'other', sizeBand: 'small' }).expect(201);
    await eventually(async () => {
      const list = await http().get('/v1/organisations').set(admin).expect(200);
      expect(list.body.map((o: { organisationId: string }) => o.organisationId)).toEqual(expect.arrayContaining([organisationId, later.body.organisationId]));
    }, { timeoutMs: 15_000 });
    await eventually(() => http().get('/ready').expect(200), { timeoutMs: 15_000 });
  });

  it('lives through PostgreSQL ending every connection (pg_terminate_backend, as a restart does) several times, the API and the worker carrying on by themselves', async () => {
    const killer = new Client({ connectionString: platform.database.url });
    await killer.connect();
    const listed = async () => ((await http().get('/v1/organisations').set(admin).expect(200)).body as { organisationId: string }[]).map((o) => o.organisationId);
    try {
      for (let restart = 1; restart <= 3; restart++) {
        const before = await http().post('/v1/organisations').set(admin).send({ name: `Voor herstart ${restart}`, organisationType: 'other', sizeBand: 'small' }).expect(201);
        await eventually(async () => expect(await listed()).toContain(before.body.organisationId), { timeoutMs: 15_000 });
        // Both processes hold connections (the worker its projection leases among them); every one of them ends.
        const { rows } = await killer.query<{ application_name: string; ended: boolean }>(
          `SELECT application_name, pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
        );
        expect({ restart, apps: [...new Set(rows.map((r) => r.application_name))].filter((a) => a.startsWith('maatlat')).sort() }).toEqual({ restart, apps: ['maatlat-api', 'maatlat-worker'] });
        const back = Date.now();
        await eventually(() => http().get(`/v1/organisations/${before.body.organisationId}`).set(admin).expect(200), { timeoutMs: 5000, intervalMs: 100 });
        expect(Date.now() - back).toBeLessThan(2000);
        // The worker takes its leases up again and projects what comes after.
        const after = await http().post('/v1/organisations').set(admin).send({ name: `Na herstart ${restart}`, organisationType: 'other', sizeBand: 'small' }).expect(201);
        await eventually(async () => expect(await listed()).toContain(after.body.organisationId), { timeoutMs: 15_000 });
      }
      await eventually(() => http().get('/ready').expect(200), { timeoutMs: 15_000 });
    } finally {
      await killer.end();
    }
  });

  it('answers 503 when the events table stays locked, instead of waiting with every request, and /ready stays quick', async () => {
    const locker = new Client({ connectionString: platform.database.url });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE events IN ACCESS EXCLUSIVE MODE');
      const asked = Date.now();
      const write = await http().post('/v1/organisations').set(admin).send({ name: 'Geblokkeerd', organisationType: 'other', sizeBand: 'small' });
      expect(write.status).toBe(503);
      expect(write.headers['retry-after']).toBe('2');
      expect(Date.now() - asked).toBeLessThan(3000);
      const readyAsked = Date.now();
      const ready = await http().get('/ready');
      expect(Date.now() - readyAsked).toBeLessThan(2500);
      // Truthful: PostgreSQL answers, but the log cannot be read, so the projections' lag is unknown.
      expect([ready.status, ready.body.details.postgresql.status, ready.body.details.projections.status]).toEqual([503, 'up', 'down']);
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
    await http().post('/v1/organisations').set(admin).send({ name: 'Weer vrij', organisationType: 'other', sizeBand: 'small' }).expect(201);
  });
});
