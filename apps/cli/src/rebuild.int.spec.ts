import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { PostgresEventStore, ProjectionRunner, projectionStatus } from '@maatlat/shared/event-store';
import { projectionsOf } from '@maatlat/shared/features';
import { createTestDatabase, testConfig, type TestDatabase } from '@maatlat/shared/testing';
import { rebuild, seedDemoCommand, UsageError } from './commands';
import { CLI_FEATURES, platformServices } from './features';

const PROJECTIONS = projectionsOf(CLI_FEATURES);

describe('cli rebuild', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  /** A table's rows in a stable order, whatever its key. */
  const rowsOf = async (table: string) => (await sql`SELECT * FROM ${sql.table(table)} AS r ORDER BY r::text`.execute(database.db)).rows;

  it('rebuilds every projection of the platform in shadow tables to the rows it reached live', async () => {
    const config = testConfig({ DATABASE_URL: database.url });
    await seedDemoCommand(config, { organisations: 2 });
    const store = new PostgresEventStore(database.db, database.pool);
    const services = platformServices(database.db, store, config);
    const runner = new ProjectionRunner(database.db, database.pool, store, PROJECTIONS);
    await runner.catchUp();
    // The demo forms chains from organisations beyond the first two: one of our own.
    const [a, b] = await database.db.selectFrom('organisation_units').select(['organisation_id', 'unit_id']).where('depth', '=', 0).execute();
    const meta = { now: new Date(), actor: 'admin', correlationId: randomUUID() };
    const chain = await services.chains.form({ name: 'Keten', description: 'twee' }, { ...meta, commandId: randomUUID() });
    for (const unit of [a, b]) await services.chains.addMember(chain.chainId, { organisationId: unit.organisation_id, unitId: unit.unit_id }, { ...meta, commandId: randomUUID() });
    await runner.catchUp();

    const tables = PROJECTIONS.flatMap((p) => p.tables);
    expect(tables.length).toBeGreaterThanOrEqual(9);
    const live = new Map<string, unknown[]>();
    for (const table of tables) {
      live.set(table, await rowsOf(table));
      expect({ table, empty: live.get(table)!.length === 0 }).toEqual({ table, empty: false });
      // What a faulty projection leaves: a row gone.
      await sql`DELETE FROM ${sql.table(table)} WHERE ctid = (SELECT ctid FROM ${sql.table(table)} LIMIT 1)`.execute(database.db);
    }

    for (const projection of PROJECTIONS) {
      const { output, exitCode } = await rebuild(config, projection.name);
      expect({ exitCode, output }).toEqual({ exitCode: 0, output: expect.stringMatching(new RegExp(`^rebuilt ${projection.name} from zero in shadow tables and swapped them in: \\d+ event\\(s\\) in \\d+ ms \\(.+\\), lag now 0$`)) });
      expect((await projectionStatus(database.db, store, projection.name)).lag).toBe(0);
    }
    for (const table of tables) expect({ table, rows: await rowsOf(table) }).toEqual({ table, rows: live.get(table) });
  });

  it('names the projections when the one asked for does not exist', async () => {
    await expect(rebuild(testConfig({ DATABASE_URL: database.url }), 'nope')).rejects.toThrow(UsageError);
    await expect(rebuild(testConfig({ DATABASE_URL: database.url }), 'nope')).rejects.toThrow(/one of: .*organisations.*insights_trends/);
  });
});
