// Distributed mode: a gateway without workers (this process) and an `aio worker` process started
// without --node, sharing PostgreSQL, Redis and AIO_SECRET_KEY. An admin connects OpenAI (a fake
// upstream) on the gateway; the worker opens the new node's queue on its next reload and a live
// request on that provider's model succeeds, with no process restarted.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { loadSettings } from '../../src/config/settings.js';
import { buildServer } from '../../src/http/server.js';
import { fromCredits } from '../../src/lib/credits.js';
import { randomToken } from '../../src/lib/ids.js';
import { createPlatform, type Platform } from '../../src/platform.js';
import { REDIS_TEST_URL, createPostgresDatabase, dbTargets, dropCreatedDatabases, tempDir } from '../helpers/databases.js';
import { signInAdmin } from '../helpers/dashboard.js';
import { redisSkipReason, startAio } from '../helpers/processes.js';
import { quietLogger, type TestServer } from '../helpers/server.js';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server.js';


const skip = (await dbTargets()).find((t) => t.name === 'postgres')!.skip ?? (await redisSkipReason('the distributed connections test'));

let fake: FakeOpenAI | undefined;
let gateway: Platform | undefined;
let close: (() => Promise<void>) | undefined;
let worker: ChildProcess | undefined;

after(async () => {
  if (worker && worker.exitCode === null) {
    worker.kill('SIGTERM');
    await new Promise((r) => worker!.once('exit', r));
  }
  await close?.();
  await fake?.close();
  await dropCreatedDatabases();
});

test('a connection made on a gateway is served by a worker process started before it', { skip, timeout: 120_000 }, async () => {
  fake = await startFakeOpenAI();
  const env = {
    DATABASE_URL: await createPostgresDatabase(),
    REDIS_URL: REDIS_TEST_URL,
    AIO_QUEUE_PREFIX: `aio-test-${randomToken(8)}`,
    AIO_SECRET_KEY: randomToken(40),
    AIO_OVERRIDES_REFRESH_MS: '200',
    AIO_RATE_LIMIT_PER_MINUTE: '0',
    AIO_RETRY_BASE_MS: '50',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
  };
  // Each process has its own data directory: only AIO_SECRET_KEY lets the worker open the key.
  gateway = await createPlatform(loadSettings({ ...env, AIO_DATA_DIR: tempDir() }), { workers: false, logger: quietLogger() });
  const app = await buildServer(gateway);
  await app.listen({ host: '127.0.0.1', port: 0 });
  close = async () => (await app.close(), await gateway!.close());
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

  // The worker's own log (info level) says when it is consuming.
  worker = startAio(['worker'], { ...env, AIO_DATA_DIR: tempDir(), LOG_LEVEL: 'info' });
  let workerLog = '';
  worker.stdout!.on('data', (d) => (workerLog += String(d)));
  worker.stderr!.on('data', (d) => (workerLog += String(d)));
  // The worker is consuming its queues before the connection exists.
  for (let i = 0; i < 300 && !workerLog.includes('worker is running'); i++) await new Promise((r) => setTimeout(r, 100));
  assert.match(workerLog, /worker is running/);

  const admin = await signInAdmin({ url, platform: gateway } as TestServer);
  const user = await gateway.users.create({ email: 'distributed@example.com' });
  await gateway.ledger.credit(user.id, fromCredits(50), 'grant', 'test');
  const { key } = await gateway.keys.create(user.id, {});

  const created = await admin.post('/api/admin/connections', { id: 'openai-dist', provider: 'openai', base_url: fake.url, api_key: fake.apiKey, models: ['gpt-image-1'] });
  assert.equal(created.status, 201, created.text);

  const res = await fetch(`${url}/api/v1/images/generations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', prefer: 'wait=60' },
    body: JSON.stringify({ model: 'gpt-image-1', prompt: 'A paper crane on a desk', size: '1:1' }),
  });
  const task = (await res.json()) as any;
  assert.equal(res.status, 200, `${JSON.stringify(task)}\n${workerLog}`);
  assert.equal(task.status, 'succeeded', JSON.stringify(task.error));
  assert.equal(task.node, 'openai-dist');
  assert.equal(gateway.runner, undefined, 'the gateway runs no workers: the worker process did it');
  assert.equal(fake.apiRequests().filter((r) => r.path === '/v1/images/generations').length, 1);
  assert.ok(!workerLog.includes(fake.apiKey), 'the worker never logs the key');
});
