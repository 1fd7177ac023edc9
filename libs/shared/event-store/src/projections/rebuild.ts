import { sql, type Kysely, type Transaction } from 'kysely';
import type { Pool } from 'pg';
import type { DB } from '@maatlat/shared/database';
import type { PostgresEventStore } from '../event-store';
import { LOG_START, type LogCheckpoint } from '../types';
import { logFilterOf, type Projection } from './projection';
import { lockCheckpoint } from './projection-runner';

export interface RebuildProgress {
  projection: string;
  /** Log events the shadow tables have been built from so far. */
  eventsProcessed: number;
  checkpoint: LogCheckpoint;
}

export interface RebuildOptions {
  batchSize?: number;
  /**
   * Runs after each batch committed to the shadow tables, before the next one. What it throws ends
   * the rebuild (the live read model stays as it was); an operator's progress line, or a test that
   * holds a rebuild half-way, hooks in here.
   */
  afterBatch?: (progress: RebuildProgress) => Promise<void> | void;
}

export interface RebuildResult {
  projection: string;
  eventsProcessed: number;
  /** Per table: rows the swap inserted or changed, and rows it removed (the rest stayed untouched). */
  tables: { table: string; written: number; removed: number }[];
  checkpoint: LogCheckpoint;
}

interface TableShape {
  table: string;
  /** The schema of the live table. */
  schema: string;
  columns: string[];
  key: string[];
}

/**
 * Rebuilds a projection from zero without taking its read model away. The projection replays the
 * whole log into shadow copies of its tables (a schema of their own, put first on the search path
 * of each batch's transaction, so the projection's unqualified table names reach the copies, and
 * everything else, the events included, the live tables). Meanwhile the live tables keep serving
 * and the live runner keeps them current, so readiness (projection lag) never moves. At the end,
 * one transaction takes the projection's checkpoint row (the live runner waits for it), applies
 * what the log gained in the meantime to the shadows, merges the shadows into the live tables by
 * primary key (inserting and updating only the rows that differ, deleting the rows the shadow does
 * not have: readers see the old rows until the commit and the new ones after, never an empty
 * table, and are never blocked) and sets the checkpoint to where the shadows stand. A rebuild that
 * fails or stops half-way leaves the live tables and the checkpoint as they were. One rebuild per
 * projection at a time (an advisory lock); the shadow schema is dropped in every case.
 */
export async function rebuildProjection(
  db: Kysely<DB>,
  pool: Pool,
  store: PostgresEventStore,
  projection: Projection,
  options: RebuildOptions = {},
): Promise<RebuildResult> {
  if (projection.tables.length === 0) throw new Error(`projection ${projection.name} names no tables to rebuild`);
  const batchSize = options.batchSize ?? 2000;
  const shadow = shadowSchemaOf(projection.name);
  const lock = await pool.connect();
  let held = false;
  try {
    const { rows } = await lock.query('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS held', [`maatlat:rebuild:${projection.name}`]);
    held = rows[0].held;
    if (!held) throw new Error(`a rebuild of ${projection.name} is already running`);
    const shapes = await prepareShadow(db, shadow, projection.tables);

    let checkpoint = LOG_START;
    let processed = 0;
    const batch = async (trx: Transaction<DB>): Promise<number> => {
      const { events, checkpoint: next, scanned } = await store.readAll(checkpoint, batchSize, trx, logFilterOf(projection));
      if (scanned === 0) return 0;
      if (events.length > 0) await projection.apply(trx, events);
      checkpoint = next;
      processed += scanned;
      return scanned;
    };

    for (;;) {
      const before = { checkpoint, processed };
      let scanned: number;
      try {
        scanned = await db.transaction().execute(async (trx) => {
          await shadowFirst(trx, shadow);
          return batch(trx);
        });
      } catch (error) {
        // The batch rolled back: the shadows are where they were before it.
        ({ checkpoint, processed } = before);
        throw error;
      }
      if (scanned === 0) break;
      await options.afterBatch?.({ projection: projection.name, eventsProcessed: processed, checkpoint });
    }

    const tables = await db.transaction().execute(async (trx) => {
      await lockCheckpoint(trx, projection.name);
      await shadowFirst(trx, shadow);
      while ((await batch(trx)) > 0);
      const merged: RebuildResult['tables'] = [];
      for (const shape of [...shapes].reverse()) merged.unshift({ table: shape.table, written: 0, removed: await removeMissing(trx, shadow, shape) });
      for (const [i, shape] of shapes.entries()) merged[i].written = await upsertChanged(trx, shadow, shape);
      await trx
        .updateTable('projection_checkpoints')
        .set({
          transaction_id: checkpoint.transactionId,
          position: checkpoint.position,
          events_processed: processed,
          updated_at: new Date(),
          rebuilt_at: new Date(),
        })
        .where('name', '=', projection.name)
        .execute();
      return merged;
    });
    return { projection: projection.name, eventsProcessed: processed, tables, checkpoint };
  } finally {
    // The shadow is this rebuild's only while it holds the lock: a refused second one leaves the first's alone.
    if (held) {
      await sql`DROP SCHEMA IF EXISTS ${sql.id(shadow)} CASCADE`.execute(db).catch(() => undefined);
      await lock.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [`maatlat:rebuild:${projection.name}`]).catch(() => undefined);
    }
    lock.release();
  }
}

