// The databases every database test runs on: a real SQLite file, and a real PostgreSQL
// (a fresh database per use, dropped afterwards). Outside CI a missing PostgreSQL is said out
// loud and its variants skipped; in CI (CI=true) it is a failure.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { randomToken } from '../../src/lib/ids.js';

export const PG_ADMIN_URL = process.env.AIO_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_TEST_URL = process.env.AIO_TEST_REDIS_URL || 'redis://127.0.0.1:6379';

export interface DbTarget {
  name: 'sqlite' | 'postgres';
  /** Makes a new empty database and returns its URL (a file path for SQLite). */
  create(): Promise<string>;
  /** Why this target cannot run here, if it cannot. */
  skip?: string;
}

let pgReachable: Promise<string | undefined> | undefined;

function checkPostgres(): Promise<string | undefined> {
  pgReachable ??= (async () => {
    const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return undefined;
    } catch (err) {
      const why = `PostgreSQL is not reachable at ${PG_ADMIN_URL} (${(err as Error).message}); set AIO_TEST_PG_URL or start it`;
      if (process.env.CI) throw new Error(`${why}. CI must run the PostgreSQL tests.`);
      process.stderr.write(`\n!! ${why}: the PostgreSQL variants are SKIPPED.\n\n`);
      return why;
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return pgReachable;
}

const created: string[] = [];

export async function createPostgresDatabase(): Promise<string> {
  const name = `aio_t_${randomToken(10).toLowerCase()}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  created.push(name);
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Drops the databases this process made (call from an `after` hook). */
export async function dropCreatedDatabases(): Promise<void> {
  if (!created.length) return;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    for (const name of created.splice(0)) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

export function tempDir(prefix = 'aio-test-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function dbTargets(): Promise<DbTarget[]> {
  const skip = await checkPostgres();
  return [
    { name: 'sqlite', create: async () => path.join(tempDir(), 'aio.sqlite') },
    { name: 'postgres', create: createPostgresDatabase, skip },
  ];
}
