// Issue 10, finding 3: free test traffic must not starve paid work. Test-mode tasks have their own
// lane (`local-test`), so a paid aio-poster task never queues behind them; each account may have
// only so many test tasks queued or running; and generated files expire (test outputs after 24 h,
// live ones when the operator says), purged with the expired Idempotency-Keys.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import sharp from 'sharp';
import { loadSettings } from '../../src/config/settings.js';
import { RetentionPurge } from '../../src/services/retention.js';
import { expectError } from '../helpers/assert-error.js';
import { dbTargets, dropCreatedDatabases } from '../helpers/databases.js';
import { startTestServer } from '../helpers/server.js';
import { startGateway } from './gateway.js';

after(dropCreatedDatabases);

const POSTER = { model: 'aio-poster', prompt: 'A clean editorial poster reading "LANES", bold typography', size: '1:1', output_format: 'png' };
const GEN = '/api/v1/images/generations';
const HOUR = 3_600_000;

/** Uploads a small PNG as an input file with `key`. */
async function upload(url: string, key: string): Promise<{ id: string }> {
  const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#336699' } }).png().toBuffer();
  const form = new FormData();
  form.append('file', new Blob([png], { type: 'image/png' }), 'input.png');
  const res = await fetch(`${url}/api/v1/files`, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body: form });
  assert.equal(res.status, 201);
  return (await res.json()) as { id: string };
}

