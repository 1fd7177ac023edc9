import { Kysely, sql } from 'kysely';

// Read models of organisations and their unit trees, built by the organisations projection.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE organisations (
      organisation_id text PRIMARY KEY,
      name text NOT NULL,
      organisation_type text NOT NULL,
      size_band text NOT NULL,
      registered_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX organisations_peer_group ON organisations (organisation_type, size_band)`.execute(db);
  // path: the unit ids from the root down, joined by '/', so a subtree is one prefix.
  await sql`
    CREATE TABLE organisation_units (
      organisation_id text NOT NULL,
      unit_id text NOT NULL,
      parent_unit_id text,
      name text NOT NULL,
      kind text NOT NULL,
      closed boolean NOT NULL DEFAULT false,
      path text NOT NULL,
      depth integer NOT NULL,
      updated_at timestamptz NOT NULL,
      PRIMARY KEY (organisation_id, unit_id)
    )`.execute(db);
  await sql`CREATE INDEX organisation_units_path ON organisation_units (organisation_id, path text_pattern_ops)`.execute(db);
  await sql`
    CREATE TABLE chains (
      chain_id text PRIMARY KEY,
      name text NOT NULL,
      description text NOT NULL,
      formed_at timestamptz NOT NULL
    )`.execute(db);
  await sql`
    CREATE TABLE chain_members (
      chain_id text NOT NULL,
      organisation_id text NOT NULL,
      unit_id text NOT NULL,
      joined_at timestamptz NOT NULL,
      PRIMARY KEY (chain_id, organisation_id, unit_id)
    )`.execute(db);
  await sql`CREATE INDEX chain_members_organisation ON chain_members (organisation_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS chain_members, chains, organisation_units, organisations`.execute(db);
}
