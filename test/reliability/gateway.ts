// A gateway without workers (as in distributed mode, or while the workers are down): tasks stay
// queued, so tests can look at them before anything runs them.
import type { AddressInfo } from 'node:net';
import { loadSettings } from '../../src/config/settings.js';
import { buildServer } from '../../src/http/server.js';
import { fromCredits } from '../../src/lib/credits.js';
import { createPlatform, type Platform } from '../../src/platform.js';
import { tempDir } from '../helpers/databases.js';
import { quietLogger } from '../helpers/server.js';

export interface Gateway {
  url: string;
  platform: Platform;
  account(opts?: { credits?: number; test?: boolean; userId?: string }): Promise<{ userId: string; key: string }>;
  api(method: string, route: string, opts?: { key?: string; body?: unknown; headers?: Record<string, string>; timeoutMs?: number }): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

let n = 0;

export async function startGateway(opts: { databaseUrl: string; env?: Record<string, string>; workers?: boolean }): Promise<Gateway> {
  const settings = loadSettings({ AIO_DATA_DIR: tempDir(), DATABASE_URL: opts.databaseUrl, AIO_RATE_LIMIT_PER_MINUTE: '0', AIO_SIGNUP_LIMIT_PER_HOUR: '0', ...opts.env });
  const platform = await createPlatform(settings, { workers: opts.workers ?? false, logger: quietLogger() });
  const app = await buildServer(platform);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return {
    url,
    platform,
    async account({ credits = 0, test = false, userId } = {}) {
      const id = userId ?? (await platform.users.create({ email: `gw${++n}-${Date.now()}@example.com` })).id;
      if (credits) await platform.ledger.credit(id, fromCredits(credits), 'grant', 'test');
      const { key } = await platform.keys.create(id, { test });
      return { userId: id, key };
    },
    async api(method, route, o = {}) {
      const headers: Record<string, string> = { ...o.headers };
      if (o.key) headers.authorization = `Bearer ${o.key}`;
      if (o.body !== undefined) headers['content-type'] ??= 'application/json';
      const res = await fetch(`${url}${route}`, {
        method,
        headers,
        body: o.body === undefined ? undefined : JSON.stringify(o.body),
        signal: AbortSignal.timeout(o.timeoutMs ?? 30_000),
      });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        /* not JSON */
      }
      return { status: res.status, body: body as any, headers: res.headers };
    },
    async close() {
      await app.close();
      await platform.close();
    },
  };
}
