// Issue 10, finding 2: an Idempotency-Key must not stay "in progress" after the request that
// claimed it died. Its marker is a lease the request renews; the key learns its task in the
// task's own transaction. After a kill -9 and a restart (embedded) or once the lease ran out
// (distributed), a retry is answered with the task the first request made, or goes through.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { loadSettings } from '../../src/config/settings.js';
import { MICRO } from '../../src/lib/credits.js';
import { createPlatform, type Platform } from '../../src/platform.js';
import { IdempotencyService } from '../../src/services/idempotency.js';
import { priceSnapshot } from '../../src/services/pricing.js';
import { dbTargets, dropCreatedDatabases, tempDir } from '../helpers/databases.js';
import { quietLogger } from '../helpers/server.js';
import { startFakeIdeogram } from '../fakes/ideogram-server.js';
import { killAll, startServe, until } from './processes.js';

after(async () => {
  killAll();
  await dropCreatedDatabases();
});

const BODY = { model: 'ideogram-v4', prompt: 'A clean editorial poster reading "CRASH", bold typography', size: '1:1', output_format: 'png' };

async function platformOn(databaseUrl: string, env: Record<string, string> = {}): Promise<Platform> {
  const settings = loadSettings({ AIO_DATA_DIR: tempDir(), DATABASE_URL: databaseUrl, ...env });
  return createPlatform(settings, { workers: false, logger: quietLogger() });
}

