// Issue 10, item 8: with REDIS_URL, N gateways must not allow N times the limits, and a node a
// worker found down must be down for the gateways too. Two gateways (two platforms, one database,
// the real Redis under a key prefix of their own) share rate limits, login throttles and breaker
// states; with Redis gone, each still limits on its own, and nothing hangs.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { randomToken } from '../../src/lib/ids.js';
import { expectError } from '../helpers/assert-error.js';
import { REDIS_TEST_URL, dropCreatedDatabases, tempDir } from '../helpers/databases.js';
import { Browser, PASSWORD, uniqueEmail } from '../helpers/dashboard.js';
import { type Gateway, startGateway } from './gateway.js';
import { until } from './processes.js';
import { startTcpProxy } from './tcp-proxy.js';

after(dropCreatedDatabases);

async function redisSkip(): Promise<string | undefined> {
  const redis = new Redis(REDIS_TEST_URL, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 2000 });
  try {
    await redis.connect();
    await redis.ping();
    return undefined;
  } catch (err) {
    if (process.env.CI) throw err;
    return `Redis is not reachable at ${REDIS_TEST_URL}`;
  } finally {
    redis.disconnect();
  }
}

/** Two gateways on one (SQLite) database and one Redis prefix. */
async function twoGateways(env: Record<string, string> = {}): Promise<[Gateway, Gateway]> {
  const databaseUrl = `${tempDir()}/aio.sqlite`;
  const shared = { REDIS_URL: REDIS_TEST_URL, AIO_QUEUE_PREFIX: `aio-test-${randomToken(8)}`, ...env };
  const a = await startGateway({ databaseUrl, env: shared });
  const b = await startGateway({ databaseUrl, env: shared });
  return [a, b];
}

