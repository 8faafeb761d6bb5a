// A revision number of everything an API key's authentication depends on. Triggers bump it
// whenever an API key or its user changes in a way that matters to a request (revoked, rolled,
// expiry, limits, allowed models, mode, owner; user disabled, admin, e-mail, or either deleted),
// whoever writes: this process, another gateway, the CLI, an operator's SQL. Gateways keep
// authenticated keys in memory and drop them all once the number moves (services/api-key-cache.ts),
// so that a revocation still takes effect at once. `spent` and `last_used_at` change with use and
// do not bump it.
import { PostgresAdapter, sql, type Kysely } from 'kysely';

const KEY_COLUMNS = 'user_id, name, prefix, lookup, hash, livemode, expires_at, revoked_at, credit_limit, allowed_models';
const USER_COLUMNS = 'email, is_admin, disabled';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('auth_revision').addColumn('id', 'integer', (c) => c.primaryKey()).addColumn('rev', 'bigint', (c) => c.notNull()).execute();
  await sql`INSERT INTO auth_revision (id, rev) VALUES (1, 0)`.execute(db);
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`CREATE FUNCTION aio_bump_auth_revision() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN UPDATE auth_revision SET rev = rev + 1 WHERE id = 1; RETURN NULL; END $$`.execute(db);
    await sql.raw(`CREATE TRIGGER api_keys_auth_revision AFTER UPDATE OF ${KEY_COLUMNS} OR DELETE ON api_keys FOR EACH STATEMENT EXECUTE FUNCTION aio_bump_auth_revision()`).execute(db);
    await sql.raw(`CREATE TRIGGER users_auth_revision AFTER UPDATE OF ${USER_COLUMNS} OR DELETE ON users FOR EACH STATEMENT EXECUTE FUNCTION aio_bump_auth_revision()`).execute(db);
    return;
  }
  const bump = 'BEGIN UPDATE auth_revision SET rev = rev + 1 WHERE id = 1; END';
  await sql.raw(`CREATE TRIGGER api_keys_auth_revision_update AFTER UPDATE OF ${KEY_COLUMNS} ON api_keys ${bump}`).execute(db);
  await sql.raw(`CREATE TRIGGER api_keys_auth_revision_delete AFTER DELETE ON api_keys ${bump}`).execute(db);
  await sql.raw(`CREATE TRIGGER users_auth_revision_update AFTER UPDATE OF ${USER_COLUMNS} ON users ${bump}`).execute(db);
  await sql.raw(`CREATE TRIGGER users_auth_revision_delete AFTER DELETE ON users ${bump}`).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`DROP TRIGGER users_auth_revision ON users`.execute(db);
    await sql`DROP TRIGGER api_keys_auth_revision ON api_keys`.execute(db);
    await sql`DROP FUNCTION aio_bump_auth_revision()`.execute(db);
  } else {
    for (const name of ['api_keys_auth_revision_update', 'api_keys_auth_revision_delete', 'users_auth_revision_update', 'users_auth_revision_delete'])
      await sql.raw(`DROP TRIGGER ${name}`).execute(db);
  }
  await db.schema.dropTable('auth_revision').execute();
}
