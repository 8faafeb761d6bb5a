// Issue 11: upstream provider connections made from the admin pages, password resets, and
// redemption codes that can be voided or expire.
// - `connections`: one row per worker node an admin connected (its id is the node id queues and
//   tasks name). The API key is stored encrypted (AES-256-GCM, src/lib/secret-box.ts) with its
//   last four characters apart, so lists never need to decrypt it.
// - `password_resets`: single-use, expiring tokens, of which only the SHA-256 is stored.
// Same conventions as 001 (0/1 booleans, ISO-8601 text times).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('connections')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('base_url', 'text')
    .addColumn('api_key_encrypted', 'text')
    .addColumn('api_key_last4', 'text')
    .addColumn('models', 'text', (c) => c.notNull())
    .addColumn('concurrency', 'integer', (c) => c.notNull())
    .addColumn('priority', 'integer', (c) => c.notNull())
    .addColumn('weight', 'integer', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('last_check_at', 'text')
    .addColumn('last_check_ok', 'integer')
    .addColumn('last_check_message', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();

  await db.schema
    .createTable('password_resets')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();
  await db.schema.createIndex('password_resets_user').on('password_resets').columns(['user_id', 'created_at']).execute();

  await db.schema.alterTable('redemption_codes').addColumn('expires_at', 'text').execute();
  await db.schema.alterTable('redemption_codes').addColumn('voided_at', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('redemption_codes').dropColumn('voided_at').execute();
  await db.schema.alterTable('redemption_codes').dropColumn('expires_at').execute();
  await db.schema.dropIndex('password_resets_user').execute();
  await db.schema.dropTable('password_resets').execute();
  await db.schema.dropTable('connections').execute();
}