describe('state shared by gateways through Redis', { skip: await redisSkip() }, () => {
  test('a key limited to 6 requests a minute gets 6 in all across two gateways, not 6 on each', async () => {
    const [a, b] = await twoGateways({ AIO_RATE_LIMIT_PER_MINUTE: '6' });
    try {
      const { key } = await a.account({ test: true });
      const answers = [];
      for (let i = 0; i < 12; i++) answers.push(await (i % 2 ? b : a).api('GET', '/api/v1/tasks', { key }));
      const passed = answers.filter((r) => r.status === 200).length;
      // One more may have refilled (one token every 10 s) on a very slow machine; 12 would mean per process.
      assert.ok(passed === 6 || passed === 7, `${passed} of 12 passed`);
      for (const r of answers.filter((x) => x.status !== 200)) {
        expectError(r, 429, 'rate_limit_exceeded');
        assert.ok(Number(r.headers.get('retry-after')) >= 1);
      }
    } finally {
      await a.close();
      await b.close();
    }
  });

  test('chat tokens per minute are counted across gateways: a prompt plus its answer on one leaves no room on the other', async () => {
    const [a, b] = await twoGateways({ AIO_TOKENS_PER_MINUTE: '200' });
    try {
      const { key } = await a.account({ test: true });
      // About 90 tokens of prompt; the local engine's answer quotes it, so prompt and answer pass 110.
      const long = { model: 'gpt-4.1', messages: [{ role: 'user', content: 'word '.repeat(83) }] };
      assert.equal((await a.api('POST', '/v1/chat/completions', { key, body: long })).status, 200, 'a full bucket lets one through');
      const refused = await b.api('POST', '/v1/chat/completions', { key, body: long });
      expectError(refused, 429, 'rate_limit_exceeded');
      assert.match(refused.body.error.message, /200 tokens a minute/);
      assert.ok(Number(refused.headers.get('retry-after')) >= 1);
      // The request limit of the same key, kept in the same store, is a bucket apart.
      assert.equal((await b.api('GET', '/api/v1/tasks', { key })).status, 200);
    } finally {
      await a.close();
      await b.close();
    }
  });

  test('wrong passwords for one email count on both gateways: 5 are checked in all, the rest 429', async () => {
    const [a, b] = await twoGateways();
    try {
      const email = uniqueEmail('shared');
      await a.platform.users.create({ email, password: PASSWORD });
      const answers = [];
      for (let i = 0; i < 10; i++) answers.push(await new Browser((i % 2 ? b : a).url).post('/api/auth/login', { email, password: `wrong ${i}` }));
      assert.deepEqual(
        answers.map((r) => r.status),
        [401, 401, 401, 401, 401, 429, 429, 429, 429, 429],
      );
      for (const r of answers.slice(5)) expectError(r, 429, 'too_many_attempts');
      // Also in a parallel burst split between them.
      const other = uniqueEmail('burst');
      await a.platform.users.create({ email: other, password: PASSWORD });
      const burst = await Promise.all(Array.from({ length: 40 }, (_, i) => new Browser((i % 2 ? b : a).url).post('/api/auth/login', { email: other, password: `wrong ${i}` })));
      assert.ok(burst.filter((r) => r.status === 401).length <= 5, burst.map((r) => r.status).join(','));
    } finally {
      await a.close();
      await b.close();
    }
  });

  test('a breaker opened in one process is open in the others (and for a process started later); closed everywhere once it closes', async () => {
    const env = { IDEOGRAM_API_KEY: 'key', IDEOGRAM_BASE_URL: 'http://127.0.0.1:9' };
    const [worker, gateway] = await twoGateways(env);
    let late: Gateway | undefined;
    try {
      assert.equal(gateway.platform.router.pick('ideogram-v4')?.id, 'node63');
      // The worker's calls to node63 keep failing: its breaker opens.
      for (let i = 0; i < 5; i++) worker.platform.router.failed('node63', 'upstream 500', true);
      assert.equal(worker.platform.router.state('node63'), 'open');
      await until(async () => gateway.platform.router.state('node63') === 'open', 'the gateway to learn the node is down', 10_000);
      assert.equal(gateway.platform.router.pick('ideogram-v4'), undefined, 'the gateway no longer picks it');
      const nodes = gateway.platform.router.snapshot().find((n) => n.id === 'node63')!;
      assert.equal(nodes.last_error, 'upstream 500');

      late = await startGateway({ databaseUrl: `${tempDir()}/late.sqlite`, env: { ...env, REDIS_URL: REDIS_TEST_URL, AIO_QUEUE_PREFIX: (worker.platform.settings.queuePrefix) } });
      assert.equal(late.platform.router.state('node63'), 'open', 'read from Redis at start');

      // The node recovers (a probe succeeds somewhere): closed for everyone.
      worker.platform.router.succeeded('node63');
      await until(async () => gateway.platform.router.state('node63') === 'closed' && late!.platform.router.state('node63') === 'closed', 'the breaker to close everywhere', 10_000);
      assert.equal(gateway.platform.router.pick('ideogram-v4')?.id, 'node63');
    } finally {
      await late?.close();
      await worker.close();
      await gateway.close();
    }
  });

  test('a breaker change is taken over only when it is newer than the last one taken (an older one arriving late is ignored)', async () => {
    const prefix = `aio-test-${randomToken(8)}`;
    const gw = await startGateway({ databaseUrl: `${tempDir()}/aio.sqlite`, env: { REDIS_URL: REDIS_TEST_URL, AIO_QUEUE_PREFIX: prefix, IDEOGRAM_API_KEY: 'key', OPENAI_API_KEY: 'key' } });
    const redis = new Redis(REDIS_TEST_URL);
    try {
      const say = (id: string, seq: number, open: boolean) =>
        redis.publish(`${prefix}:node-health`, JSON.stringify({ o: 'other', s: seq, c: { id, openedAt: open ? Date.now() : null, consecutiveFailures: open ? 5 : 0, lastError: open ? 'upstream 500' : null } }));
      await until(async () => (await say('node71', 1, true)) > 0, 'the gateway to subscribe', 10_000);
      await until(async () => gw.platform.router.state('node71') === 'open', 'the gateway to take the first change', 10_000);
      await say('node63', 5, true);
      await say('node63', 3, false); // older: must not close it
      await say('node71', 2, false); // a marker behind them on the same channel
      await until(async () => gw.platform.router.state('node71') === 'closed', 'the marker', 10_000);
      assert.equal(gw.platform.router.state('node63'), 'open', 'the older close was ignored');
      await say('node63', 6, false);
      await until(async () => gw.platform.router.state('node63') === 'closed', 'the newer close', 10_000);
    } finally {
      redis.disconnect();
      await gw.close();
    }
  });

  test('with Redis gone, limits fall back to each process’s own count, and requests do not hang', async () => {
    const proxy = await startTcpProxy(REDIS_TEST_URL);
    const gw = await startGateway({ databaseUrl: `${tempDir()}/aio.sqlite`, env: { REDIS_URL: proxy.url, AIO_QUEUE_PREFIX: `aio-test-${randomToken(8)}`, AIO_RATE_LIMIT_PER_MINUTE: '3' } });
    try {
      const { key } = await gw.account({ test: true });
      await proxy.down();
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await gw.api('GET', '/api/v1/tasks', { key, timeoutMs: 10_000 })).status);
      assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
    } finally {
      await proxy.restore();
      await gw.close();
      await proxy.close();
    }
  });
});
