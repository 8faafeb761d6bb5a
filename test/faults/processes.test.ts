// Process and infrastructure faults in distributed mode, for real: `aio serve` and `aio worker`
// processes on loopback sharing this machine's PostgreSQL and a Redis, tasks against a slow fake
// Ideogram. A worker killed mid-task, a gateway killed mid-request, every database connection
// terminated, Redis killed and started again empty. Every task must end (resumed, or failed and
// refunded), none charged twice, and each test ends with a clean audit.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { after, afterEach, test } from 'node:test';
import pg from 'pg';
import { Redis } from 'ioredis';
import { PG_ADMIN_URL, REDIS_TEST_URL, createPostgresDatabase, dbTargets, dropCreatedDatabases } from '../helpers/databases.js';
import { assertNothingLost, freePort, operatorPlatform, postGeneration, posterBody, startFaultRig, submitMany, waitForRunning, waitForTaskCount, type FaultRig } from './cluster.js';

async function redisSkip(url: string): Promise<string | undefined> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 2000 });
  try {
    await redis.connect();
    await redis.ping();
    return undefined;
  } catch (err) {
    const why = `Redis is not reachable at ${url} (${(err as Error).message})`;
    if (process.env.CI) throw new Error(`${why}. CI must run the fault tests.`);
    process.stderr.write(`\n!! ${why}: the distributed fault tests are SKIPPED.\n\n`);
    return why;
  } finally {
    redis.disconnect();
  }
}

async function redisUp(url: string): Promise<boolean> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 500, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

const skip = (await dbTargets()).find((t) => t.name === 'postgres')!.skip ?? (await redisSkip(REDIS_TEST_URL));

let rig: FaultRig | undefined;
let redisServer: ChildProcess | undefined;

afterEach(async () => {
  await rig?.close();
  rig = undefined;
});
after(async () => {
  redisServer?.kill('SIGKILL');
  await dropCreatedDatabases();
});

/** A fresh PostgreSQL database and queue prefix, a slow upstream, and an account that can pay for `tasks` tasks. */
async function setUp(tasks: number, opts: { redisUrl?: string; slowMs: number }): Promise<FaultRig> {
  rig = await startFaultRig({ databaseUrl: await createPostgresDatabase(), redisUrl: opts.redisUrl ?? REDIS_TEST_URL, tasks, slowMs: opts.slowMs });
  return rig;
}

test('a worker killed mid-task: its tasks are taken over by another worker after the lease, none lost or charged twice', { skip, timeout: 240_000 }, async (t) => {
  const r = await setUp(24, { slowMs: 4000 });
  const [gateway, first, second] = await Promise.all([r.spawn('serve'), r.spawn('worker'), r.spawn('worker', false)]);
  const answers = await submitMany(gateway.url, r.key, 24, 'worker kill');
  assert.deepEqual(answers.map((a) => a.status), Array(24).fill(202));
  // Only the first worker runs: whatever is running now is its.
  const running = await waitForRunning(r.operator, 4);
  const taken = await r.operator.db.selectFrom('tasks').select('id').where('status', '=', 'running').execute();
  await first!.kill();
  await second!.start();
  const result = await assertNothingLost(r, 24);
  const resumed = await r.operator.db.selectFrom('tasks').select(['id', 'status', 'attempts']).where('id', 'in', taken.map((x) => x.id)).execute();
  assert.ok(resumed.every((x) => x.status === 'succeeded' && x.attempts >= 2), `tasks the killed worker held were resumed: ${JSON.stringify(resumed)}`);
  t.diagnostic(`killed with ${running} running; ${result.succeeded} succeeded, ${result.failed} failed, ${result.retried} retried`);
});

