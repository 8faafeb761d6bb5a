// `npm run bench`: throughput of the money path and the HTTP path, measured in one run and
// printed as ratios, so the figures compare on any machine. Bounded in count and time; loopback only.
import path from 'node:path';
import pino from 'pino';
import { loadSettings } from '../src/config/settings.js';
import { buildServer } from '../src/http/server.js';
import { MICRO, fromCredits } from '../src/lib/credits.js';
import { createPlatform, type Platform } from '../src/platform.js';
import { renderPoster } from '../src/providers/local/poster/index.js';
import { createPostgresDatabase, dbTargets, dropCreatedDatabases, tempDir } from '../test/helpers/databases.js';

const quiet = pino({ level: 'silent' });

async function timed(label: string, count: number, fn: (i: number) => Promise<unknown>, parallel = 1): Promise<number> {
  const start = process.hrtime.bigint();
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count) await fn(next++);
    }),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const rate = count / seconds;
  console.log(`${label.padEnd(58)} ${rate.toFixed(0).padStart(8)} /s`);
  return rate;
}

async function ledgerRate(platform: Platform, label: string): Promise<number> {
  const user = await platform.users.create({ email: `bench-${Date.now()}-${Math.random()}@example.com` });
  await platform.ledger.credit(user.id, fromCredits(1_000_000), 'grant');
  // One hold + one settle (captured in full) per task, each in its own transaction, 4 callers at once.
  return timed(`${label}: hold+settle transaction pairs`, 2000, async (i) => {
    await platform.db.transaction().execute((trx) => platform.ledger.hold(trx, { userId: user.id, amount: MICRO, taskId: `task_b${i}` }));
    await platform.db.transaction().execute((trx) => platform.ledger.settle(trx, { userId: user.id, taskId: `task_b${i}`, held: MICRO, captured: MICRO }));
  }, 4);
}

async function main() {
  const sqliteDir = tempDir();
  const sqlite = await createPlatform(loadSettings({ AIO_DATA_DIR: sqliteDir, DATABASE_URL: path.join(sqliteDir, 'aio.sqlite') }), { logger: quiet });
  const sqliteRate = await ledgerRate(sqlite, 'SQLite');
  let pgRate: number | undefined;
  const pg = (await dbTargets()).find((t) => t.name === 'postgres')!;
  if (!pg.skip) {
    const platform = await createPlatform(loadSettings({ AIO_DATA_DIR: tempDir(), DATABASE_URL: await createPostgresDatabase() }), { logger: quiet });
    pgRate = await ledgerRate(platform, 'PostgreSQL');
    await platform.close();
  }

  // HTTP on SQLite, gateway only (no workers competing for the CPU): accept path vs a bare route.
  const dir = tempDir();
  const platform = await createPlatform(loadSettings({ AIO_DATA_DIR: dir, DATABASE_URL: path.join(dir, 'aio.sqlite'), AIO_RATE_LIMIT_PER_MINUTE: '0' }), { workers: false, logger: quiet });
  const app = await buildServer(platform);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const user = await platform.users.create({ email: 'http-bench@example.com' });
  await platform.ledger.credit(user.id, fromCredits(1_000_000), 'grant');
  const { key } = await platform.keys.create(user.id, {});
  const health = await timed('HTTP GET /healthz (16 connections)', 4000, () => fetch(`${base}/healthz`).then((r) => r.arrayBuffer()), 16);
  const body = JSON.stringify({ model: 'aio-poster', prompt: 'bench', size: '1:1' });
  const accept = await timed('HTTP POST /images/generations, live key, 202 (16 conns)', 1000, () =>
    fetch(`${base}/api/v1/images/generations`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body }).then((r) => r.arrayBuffer()), 16);
  await app.close();
  await platform.close();
  await sqlite.close();

  // The local renderer, which serves aio-poster and every test-mode task.
  const render = await timed('local renderer: 1024x1024 posters', 40, (i) => renderPoster({ prompt: `"POSTER ${i}" bench`, seed: i, width: 1024, height: 1024 }));
  await dropCreatedDatabases();

  console.log('\nratios (same run):');
  if (pgRate) console.log(`  SQLite / PostgreSQL ledger transactions: ${(sqliteRate / pgRate).toFixed(2)}x`);
  console.log(`  POST generation accept / GET healthz:    ${(accept / health).toFixed(3)}`);
  console.log(`  ledger pairs (SQLite) / POST accepts:    ${(sqliteRate / accept).toFixed(2)}x`);
  console.log(`  POST accepts / poster renders:           ${(accept / render).toFixed(1)}x (one core renders; workers scale out)`);
}

await main();
process.exit(0);
