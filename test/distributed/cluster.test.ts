// Distributed mode for real: two gateway processes and two worker processes on loopback,
// sharing this machine's PostgreSQL and Redis, a few hundred tasks against a fake Ideogram,
// one worker killed mid-way. Every task must end succeeded or failed, charged or refunded
// exactly once, and the ledger must sum to the balance.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { after, test } from 'node:test';
import { loadSettings } from '../../src/config/settings.js';
import { MICRO } from '../../src/lib/credits.js';
import { randomToken } from '../../src/lib/ids.js';
import { createPlatform, type Platform } from '../../src/platform.js';
import { REDIS_TEST_URL, createPostgresDatabase, dbTargets, dropCreatedDatabases, tempDir } from '../helpers/databases.js';
import { freePort, redisSkipReason, startAio, waitReady } from '../helpers/processes.js';
import { quietLogger } from '../helpers/server.js';
import { startFakeIdeogram, type FakeIdeogram } from '../fakes/ideogram-server.js';

const TASKS = 240;
/** ideogram-v4's price, in micro-credits. */
const PRICE = 12 * MICRO;

const pgSkip = (await dbTargets()).find((t) => t.name === 'postgres')!.skip;
const skip = pgSkip ?? (await redisSkipReason('the distributed integration test'));

let fake: FakeIdeogram;
let admin: Platform;
const children: ChildProcess[] = [];

after(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await admin?.close();
  await fake?.close();
  await dropCreatedDatabases();
});

test('two gateways, two workers, one killed: every task charged or refunded exactly once', { skip, timeout: 240_000 }, async () => {
  fake = await startFakeIdeogram();
  fake.slow(40);
  const databaseUrl = await createPostgresDatabase();
  const dataDir = tempDir();
  const env = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: REDIS_TEST_URL,
    AIO_QUEUE_PREFIX: `aio-test-${randomToken(8)}`,
    AIO_DATA_DIR: dataDir,
    IDEOGRAM_API_KEY: fake.apiKey,
    IDEOGRAM_BASE_URL: fake.url,
    AIO_LEASE_MS: '3000',
    AIO_SWEEP_MS: '1000',
    AIO_RETRY_BASE_MS: '50',
    AIO_RATE_LIMIT_PER_MINUTE: '0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
  };
  // The operator's view of the same database: make the account before anything runs.
  admin = await createPlatform(loadSettings({ ...env, REDIS_URL: '' }), { workers: false, logger: quietLogger() });
  const user = await admin.users.create({ email: 'cluster@example.com' });
  const initial = TASKS * PRICE;
  await admin.ledger.credit(user.id, initial, 'grant', 'cluster test');
  const { key } = await admin.keys.create(user.id, {});

  const gateways = await Promise.all([0, 1].map(async () => {
    const port = await freePort();
    children.push(startAio(['serve'], { ...env, PORT: String(port) }));
    return `http://127.0.0.1:${port}`;
  }));
  const workers = [startAio(['worker'], env), startAio(['worker'], env)];
  children.push(...workers);
  await Promise.all(gateways.map((url) => waitReady(url)));

  // Some upstream failures along the way: retried, and possibly refunded when they run out.
  fake.failNext(15, 500);

  const ids: string[] = [];
  let killed = false;
  const body = JSON.stringify({ model: 'ideogram-v4', prompt: 'A clean editorial poster reading "CLUSTER", bold typography', size: '1:1', output_format: 'png' });
  for (let batch = 0; batch < TASKS / 20; batch++) {
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        fetch(`${gateways[(batch + i) % 2]}/api/v1/images/generations`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body }),
      ),
    );
    for (const res of answers) {
      assert.equal(res.status, 202);
      ids.push(((await res.json()) as { id: string }).id);
    }
    if (!killed && ids.length >= TASKS / 3) {
      workers[0]!.kill('SIGKILL');
      killed = true;
    }
  }

  // Wait for every task to end.
  const deadline = Date.now() + 180_000;
  let open = Infinity;
  while (open > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
    const row = await admin.db.selectFrom('tasks').select((eb) => eb.fn.countAll<number>().as('n')).where('status', 'in', ['queued', 'running']).executeTakeFirstOrThrow();
    open = Number(row.n);
  }
  assert.equal(open, 0, 'no task is left queued or running');

  const tasks = await admin.db.selectFrom('tasks').selectAll().where('user_id', '=', user.id).execute();
  assert.equal(tasks.length, TASKS);
  const entries = await admin.db.selectFrom('ledger_entries').selectAll().where('user_id', '=', user.id).execute();
  const count = (taskId: string, kind: string) => entries.filter((e) => e.task_id === taskId && e.kind === kind).length;
  let succeeded = 0;
  for (const t of tasks) {
    assert.ok(t.status === 'succeeded' || t.status === 'failed', `${t.id} ended ${t.status}`);
    assert.equal(count(t.id, 'hold'), 1);
    if (t.status === 'succeeded') {
      succeeded++;
      assert.deepEqual([count(t.id, 'capture'), count(t.id, 'release'), t.charged], [1, 0, 1], t.id);
    } else {
      assert.deepEqual([count(t.id, 'capture'), count(t.id, 'release'), t.charged], [0, 1, 0], t.id);
      assert.ok(['upstream_unavailable', 'worker_lost'].includes(JSON.parse(t.error!).code), t.error!);
    }
  }
  assert.ok(succeeded >= TASKS - 15, `${succeeded} succeeded`);
  const { balance, reserved } = await admin.ledger.balances(user.id);
  assert.equal(reserved, 0);
  assert.equal(balance, initial - PRICE * succeeded);
  assert.deepEqual(await admin.ledger.sums(user.id), { amount: balance, reserved: 0 });

  // Images made by a worker are served by either gateway.
  const done = tasks.find((t) => t.status === 'succeeded')!;
  const image = await fetch(`${gateways[1]}${JSON.parse(done.output!).images[0].path}`);
  assert.equal(image.headers.get('content-type'), 'image/png');

  // Both gateways expose metrics, and the upstream saw only requests its contract accepts.
  const metrics = await (await fetch(`${gateways[0]}/metrics`)).text();
  assert.match(metrics, /aio_http_requests_total\{[^}]*route="\/api\/v1\/images\/generations"/);
  const seen = fake.apiRequests();
  assert.ok(seen.every((req) => req.path === '/v1/ideogram-v4/generate' && req.headers['api-key'] === fake.apiKey));
  const parsed = seen.filter((req) => req.fields);
  assert.ok(parsed.length >= succeeded);
  assert.ok(parsed.every((req) => req.fields!.resolution === '2048x2048' && req.fields!.rendering_speed === 'DEFAULT'));
});
