// Real `aio` processes for the distributed, crash and fault tests: bin/aio.js as an operator runs
// it, on a free loopback port, its stderr shown when TEST_LOG_LEVEL is set.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { REDIS_TEST_URL } from './databases.js';

export const AIO_BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/aio.js');

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

/**
 * Starts `aio <args>` with the test process's environment plus `env`. Its log (stdout) and stderr
 * are always read, so a chatty process never blocks on a full pipe; they are shown when
 * TEST_LOG_LEVEL is set, and callers may listen too.
 */
export function startAio(args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, [AIO_BIN, ...args], {
    env: { ...process.env, LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout!, child.stderr!]) stream.on('data', (d) => process.env.TEST_LOG_LEVEL && process.stderr.write(d));
  return child;
}

/**
 * Waits until `url/readyz` answers 200. Generous by default: a cold start (tsx compiling the
 * server, migrations) on a loaded two-core machine can take tens of seconds.
 */
export async function waitReady(url: string, ms = 120_000, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`the process behind ${url} exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/readyz`)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not become ready in ${ms} ms`);
}

/** Why the Redis-backed tests cannot run here (outside CI they are skipped, loudly); in CI a missing Redis fails. */
export async function redisSkipReason(what: string): Promise<string | undefined> {
  const redis = new Redis(REDIS_TEST_URL, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 2000 });
  try {
    await redis.connect();
    await redis.ping();
    return undefined;
  } catch (err) {
    const why = `Redis is not reachable at ${REDIS_TEST_URL} (${(err as Error).message})`;
    if (process.env.CI) throw new Error(`${why}. CI must run ${what}.`);
    process.stderr.write(`\n!! ${why}: ${what} is SKIPPED.\n\n`);
    return why;
  } finally {
    redis.disconnect();
  }
}
