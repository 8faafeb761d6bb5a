// Distributed mode: this process is a gateway (no workers) and an `aio worker` child process runs
// the tasks, both on PostgreSQL and Redis. The gateway learns of the worker's task endings over
// Redis pub/sub: `Prefer: wait` ends through that announcement (not the slow re-check), an SSE
// stream on the gateway follows a task the worker runs, and the worker delivers the webhook.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { Webhook } from 'standardwebhooks';
import { loadSettings } from '../../src/config/settings.js';
import { buildServer } from '../../src/http/server.js';
import { randomToken } from '../../src/lib/ids.js';
import { createPlatform, type Platform } from '../../src/platform.js';
import { REDIS_TEST_URL, createPostgresDatabase, dbTargets, dropCreatedDatabases, tempDir } from '../helpers/databases.js';
import { redisSkipReason, startAio } from '../helpers/processes.js';
import { quietLogger } from '../helpers/server.js';
import { startReceiver, type Receiver } from '../webhooks/receiver.js';
import { openSse } from './sse-client.js';


const skip = (await dbTargets()).find((t) => t.name === 'postgres')!.skip ?? (await redisSkipReason('the distributed task event test'));

let worker: ChildProcess | undefined;
let gateway: Platform | undefined;
let app: FastifyInstance | undefined;
let receiver: Receiver | undefined;

after(async () => {
  if (worker && worker.exitCode === null) worker.kill('SIGKILL');
  await app?.close();
  await gateway?.close();
  await receiver?.close();
  await dropCreatedDatabases();
});

test('a gateway hears at once when a worker process finishes a task', { skip, timeout: 120_000 }, async () => {
  const env = {
    DATABASE_URL: await createPostgresDatabase(),
    REDIS_URL: REDIS_TEST_URL,
    AIO_QUEUE_PREFIX: `aio-test-${randomToken(8)}`,
    AIO_DATA_DIR: tempDir(),
    AIO_RATE_LIMIT_PER_MINUTE: '0',
    AIO_WEBHOOK_ALLOW_PRIVATE: '1',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
  };
  gateway = await createPlatform(loadSettings(env), { workers: false, logger: quietLogger() });
  app = await buildServer(gateway);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  worker = startAio(['worker'], env);
  let workerLog = '';
  worker.stderr!.on('data', (d) => {
    workerLog = (workerLog + d).slice(-4000);
    if (process.env.TEST_LOG_LEVEL) process.stderr.write(d);
  });
  // A worker that dies fails the test at once, with what it said, instead of leaving it waiting.
  const workerDied = new Promise<never>((_, reject) => worker!.once('exit', (code) => reject(new Error(`the worker exited (${code}):\n${workerLog}`))));
  workerDied.catch(() => undefined);

  const user = await gateway.users.create({ email: 'distributed-events@example.com' });
  const { key } = await gateway.keys.create(user.id, { test: true });
  const call = (route: string, init: RequestInit = {}) =>
    fetch(`${url}${route}`, { ...init, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...(init.headers as Record<string, string>) } });
  const poster = (text: string) => JSON.stringify({ model: 'aio-poster', prompt: `A poster reading "${text}"` });

  // The worker is up once it has run a task.
  const first = (await (await call('/api/v1/images/generations', { method: 'POST', body: poster('WARM UP') })).json()) as { id: string };
  const warm = await openSse(`${url}/api/v1/tasks/${first.id}/events`, { authorization: `Bearer ${key}` });
  await Promise.race([warm.ended, workerDied]);
  assert.deepEqual(warm.events.map((e) => e.event).filter((t) => t !== 'progress'), ['queued', 'running', 'succeeded'], 'the gateway streamed what the worker did');
  assert.equal(warm.events.at(-1)!.data.status, 'succeeded');

  receiver = await startReceiver();
  const hook = (await (await call('/api/v1/webhook_endpoints', { method: 'POST', body: JSON.stringify({ url: `${receiver.url}/hook` }) })).json()) as { secret: string };

  const before = { ...gateway.events.waitEnds };
  const waited = await call('/api/v1/images/generations', { method: 'POST', body: poster('AT ONCE'), headers: { prefer: 'wait=30' } });
  assert.equal(waited.status, 200);
  const task = (await waited.json()) as { id: string; status: string; node: string };
  assert.equal(task.status, 'succeeded');
  assert.equal(gateway.events.waitEnds.event, before.event + 1, 'the wait ended through the announcement from the worker process');
  assert.equal(gateway.events.waitEnds.recheck, before.recheck, 'not through the slow re-check');
  assert.equal(gateway.runner, undefined, 'the gateway runs no tasks itself');

  // The worker process delivers the webhook.
  await receiver.until((all) => all.some((r) => r.body.includes(task.id)));
  const got = receiver.received.find((r) => r.body.includes(task.id))!;
  const payload = new Webhook(hook.secret).verify(got.body, got.headers as Record<string, string>) as any;
  assert.equal(payload.type, 'task.succeeded');
  assert.equal(payload.data.id, task.id);
});