test('300 queued test tasks of one account do not delay a paid aio-poster task: it finishes while they are still queued', { timeout: 240_000 }, async () => {
  const server = await startTestServer({ env: { AIO_TEST_MODE_MAX_ACTIVE: '0' } });
  try {
    const free = await server.account({ test: true });
    const paid = await server.account({ credits: 5 });
    for (let sent = 0; sent < 300; sent += 50) {
      const answers = await Promise.all(Array.from({ length: 50 }, () => server.api('POST', GEN, { key: free.key, body: POSTER })));
      for (const a of answers) assert.equal(a.status, 202, JSON.stringify(a.body));
    }
    const res = await server.api('POST', GEN, { key: paid.key, body: POSTER, headers: { prefer: 'wait=60' } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.status, 'succeeded');
    assert.equal(res.body.livemode, true);
    // The moment the paid task is done, the free ones submitted before it are still waiting their
    // turn: it did not go through their queue. (In one shared lane, all of them had started first.)
    const waiting = await server.platform.db
      .selectFrom('tasks')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', free.userId)
      .where('status', '=', 'queued')
      .executeTakeFirstOrThrow();
    assert.ok(Number(waiting.n) > 0, `test tasks still queued when the paid one finished: ${waiting.n}`);
    const lanes = await server.platform.queue.depth();
    assert.ok((lanes['local-test'] ?? 0) > 0, `the test lane holds them: ${JSON.stringify(lanes)}`);
    assert.equal(lanes.local ?? 0, 0);
  } finally {
    await server.close();
  }
});

for (const target of await dbTargets()) {
  describe(`test-mode limits and retention on ${target.name}`, { skip: target.skip }, () => {
    test('an account may have 5 test tasks queued or running (AIO_TEST_MODE_MAX_ACTIVE=5): a burst of 30 gets exactly 5, the rest 429 test_mode_limit', async () => {
      assert.equal(loadSettings({}).testModeMaxActive, 20, 'the documented default');
      const gw = await startGateway({ databaseUrl: await target.create(), env: { AIO_TEST_MODE_MAX_ACTIVE: '5' } });
      try {
        const account = await gw.account({ test: true });
        const answers = await Promise.all(Array.from({ length: 30 }, () => gw.api('POST', GEN, { key: account.key, body: POSTER })));
        const accepted = answers.filter((a) => a.status === 202);
        assert.equal(accepted.length, 5, answers.map((a) => a.status).join(','));
        for (const a of answers.filter((x) => x.status !== 202)) {
          expectError(a, 429, 'test_mode_limit');
          assert.ok(Number(a.headers.get('retry-after')) > 0);
        }
        // Paid work of the same account, and other accounts' tests, are not held back.
        const live = await gw.account({ credits: 5, userId: account.userId });
        assert.equal((await gw.api('POST', GEN, { key: live.key, body: POSTER })).status, 202);
        const other = await gw.account({ test: true });
        assert.equal((await gw.api('POST', GEN, { key: other.key, body: POSTER })).status, 202);
        // A finished (here: canceled) test task frees its slot.
        assert.equal((await gw.api('POST', `/api/v1/tasks/${accepted[0]!.body.id}/cancel`, { key: account.key })).status, 200);
        assert.equal((await gw.api('POST', GEN, { key: account.key, body: POSTER })).status, 202);
        expectError(await gw.api('POST', GEN, { key: account.key, body: POSTER }), 429, 'test_mode_limit');
      } finally {
        await gw.close();
      }
    });

    test('the purge deletes expired outputs and uploads (test after 24 h, live only when AIO_RETENTION_DAYS is set), expired Idempotency-Keys and ended webhook deliveries after 30 days', async () => {
      const server = await startTestServer({ databaseUrl: await target.create() });
      const { platform } = server;
      try {
        const free = await server.account({ test: true });
        const paid = await server.account({ credits: 5 });
        const testTask = (await server.api('POST', GEN, { key: free.key, body: POSTER, headers: { prefer: 'wait=60', 'idempotency-key': 'purge-1' } })).body;
        const liveTask = (await server.api('POST', GEN, { key: paid.key, body: POSTER, headers: { prefer: 'wait=60' } })).body;
        assert.equal(testTask.status, 'succeeded');
        assert.equal(liveTask.status, 'succeeded');
        const fileOf = (task: any) => new URL(task.output.images[0].url).pathname;
        const fetchFile = async (p: string) => (await fetch(`${server.url}${p}`)).status;
        assert.equal(await fetchFile(fileOf(testTask)), 200);
        assert.equal(await fetchFile(fileOf(liveTask)), 200);

        const testUpload = await upload(server.url, free.key);
        const liveUpload = await upload(server.url, paid.key);
        const uploadStatus = async (id: string, key: string) => (await server.api('GET', `/api/v1/files/${id}/content`, { key })).status;
        assert.equal(await uploadStatus(testUpload.id, free.key), 200);
        for (const [status, id] of [['delivered', 'msg_old_ok'], ['failed', 'msg_old_failed'], ['pending', 'msg_old_pending']] as const)
          await platform.db.insertInto('webhook_deliveries').values({ id, user_id: paid.userId, endpoint_id: null, task_id: liveTask.id, event_type: 'task.succeeded', url: 'https://example.com/hook', payload: '{}', livemode: 1, status, attempts: 1, next_attempt_at: new Date().toISOString(), lease_until: null, last_status_code: null, last_error: null, created_at: new Date().toISOString(), delivered_at: null }).execute();
        const deliveries = async () => (await platform.db.selectFrom('webhook_deliveries').select('id').where('id', 'like', 'msg_old_%').orderBy('id').execute()).map((d) => d.id);

        const purge = (retentionDays: number) =>
          new RetentionPurge({ db: platform.db, storage: platform.storage, idempotency: platform.idempotency, policy: { testRetentionHours: 24, retentionDays, webhookRetentionDays: 30 }, log: platform.log });
        const none = { tasks: 0, files: 0, uploads: 0, idempotencyKeys: 0, webhookDeliveries: 0 };
        // Within a day nothing goes.
        assert.deepEqual(await purge(0).run(Date.now() + 23 * HOUR), none);
        // A day later: the test output, the test upload and the key are gone; the live ones are kept (no AIO_RETENTION_DAYS).
        assert.deepEqual(await purge(0).run(Date.now() + 25 * HOUR), { ...none, tasks: 1, files: 1, uploads: 1, idempotencyKeys: 1 });
        assert.equal(await fetchFile(fileOf(testTask)), 404);
        assert.equal(await uploadStatus(testUpload.id, free.key), 404);
        assert.equal(await uploadStatus(liveUpload.id, paid.key), 200);
        assert.equal(await fetchFile(fileOf(liveTask)), 200);
        const expired = (await server.api('GET', `/api/v1/tasks/${testTask.id}`, { key: free.key })).body;
        assert.equal(expired.status, 'succeeded');
        assert.equal(typeof expired.output_expired_at, 'string');
        assert.equal((await server.api('GET', `/api/v1/tasks/${liveTask.id}`, { key: paid.key })).body.output_expired_at, undefined);
        // The key was forgotten: the same key makes a new task now.
        const again = await server.api('POST', GEN, { key: free.key, body: POSTER, headers: { 'idempotency-key': 'purge-1' } });
        assert.equal(again.status, 202);
        assert.notEqual(again.body.id, testTask.id);
        assert.equal((await server.waitForTask(again.body.id, free.key)).status, 'succeeded');
        // With AIO_RETENTION_DAYS=1, live outputs go after a day too; a second run finds nothing more.
        assert.equal((await purge(1).run(Date.now() + 49 * HOUR)).tasks >= 1, true);
        assert.equal(await fetchFile(fileOf(liveTask)), 404);
        assert.equal(await uploadStatus(liveUpload.id, paid.key), 404);
        assert.equal((await purge(1).run(Date.now() + 49 * HOUR)).files, 0);
        // Ended webhook deliveries go after 30 days; a pending one stays whatever its age.
        assert.deepEqual(await deliveries(), ['msg_old_failed', 'msg_old_ok', 'msg_old_pending']);
        assert.equal((await purge(0).run(Date.now() + 29 * 24 * HOUR)).webhookDeliveries, 0);
        assert.equal((await purge(0).run(Date.now() + 31 * 24 * HOUR)).webhookDeliveries, 2);
        assert.deepEqual(await deliveries(), ['msg_old_pending']);
      } finally {
        await server.close();
      }
    });
  });
}
