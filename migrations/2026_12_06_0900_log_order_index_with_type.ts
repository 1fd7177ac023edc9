import { Kysely, sql } from 'kysely';

// The log-order index carries each event's type: a projection's batch (which events of its types
// lie past its checkpoint) is then answered from the index, without visiting the rows of the many
// events of other types (answers, mostly) it moves past.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX events_log_order_typed ON events (transaction_id, position) INCLUDE (type)`.execute(db);
  await sql`DROP INDEX events_log_order`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX events_log_order ON events (transaction_id, position)`.execute(db);
  await sql`DROP INDEX events_log_order_typed`.execute(db);
}