for (const target of await dbTargets()) {
  describe(`Idempotency-Key after a crash on ${target.name}`, { skip: target.skip }, () => {
    test('kill -9 mid-request, restart: the retry gets the task the first request made (not 409), charged once', { timeout: 120_000 }, async () => {
      const fake = await startFakeIdeogram();
      const databaseUrl = await target.create();
      const dataDir = tempDir();
      const admin = await platformOn(databaseUrl);
      try {
        const user = await admin.users.create({ email: `crash-${Date.now()}@example.com` });
        await admin.ledger.credit(user.id, 100 * MICRO, 'grant', 'test');
        const { key } = await admin.keys.create(user.id, {});
        const env = { DATABASE_URL: databaseUrl, AIO_DATA_DIR: dataDir, IDEOGRAM_API_KEY: fake.apiKey, IDEOGRAM_BASE_URL: fake.url, AIO_RATE_LIMIT_PER_MINUTE: '0' };
        const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'idempotency-key': 'crash-1' };

        // The upstream takes its time: the request (Prefer: wait) is in flight when the server dies.
        fake.slow(120_000);
        const first = await startServe(env);
        const inFlight = fetch(`${first.url}/api/v1/images/generations`, { method: 'POST', headers: { ...headers, prefer: 'wait=60' }, body: JSON.stringify(BODY) }).catch(
          (err: Error) => err,
        );
        const task = await until(
          () => admin.db.selectFrom('tasks').selectAll().where('user_id', '=', user.id).where('status', '=', 'running').executeTakeFirst(),
          'the task to be running upstream',
        );
        await first.crash();
        assert.ok((await inFlight) instanceof Error, 'the client lost its answer');

        fake.slow(0);
        const second = await startServe(env);
        const retry = await fetch(`${second.url}/api/v1/images/generations`, { method: 'POST', headers, body: JSON.stringify(BODY) });
        const body = (await retry.json()) as any;
        assert.ok(retry.status === 200 || retry.status === 202, `${retry.status} ${JSON.stringify(body)}`);
        assert.equal(body.id, task.id, 'the same task, not a second one');
        assert.equal(retry.headers.get('idempotent-replayed'), 'true');

        // The restarted server finishes that task; it is charged once, and the key keeps answering it.
        const done = await until(async () => {
          const row = await admin.tasks.get(task.id);
          return row && ['succeeded', 'failed'].includes(row.status) ? row : undefined;
        }, 'the task to end');
        assert.equal(done.status, 'succeeded');
        const tasks = await admin.db.selectFrom('tasks').select('id').where('user_id', '=', user.id).execute();
        assert.equal(tasks.length, 1);
        const captures = await admin.db.selectFrom('ledger_entries').selectAll().where('task_id', '=', task.id).where('kind', '=', 'capture').execute();
        assert.equal(captures.length, 1);
        const balances = await admin.ledger.balances(user.id);
        assert.equal(balances.balance, 88 * MICRO);
        assert.equal(balances.reserved, 0);
        const again = await fetch(`${second.url}/api/v1/images/generations`, { method: 'POST', headers, body: JSON.stringify(BODY) });
        assert.equal(((await again.json()) as any).id, task.id);
        await second.crash();
      } finally {
        await admin.close();
        await fake.close();
      }
    });

    test('distributed: once the owner stops renewing, its lease runs out and a retry gets its task', async () => {
      const platform = await platformOn(await target.create());
      try {
        const idem = new IdempotencyService(platform.db, 200);
        const user = await platform.users.create({ email: `lease-${Date.now()}@example.com` });
        const { record: key } = await platform.keys.create(user.id, { test: true });
        const model = platform.catalog.model('aio-poster')!;

        const begun = await idem.begin(user.id, 'k-task', { a: 1 });
        assert.equal(begun.kind, 'claimed');
        if (begun.kind !== 'claimed') return;
        const firstLease = (await row(platform, user.id, 'k-task')).locked_until!;
        // Alive: the owner keeps renewing its lease.
        await until(async () => (await row(platform, user.id, 'k-task')).locked_until! > firstLease, 'a renewal');
        const task = await platform.tasks.create({
          user,
          key,
          type: 'image',
          model: 'aio-poster',
          input: { prompt: 'x' },
          price: priceSnapshot(model, { quantity: 1 }),
          inTransaction: (trx, t) => begun.claim.link(trx, t.id),
        });
        assert.equal((await row(platform, user.id, 'k-task')).task_id, task.id, 'linked in the task’s transaction');

        // The owner dies: no renewal, no answer saved. Meanwhile a retry is told to wait...
        begun.claim.release();
        await assert.rejects(idem.begin(user.id, 'k-task', { a: 1 }), (err: any) => err.code === 'idempotency_request_in_progress' && Number(err.headers['retry-after']) >= 1);
        // ...and once the lease has run out, it is answered with the task.
        const answer = await until(() => idem.begin(user.id, 'k-task', { a: 1 }).catch(() => undefined), 'the lease to run out', 10_000);
        assert.deepEqual(answer, { kind: 'task', taskId: task.id });
        await assert.rejects(idem.begin(user.id, 'k-task', { a: 2 }), (err: any) => err.code === 'idempotency_key_reused');
      } finally {
        await platform.close();
      }
    });

    test('distributed: an owner that died before making a task frees the key for exactly one retry', async () => {
      const platform = await platformOn(await target.create());
      try {
        const idem = new IdempotencyService(platform.db, 200);
        const user = await platform.users.create({ email: `lease2-${Date.now()}@example.com` });
        const begun = await idem.begin(user.id, 'k-none', { b: 1 });
        assert.equal(begun.kind, 'claimed');
        if (begun.kind === 'claimed') begun.claim.release();
        await until(async () => (await row(platform, user.id, 'k-none')).locked_until! < new Date().toISOString(), 'the lease to run out', 10_000);
        // Two retries at once: one takes the key over, the other is told it is in progress.
        const results = await Promise.allSettled([idem.begin(user.id, 'k-none', { b: 1 }), idem.begin(user.id, 'k-none', { b: 1 })]);
        const claimed = results.filter((r) => r.status === 'fulfilled' && r.value.kind === 'claimed');
        const refused = results.filter((r) => r.status === 'rejected' && (r.reason as any).code === 'idempotency_request_in_progress');
        assert.equal(claimed.length, 1, JSON.stringify(results));
        assert.equal(refused.length, 1);
        for (const r of claimed) if (r.status === 'fulfilled' && r.value.kind === 'claimed') r.value.claim.release();
      } finally {
        await platform.close();
      }
    });

    test('embedded start drops the leases of requests that died with the previous process', async () => {
      const databaseUrl = await target.create();
      const dataDir = tempDir();
      const platform = await platformOn(databaseUrl, { AIO_DATA_DIR: dataDir });
      let restarted: Platform | undefined;
      try {
        const user = await platform.users.create({ email: `start-${Date.now()}@example.com` });
        const begun = await platform.idempotency.begin(user.id, 'k-start', { c: 1 });
        if (begun.kind === 'claimed') begun.claim.release();
        await assert.rejects(platform.idempotency.begin(user.id, 'k-start', { c: 1 }), (err: any) => err.code === 'idempotency_request_in_progress');
        // An embedded server (workers in-process, no Redis) starting on the same database.
        restarted = await createPlatform(loadSettings({ AIO_DATA_DIR: path.join(dataDir, 'b'), DATABASE_URL: databaseUrl }), { workers: true, logger: quietLogger() });
        const retry = await restarted.idempotency.begin(user.id, 'k-start', { c: 1 });
        assert.equal(retry.kind, 'claimed');
        if (retry.kind === 'claimed') retry.claim.release();
      } finally {
        await restarted?.close();
        await platform.close();
      }
    });
  });
}

function row(platform: Platform, userId: string, key: string) {
  return platform.db.selectFrom('idempotency_keys').selectAll().where('user_id', '=', userId).where('key', '=', key).executeTakeFirstOrThrow();
}