test('a gateway killed mid-request: tasks it saved are queued by the sweep, the other gateway serves on, nothing stuck', { skip, timeout: 240_000 }, async (t) => {
  const r = await setUp(60, { slowMs: 300 });
  const [doomed, other] = await Promise.all([r.spawn('serve'), r.spawn('serve'), r.spawn('worker')]);
  const inFlight = submitMany(doomed!.url, r.key, 40, 'gateway kill');
  // Kill it as soon as the first of the 40 is answered: the rest are somewhere between arriving and being queued.
  await waitForTaskCount(r.operator, 0);
  await doomed!.kill();
  const answers = await inFlight;
  const accepted = answers.filter((a) => a.status === 202).length;
  const cut = answers.filter((a) => a.status === 0).length;
  assert.equal(accepted + cut, 40, `answers: ${JSON.stringify(answers.filter((a) => a.status !== 202 && a.status !== 0))}`);
  // The surviving gateway goes on serving, and the restarted one too.
  const more = await submitMany(other!.url, r.key, 10, 'after kill');
  assert.deepEqual(more.map((a) => a.status), Array(10).fill(202));
  await doomed!.start();
  const again = await submitMany(doomed!.url, r.key, 5, 'after restart');
  assert.deepEqual(again.map((a) => a.status), Array(5).fill(202));
  const saved = Number((await r.operator.db.selectFrom('tasks').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  assert.ok(saved >= accepted + 15, `${saved} tasks saved, ${accepted} of the first 40 answered 202`);
  const result = await assertNothingLost(r);
  t.diagnostic(`of 40 in flight: ${accepted} answered 202, ${cut} cut off; ${saved} tasks saved; ${result.succeeded} succeeded, ${result.failed} failed`);
});

test('every database connection terminated mid-run: the processes reconnect, tasks resume or fail and refund', { skip, timeout: 240_000 }, async (t) => {
  const r = await setUp(70, { slowMs: 1500 });
  const [gateway, worker] = await Promise.all([r.spawn('serve'), r.spawn('worker')]);
  const first = await submitMany(gateway!.url, r.key, 20, 'db drop');
  assert.deepEqual(first.map((a) => a.status), Array(20).fill(202));
  await waitForRunning(r.operator, 3);
  // The operator's own pool would lose its connections too: step out while they are cut.
  await r.operator.close();
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  let terminated = 0;
  // Requests keep coming while the connections are cut, so some die inside a transaction.
  const during = submitMany(gateway!.url, r.key, 20, 'during drop');
  try {
    for (let round = 0; round < 8; round++) {
      const res = await admin.query('SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [new URL(r.env.DATABASE_URL!).pathname.slice(1)]);
      terminated += res.rows.filter((x) => x.done).length;
      await new Promise((res2) => setTimeout(res2, 150));
    }
  } finally {
    await admin.end();
  }
  for (const a of await during) assert.ok([202, 500, 503].includes(a.status), `${a.status} ${JSON.stringify(a.body)}`);
  assert.ok(terminated >= 2, `${terminated} connections terminated`);
  r.operator = await operatorPlatform(r.env);
  assert.ok(gateway!.running && worker!.running, 'neither process died with its connections');
  // Requests right after the cut may meet a dead pooled connection; soon every one is served again.
  let served = 0;
  for (let i = 0; i < 40 && served < 10; i++) {
    const res = await postGeneration(gateway!.url, r.key, posterBody(`after drop ${i}`));
    assert.ok(res.status === 202 || res.status === 503 || res.status === 500, `${res.status} ${JSON.stringify(res.body)}`);
    if (res.status === 202) served++;
    else await new Promise((res2) => setTimeout(res2, 200));
  }
  assert.equal(served, 10, 'the gateway serves again');
  const result = await assertNothingLost(r);
  assert.ok(gateway!.running && worker!.running, 'both processes are still up');
  t.diagnostic(`${terminated} connections terminated; ${result.succeeded} succeeded, ${result.failed} failed, ${result.retried} retried`);
});

const noRedisServer = spawnSync('redis-server', ['--version']).status === 0 ? undefined : 'redis-server is not installed (a private one is started and killed)';

test('Redis killed and started again empty: lost jobs are queued again by the sweep, requests during the outage fail fast', { skip: skip ?? noRedisServer, timeout: 240_000 }, async (t) => {
  const port = await freePort();
  const startRedis = async () => {
    redisServer = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    for (let i = 0; i < 100; i++) {
      if (await redisUp(`redis://127.0.0.1:${port}`)) return;
      await new Promise((res) => setTimeout(res, 100));
    }
    throw new Error('redis-server did not start');
  };
  await startRedis();
  const r = await setUp(40, { redisUrl: `redis://127.0.0.1:${port}`, slowMs: 2000 });
  const [gateway, worker] = await Promise.all([r.spawn('serve'), r.spawn('worker')]);
  const before = await submitMany(gateway!.url, r.key, 20, 'before outage');
  assert.deepEqual(before.map((a) => a.status), Array(20).fill(202));
  await waitForRunning(r.operator, 3);

  const down = new Promise((res) => redisServer!.once('exit', res));
  redisServer!.kill('SIGKILL');
  await down;
  const during = await submitMany(gateway!.url, r.key, 5, 'during outage');
  for (const a of during) assert.ok(a.status === 202 || (a.status === 503 && typeof a.body.error?.code === 'string'), `${a.status} ${JSON.stringify(a.body)}`);
  await startRedis();

  await new Promise((res) => setTimeout(res, 1000));
  const afterRestart = await submitMany(gateway!.url, r.key, 5, 'after restart');
  assert.deepEqual(afterRestart.map((a) => a.status), Array(5).fill(202));
  const result = await assertNothingLost(r);
  assert.ok(gateway!.running && worker!.running, 'both processes are still up');
  t.diagnostic(`during the outage: ${during.map((a) => a.status).join(' ')}; ${result.succeeded} succeeded, ${result.failed} failed, ${result.retried} retried`);
});
