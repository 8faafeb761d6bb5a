import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from './sqlite.mjs';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { isPostgresUrl } from '../config/settings.js';
import type { Database } from './schema.js';
import { migrateToLatest } from './migrate.js';
import { RESTART_FRAMES, startWalCheckpointer, type WalCheckpointer } from './wal-checkpointer.js';

export type Db = Kysely<Database>;
export type DbKind = 'sqlite' | 'postgres';

// PostgreSQL returns COUNT/SUM (int8) as strings; our amounts fit in a JS number.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

export interface OpenedDatabase {
  db: Db;
  kind: DbKind;
  close(): Promise<void>;
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares every query anew, and compiling a statement costs SQLite more than running one
 * of ours: keep the compiled statements by their SQL text (the parameters vary, the text does
 * not). A statement still being iterated is busy and gets a fresh one.
 */
function cacheStatements(sqlite: SQLite.Database): SQLite.Database {
  const cache = new Map<string, SQLite.Statement>();
  const prepare = sqlite.prepare.bind(sqlite);
  sqlite.prepare = ((source: string) => {
    const cached = cache.get(source);
    if (cached && !cached.busy) return cached;
    const statement = prepare(source);
    if (!cached) {
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      cache.set(source, statement);
    }
    return statement;
  }) as SQLite.Database['prepare'];
  return sqlite;
}

/** Opens SQLite (a file path) or PostgreSQL (`postgres://...`) and migrates it. */
export async function openDatabase(url: string, opts: { poolSize?: number; onIdleError?: (err: Error) => void } = {}): Promise<OpenedDatabase> {
  let db: Db;
  let kind: DbKind;
  let checkpointer: WalCheckpointer | undefined;
  if (isPostgresUrl(url)) {
    kind = 'postgres';
    const pool = new pg.Pool({ connectionString: url, max: opts.poolSize ?? 10 });
    // An idle connection the server drops (restart, pg_terminate_backend) must not crash the
    // process: the pool discards it and the next query opens a new one.
    pool.on('error', (err) => opts.onIdleError?.(err));
    // A checked-out connection (inside a transaction, between two queries) has no pool listener:
    // its 'error' event would end the process. The query using it fails with the error anyway.
    pool.on('connect', (client) => client.on('error', () => undefined));
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  } else {
    kind = 'sqlite';
    mkdirSync(path.dirname(path.resolve(url)), { recursive: true });
    const sqlite = new SQLite(url);
    const walMode = sqlite.pragma('journal_mode = WAL', { simple: true }) === 'wal';
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('foreign_keys = ON');
    // Checkpoints run on a thread of their own, not in the commit that crosses the threshold;
    // this connection only finishes one when the thread reports a long log (wal-checkpointer.ts).
    if (walMode && url !== ':memory:') {
      sqlite.pragma('wal_autocheckpoint = 0');
      sqlite.pragma(`journal_size_limit = ${RESTART_FRAMES * 4096 * 2}`);
      let finishing = false;
      checkpointer = startWalCheckpointer(path.resolve(url), () => {
        if (finishing) return;
        finishing = true;
        // Through Kysely, so that it waits for a transaction in progress on this connection.
        void sql`PRAGMA wal_checkpoint(PASSIVE)`
          .execute(db)
          .catch(() => undefined)
          .finally(() => (finishing = false));
      });
    }
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cacheStatements(sqlite) }) });
  }
  await migrateToLatest(db);
  return {
    db,
    kind,
    close: async () => {
      await checkpointer?.stop();
      await db.destroy();
    },
  };
}