/** The schema that holds a projection's shadow tables while it is rebuilt. */
export function shadowSchemaOf(projectionName: string): string {
  return `rebuild_${projectionName.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`.slice(0, 63);
}

/** Fresh shadow tables shaped like the live ones (columns, defaults, checks, indexes: what ON CONFLICT needs); unlogged, as a crash only means starting again. */
async function prepareShadow(db: Kysely<DB>, shadow: string, tables: readonly string[]): Promise<TableShape[]> {
  const shapes: TableShape[] = [];
  for (const table of tables) {
    const { rows } = await sql<{ schema: string; columns: string[]; key: string[] | null }>`
      SELECT n.nspname AS schema,
             array(SELECT a.attname::text FROM pg_attribute a
                    WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
                    ORDER BY a.attnum) AS columns,
             (SELECT array_agg(a.attname::text ORDER BY array_position(i.indkey::int2[], a.attnum))
                FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
               WHERE i.indrelid = c.oid AND i.indisprimary) AS key
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE c.oid = to_regclass(${table}) AND c.relkind IN ('r', 'p')`.execute(db);
    if (rows.length === 0) throw new Error(`the projection names table ${table}, which does not exist`);
    shapes.push({ table, schema: rows[0].schema, columns: rows[0].columns, key: rows[0].key ?? [] });
  }
  await sql`DROP SCHEMA IF EXISTS ${sql.id(shadow)} CASCADE`.execute(db);
  await sql`CREATE SCHEMA ${sql.id(shadow)}`.execute(db);
  for (const shape of shapes) {
    await sql`CREATE UNLOGGED TABLE ${sql.id(shadow, shape.table)} (LIKE ${sql.id(shape.schema, shape.table)} INCLUDING ALL)`.execute(db);
  }
  return shapes;
}

/** For the rest of the transaction, unqualified names find the shadow tables before the live ones. */
async function shadowFirst(trx: Transaction<DB>, shadow: string): Promise<void> {
  await sql`SELECT set_config('search_path', quote_ident(${shadow}) || ', ' || current_setting('search_path'), true)`.execute(trx);
}

const ids = (names: readonly string[]) => sql.join(names.map((n) => sql.id(n)));

async function removeMissing(trx: Transaction<DB>, shadow: string, shape: TableShape): Promise<number> {
  const live = sql.id(shape.schema, shape.table);
  if (shape.key.length === 0) {
    // No key to match rows by: the shadow replaces the table's rows wholesale (still in this one transaction).
    return Number((await sql`DELETE FROM ${live}`.execute(trx)).numAffectedRows ?? 0);
  }
  const matches = sql.join(
    shape.key.map((k) => sql`s.${sql.id(k)} = t.${sql.id(k)}`),
    sql` AND `,
  );
  const result = await sql`DELETE FROM ${live} AS t WHERE NOT EXISTS (SELECT 1 FROM ${sql.id(shadow, shape.table)} AS s WHERE ${matches})`.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}

async function upsertChanged(trx: Transaction<DB>, shadow: string, shape: TableShape): Promise<number> {
  const live = sql.id(shape.schema, shape.table);
  const columns = ids(shape.columns);
  const insert = sql`INSERT INTO ${live} AS t (${columns}) OVERRIDING SYSTEM VALUE SELECT ${columns} FROM ${sql.id(shadow, shape.table)}`;
  if (shape.key.length === 0) return Number((await insert.execute(trx)).numAffectedRows ?? 0);
  const others = shape.columns.filter((c) => !shape.key.includes(c));
  if (others.length === 0) {
    return Number((await sql`${insert} ON CONFLICT (${ids(shape.key)}) DO NOTHING`.execute(trx)).numAffectedRows ?? 0);
  }
  // Rows are compared as text: it holds for every type, json (which has no equality) included,
  // and an unchanged row is left alone rather than rewritten.
  const result = await sql`${insert} ON CONFLICT (${ids(shape.key)}) DO UPDATE
      SET ${sql.join(others.map((c) => sql`${sql.id(c)} = excluded.${sql.id(c)}`))}
    WHERE ROW(${sql.join(shape.columns.map((c) => sql`t.${sql.id(c)}`))})::text
          IS DISTINCT FROM ROW(${sql.join(shape.columns.map((c) => sql`excluded.${sql.id(c)}`))})::text`.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}
