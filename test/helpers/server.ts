// A real platform + HTTP server on a loopback port, on a real database, for API tests.
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import pino from 'pino';
import { loadSettings } from '../../src/config/settings.js';
import { buildServer } from '../../src/http/server.js';
import { fromCredits } from '../../src/lib/credits.js';
import { createPlatform, type Platform } from '../../src/platform.js';
import { tempDir } from './databases.js';

export interface TestServer {
  url: string;
  platform: Platform;
  /** A user with a key (live unless `test`), and `credits` (decimal credits, not micro) granted. */
  account(opts?: { credits?: number; test?: boolean; email?: string }): Promise<{ userId: string; email: string; key: string; keyId: string }>;
  api(method: string, route: string, opts?: { key?: string; body?: unknown; raw?: string; headers?: Record<string, string> }): Promise<{ status: number; body: any; headers: Headers }>;
  /** Polls a task until it is finished (or `ms` pass) and returns it. */
  waitForTask(id: string, key: string, ms?: number): Promise<any>;
  close(): Promise<void>;
}

export const quietLogger = () => pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

export async function startTestServer(opts: { databaseUrl?: string; env?: Record<string, string> } = {}): Promise<TestServer> {
  const dataDir = tempDir();
  const settings = loadSettings({
    AIO_DATA_DIR: dataDir,
    DATABASE_URL: opts.databaseUrl ?? path.join(dataDir, 'aio.sqlite'),
    AIO_RETRY_BASE_MS: '20',
    AIO_RATE_LIMIT_PER_MINUTE: '0',
    // Tests sign up many accounts from 127.0.0.1; test/security/login-throttle.test.ts turns it on.
    AIO_SIGNUP_LIMIT_PER_HOUR: '0',
    ...opts.env,
  });
  const platform = await createPlatform(settings, { workers: true, logger: quietLogger() });
  const app = await buildServer(platform);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  let n = 0;

  const api: TestServer['api'] = async (method, route, o = {}) => {
    const headers: Record<string, string> = { ...o.headers };
    if (o.key) headers.authorization = `Bearer ${o.key}`;
    let body: string | undefined = o.raw;
    if (o.body !== undefined) {
      body = JSON.stringify(o.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(`${url}${route}`, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed as any, headers: res.headers };
  };

  return {
    url,
    platform,
    api,
    async account({ credits = 0, test = false, email } = {}) {
      const user = await platform.users.create({ email: email ?? `user${++n}-${Date.now()}@example.com` });
      if (credits) await platform.ledger.credit(user.id, fromCredits(credits), 'grant', 'test');
      const { key, record } = await platform.keys.create(user.id, { test });
      return { userId: user.id, email: user.email, key, keyId: record.id };
    },
    async waitForTask(id, key, ms = 10_000) {
      const deadline = Date.now() + ms;
      for (;;) {
        const { body } = await api('GET', `/api/v1/tasks/${id}`, { key });
        if (['succeeded', 'failed', 'canceled'].includes(body.status) || Date.now() > deadline) return body;
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async close() {
      await app.close();
      await platform.close();
    },
  };
}
