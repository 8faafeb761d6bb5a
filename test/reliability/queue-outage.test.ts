// Issue 10, finding 6: when Redis stops answering (paused) or is gone (nothing listens), a gateway
// in distributed mode answers 503 queue_unavailable within its queue timeout, fails the task and
// gives the credits back, and /readyz says the queue is unavailable. The shared Redis is never
// touched: the gateway reaches it through a proxy that stalls or cuts the connections.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { MICRO } from '../../src/lib/credits.js';
import { randomToken } from '../../src/lib/ids.js';
import { expectError } from '../helpers/assert-error.js';
import { REDIS_TEST_URL, dbTargets, dropCreatedDatabases } from '../helpers/databases.js';
import { startGateway } from './gateway.js';
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
const noRedis = await redisSkip();

const POSTER = { model: 'aio-poster', prompt: 'A clean editorial poster reading "OUTAGE", bold typography', size: '1:1', output_format: 'png' };
const GEN = '/api/v1/images/generations';

for (const target of await dbTargets()) {
  describe(`a Redis outage on ${target.name}`, { skip: target.skip ?? noRedis }, () => {
    test('paused or gone: 503 queue_unavailable at once, task failed and refunded, /readyz unavailable; back to normal after', { timeout: 90_000 }, async () => {
      const proxy = await startTcpProxy(REDIS_TEST_URL);
      const gw = await startGateway({
        databaseUrl: await target.create(),
        env: { REDIS_URL: proxy.url, AIO_QUEUE_PREFIX: `aio-test-${randomToken(8)}`, AIO_QUEUE_TIMEOUT_MS: '500', AIO_RATE_LIMIT_PER_MINUTE: '1000' },
      });
      try {
        const { userId, key } = await gw.account({ credits: 5 });
        const ready = await gw.api('GET', '/readyz');
        assert.equal(ready.status, 200, JSON.stringify(ready.body));
        assert.equal(ready.body.queue, 'redis');
        const queued = await gw.api('POST', GEN, { key, body: POSTER });
        assert.equal(queued.status, 202, JSON.stringify(queued.body));

        for (const outage of ['stall', 'down'] as const) {
          if (outage === 'stall') proxy.stall();
          else await proxy.down();
          // Bounded: without the fix this request never answers and the abort fails the test.
          const res = await gw.api('POST', GEN, { key, body: POSTER, headers: { 'idempotency-key': `outage-${outage}` }, timeoutMs: 20_000 });
          expectError(res, 503, 'queue_unavailable');
          assert.ok(Number(res.headers.get('retry-after')) > 0);
          const failed = await gw.platform.db
            .selectFrom('tasks')
            .selectAll()
            .where('user_id', '=', userId)
            .where('status', '=', 'failed')
            .orderBy('id', 'desc')
            .executeTakeFirstOrThrow();
          assert.equal(JSON.parse(failed.error!).code, 'queue_unavailable');
          const releases = await gw.platform.db.selectFrom('ledger_entries').selectAll().where('task_id', '=', failed.id).where('kind', '=', 'release').execute();
          assert.equal(releases.length, 1, 'its hold was given back');
          // Nothing was charged; only the queued tasks (no worker runs them here) hold their credit.
          const stillQueued = await gw.platform.db.selectFrom('tasks').select('id').where('user_id', '=', userId).where('status', '=', 'queued').execute();
          const { balance, reserved } = await gw.platform.ledger.balances(userId);
          assert.equal(reserved, stillQueued.length * MICRO);
          assert.equal(balance + reserved, 5 * MICRO);
          const unready = await gw.api('GET', '/readyz', { timeoutMs: 20_000 });
          assert.equal(unready.status, 503);
          assert.equal(unready.body.status, 'unavailable');
          assert.equal(typeof unready.body.queue_error, 'string');
          await proxy.restore();
          await until(async () => (await gw.api('GET', '/readyz')).status === 200, '/readyz to recover');
          // The 503 kept nothing under the key: the same key goes through now.
          const retried = await gw.api('POST', GEN, { key, body: POSTER, headers: { 'idempotency-key': `outage-${outage}` } });
          assert.equal(retried.status, 202, JSON.stringify(retried.body));
          assert.notEqual(retried.body.id, failed.id);
        }
      } finally {
        await proxy.restore();
        await gw.close();
        await proxy.close();
      }
    });
  });
}
