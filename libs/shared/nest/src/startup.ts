import { Client } from 'pg';
import { ConfigError, redactUrl, type AppConfig } from '@maatlat/shared/config';
import type { Migration } from 'kysely';
import { databaseNameOf, migrateToLatest, openDatabase } from '@maatlat/shared/database';
import { openRedis } from '@maatlat/shared/jobs';

/**
 * Checks that PostgreSQL and Redis answer before the application is built, and turns the usual
 * failures into one line naming the variable and the problem.
 */
export async function checkConnections(config: Pick<AppConfig, 'databaseUrl' | 'redisUrl'>): Promise<void> {
  const client = new Client({ connectionString: config.databaseUrl, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    const { code, message } = error as { code?: string; message?: string };
    if (code === '3D000') {
      throw new ConfigError('DATABASE_URL', `database "${databaseNameOf(config.databaseUrl)}" does not exist (npm start creates it; or run: createdb ${databaseNameOf(config.databaseUrl)})`);
    }
    throw new ConfigError('DATABASE_URL', `cannot reach PostgreSQL at ${redactUrl(config.databaseUrl)}: ${code ?? ''} ${message ?? ''}`.trim());
  } finally {
    await client.end().catch(() => undefined);
  }

  if (!config.redisUrl) return;
  const redis = openRedis(config.redisUrl, 'probe');
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new ConfigError('REDIS_URL', `cannot reach Redis at ${redactUrl(config.redisUrl)}: ${(error as Error).message}`);
  } finally {
    redis.disconnect();
  }
}

/**
 * Runs a process's start-up; a failure ends the process with one clear line on stderr, never a
 * stack trace (set LOG_LEVEL=debug to see one).
 */
export async function runOrExit(name: string, start: () => Promise<void>): Promise<void> {
  try {
    await start();
  } catch (error) {
    const line = error instanceof ConfigError ? error.message : `${(error as Error)?.message ?? String(error)}`;
    process.stderr.write(`${name} could not start: ${line}\n`);
    if (process.env.LOG_LEVEL === 'debug') process.stderr.write(`${(error as Error)?.stack ?? ''}\n`);
    process.exit(1);
  }
}

/** Start-up of a long-running process: dependencies answer, then the schema is brought up to date. */
export async function prepareToStart(config: Pick<AppConfig, 'databaseUrl' | 'redisUrl'>, migrations: Record<string, Migration>): Promise<void> {
  await checkConnections(config);
  const database = openDatabase({ databaseUrl: config.databaseUrl, maxConnections: 1, applicationName: 'maatlat-migrate' });
  try {
    await migrateToLatest(database.db, migrations);
  } finally {
    await database.close();
  }
}
