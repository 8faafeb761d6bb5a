// Our server as users run it: `node bin/aio.js serve` in its own process, configured only by
// environment (SQLite in a temp dir or a fresh PostgreSQL database), OpenAI pointed at the fake
// upstream, logs at the default level into a file. The account and its live key are made
// beforehand on the same database.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pino from 'pino';
import { PROJECT_ROOT } from '../src/config/settings.js';
import { type Child, freePort, startChild } from './processes.js';

/** High enough never to refuse the bench, while every request still goes through the limiter. */
const RATE_LIMIT_PER_MINUTE = 100_000_000;

export interface AioTarget {
  name: string;
  databaseUrl: string;
  dataDir: string;
}

/**
 * Migrates the database and makes one account with plenty of credits and a live key, with the
 * code of the checkout at `root` (this one by default; `--aio-root` measures another, e.g. the
 * code before a change, whose migrations may differ).
 */
export async function prepareAccount(target: AioTarget, root = PROJECT_ROOT): Promise<string> {
  const load = (file: string) => import(pathToFileURL(path.join(root, file)).href);
  const [{ loadSettings }, { fromCredits }, { createPlatform }] = await Promise.all([load('src/config/settings.ts'), load('src/lib/credits.ts'), load('src/platform.ts')]);
  const platform = await createPlatform(loadSettings({ AIO_DATA_DIR: target.dataDir, DATABASE_URL: target.databaseUrl }), { workers: false, logger: pino({ level: 'silent' }) });
  try {
    const user = await platform.users.create({ email: `bench-${target.name}@example.com` });
    await platform.ledger.credit(user.id, fromCredits(100_000_000), 'grant');
    const { key } = await platform.keys.create(user.id, { name: 'bench' });
    return key;
  } finally {
    await platform.close();
  }
}

export interface AioOptions {
  name: string;
  target: AioTarget;
  upstreamUrl: string;
  logDir: string;
  /** The checkout whose `bin/aio.js` runs (default this one). */
  root?: string;
  /** More `node` flags for the server (e.g. `--trace-gc`). */
  nodeArgs?: string[];
  /** Write a V8 CPU profile of the server into this directory when it stops. */
  cpuProfDir?: string;
  env?: NodeJS.ProcessEnv;
}

export async function startAio(opts: AioOptions): Promise<Child & { url: string }> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    HOST: '127.0.0.1',
    PORT: String(port),
    AIO_DATA_DIR: opts.target.dataDir,
    DATABASE_URL: opts.target.databaseUrl,
    OPENAI_BASE_URL: opts.upstreamUrl,
    OPENAI_API_KEY: 'sk-proj-bench',
    AIO_RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT_PER_MINUTE),
    ...opts.env,
  };
  const args = [
    ...(opts.nodeArgs ?? []),
    // One folder per server: the main thread's profile is the one whose name ends in `.0.001.cpuprofile` (thread 0).
    ...(opts.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${path.join(opts.cpuProfDir, opts.name)}`] : []),
    path.join(opts.root ?? PROJECT_ROOT, 'bin/aio.js'),
    'serve',
  ];
  if (opts.cpuProfDir) mkdirSync(path.join(opts.cpuProfDir, opts.name), { recursive: true });
  const url = `http://127.0.0.1:${port}`;
  const child = await startChild({ name: opts.name, command: process.execPath, args, env, logFile: path.join(opts.logDir, `${opts.name}.log`), readyUrl: `${url}/healthz` });
  return Object.assign(child, { url });
}
