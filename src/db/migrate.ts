import { Migrator, type Kysely, type Migration } from 'kysely';
import * as m001 from './migrations/001_initial.js';
import * as m002 from './migrations/002_dashboard.js';
import * as m003 from './migrations/003_micro_credits.js';
import * as m004 from './migrations/004_chat.js';
import * as m005 from './migrations/005_events_webhooks.js';
import * as m006 from './migrations/006_files.js';
import * as m007 from './migrations/007_reliability.js';
import * as m008 from './migrations/008_connections.js';
import * as m009 from './migrations/009_auth_revision.js';

const migrations: Record<string, Migration> = {
  '001_initial': m001,
  '002_dashboard': m002,
  '003_micro_credits': m003,
  '004_chat': m004,
  '005_events_webhooks': m005,
  '006_files': m006,
  '007_reliability': m007,
  '008_connections': m008,
  '009_auth_revision': m009,
};

/** Brings the schema up to date; safe to call from several processes at start. */
export async function migrateToLatest(db: Kysely<any>): Promise<void> {
  return migrateTo(db);
}

/** Brings the schema up to the migration named `name` (default: the latest); tests use this to build an old schema. */
export async function migrateTo(db: Kysely<any>, name?: string): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'aio_migrations',
    migrationLockTableName: 'aio_migrations_lock',
  });
  const { error, results } = name ? await migrator.migrateTo(name) : await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${(error as Error)?.message ?? error}`);
  }
}
