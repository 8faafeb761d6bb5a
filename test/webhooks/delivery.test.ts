// Webhook deliveries end to end: a loopback receiver (allowed by AIO_WEBHOOK_ALLOW_PRIVATE=1)
// gets each ending its endpoints asked for, and a task's own webhook_url gets its ending, signed
// so that the standardwebhooks package verifies them. Failed attempts are retried with the same
// id, redirects are not followed, and the dashboard lists deliveries and resends one.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import type { WebhookDelivery } from '../../src/services/webhooks/deliveries.js';
import { signUp, type Browser } from '../helpers/dashboard.js';
import { dbTargets, dropCreatedDatabases } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { startReceiver, type Received, type Receiver } from './receiver.js';

after(dropCreatedDatabases);

const verify = (secret: string, r: Received) => new Webhook(secret).verify(r.body, r.headers as Record<string, string>) as any;

for (const target of await dbTargets()) {
  describe(`webhook deliveries on ${target.name}`, { skip: target.skip }, () => {
    let server: TestServer;
    let receiver: Receiver;
    before(async () => {
      server = await startTestServer({ databaseUrl: await target.create(), env: { AIO_WEBHOOK_ALLOW_PRIVATE: '1', AIO_WEBHOOK_RETRY_BASE_MS: '20' } });
      receiver = await startReceiver();
    });
    after(async () => {
      await server?.close();
      await receiver?.close();
    });

    /** A signed-up dashboard user with a test key. */
    async function user(): Promise<{ browser: Browser; key: string }> {
      const browser = await signUp(server);
      const { key } = await server.platform.keys.create(browser.userId, { test: true });
      return { browser, key };
    }

    /** The task's deliveries once none is pending any more. */
    async function settled(taskId: string): Promise<WebhookDelivery[]> {
      const deadline = Date.now() + 20_000;
      for (;;) {
        const rows = await server.platform.db.selectFrom('webhook_deliveries').selectAll().where('task_id', '=', taskId).orderBy('created_at').execute();
        if ((rows.length && rows.every((r) => r.status !== 'pending')) || Date.now() > deadline) return rows;
        await new Promise((r) => setTimeout(r, 20));
      }
    }

    const endpoint = async (key: string, path: string, events?: string[]) => {
      const res = await server.api('POST', '/api/v1/webhook_endpoints', { key, body: { url: `${receiver.url}${path}`, ...(events ? { events } : {}) } });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body as { id: string; secret: string };
    };

    test('a succeeded task reaches the endpoint that wants it and its own webhook_url, verifiably signed', async () => {
      const { browser, key } = await user();
      const wants = await endpoint(key, '/succeeded', ['task.succeeded']);
      await endpoint(key, '/canceled-only', ['task.canceled']);
      const res = await server.api('POST', '/api/v1/images/generations', {
        key,
        body: { model: 'aio-poster', prompt: 'A poster reading "SIGNED"', webhook_url: `${receiver.url}/task-own` },
        headers: { prefer: 'wait' },
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.input.webhook_url, undefined, 'the webhook URL is not model input');
      await receiver.until((all) => ['/succeeded', '/task-own'].every((p) => all.some((r) => r.path === p && r.body.includes(res.body.id))));

      for (const path of ['/succeeded', '/task-own']) {
        const got = receiver.received.find((r) => r.path === path && r.body.includes(res.body.id))!;
        assert.equal(got.headers['content-type'], 'application/json');
        assert.match(String(got.headers['webhook-id']), /^msg_/);
        // The task's own URL is signed with the account's first endpoint's secret.
        const payload = verify(wants.secret, got);
        assert.equal(payload.type, 'task.succeeded');
        assert.equal(payload.data.object, 'task');
        assert.equal(payload.data.id, res.body.id);
        assert.equal(payload.data.status, 'succeeded');
        assert.equal(payload.data.output.images.length, 1);
        assert.throws(() => new Webhook(`whsec_${Buffer.alloc(32, 7).toString('base64')}`).verify(got.body, got.headers as Record<string, string>), /signature/i);
        assert.throws(() => verify(wants.secret, { ...got, body: got.body.replace('succeeded', 'failed') }), /signature/i, 'a changed body does not verify');
      }

      const rows = await settled(res.body.id);
      assert.deepEqual(rows.map((r) => [r.url.replace(receiver.url, ''), r.status, r.attempts, r.last_status_code]).sort(), [
        ['/succeeded', 'delivered', 1, 200],
        ['/task-own', 'delivered', 1, 200],
      ]);
      assert.equal(receiver.received.filter((r) => r.path === '/canceled-only').length, 0);

      // The dashboard lists them, and resends one with the same id.
      const listed = await browser.get(`/api/account/webhook_deliveries?task_id=${res.body.id}`);
      assert.equal(listed.status, 200);
      assert.equal(listed.body.data.length, 2);
      const first = listed.body.data.find((d: any) => d.url.endsWith('/succeeded'));
      assert.deepEqual([first.object, first.status, first.attempts, first.last_status_code, first.event_type, first.endpoint_id], ['webhook_delivery', 'delivered', 1, 200, 'task.succeeded', wants.id]);
      const before = receiver.received.filter((r) => r.headers['webhook-id'] === first.id).length;
      const resent = await browser.post(`/api/account/webhook_deliveries/${first.id}/resend`);
      assert.equal(resent.status, 200, resent.text);
      await receiver.until((all) => all.filter((r) => r.headers['webhook-id'] === first.id).length === before + 1);
      const again = receiver.received.filter((r) => r.headers['webhook-id'] === first.id).at(-1)!;
      assert.equal(verify(wants.secret, again).data.id, res.body.id);
      const stranger = await signUp(server);
      assert.equal((await stranger.post(`/api/account/webhook_deliveries/${first.id}/resend`)).status, 404);
    });

    test('a failing receiver is retried with the same id, and a redirect is not followed', async () => {
      const { key } = await user();
      const hook = await endpoint(key, '/flaky');
      receiver.answer('/flaky', 500, 302);
      // A queued task canceled: task.canceled.
      const { user: owner, key: record } = await server.platform.keys.authenticate(key);
      const model = server.platform.catalog.model('aio-poster')!;
      const task = await server.platform.tasks.create({ user: owner, key: record, type: 'image', model: model.id, input: { model: model.id }, price: { unit: 'image', rate: 'base', unit_price_micro: 0, quantity: 1 } });
      assert.equal((await server.api('POST', `/api/v1/tasks/${task.id}/cancel`, { key })).status, 200);

      await receiver.until((all) => all.filter((r) => r.path === '/flaky').length === 3);
      const attempts = receiver.received.filter((r) => r.path === '/flaky');
      assert.equal(new Set(attempts.map((r) => r.headers['webhook-id'])).size, 1, 'every attempt carries the same id');
      for (const a of attempts) assert.equal(verify(hook.secret, a).type, 'task.canceled');
      const [row] = await settled(task.id);
      assert.deepEqual([row!.status, row!.attempts, row!.last_status_code, row!.last_error], ['delivered', 3, 200, null]);
      assert.equal(receiver.received.filter((r) => r.path === '/redirected').length, 0, 'the redirect was not followed');
    });

    test('a failed task is delivered as task.failed with its error', async () => {
      const { key } = await user();
      const hook = await endpoint(key, '/failed', ['task.failed']);
      // The tool may not fetch a loopback image (AIO_ALLOW_PRIVATE_URLS is off), so the task fails.
      const res = await server.api('POST', '/api/v1/tools/runs', { key, body: { model: 'aio-upscale', image_url: 'http://127.0.0.1:1/in.png' }, headers: { prefer: 'wait' } });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.status, 'failed');
      await receiver.until((all) => all.some((r) => r.path === '/failed' && r.body.includes(res.body.id)));
      const payload = verify(hook.secret, receiver.received.find((r) => r.path === '/failed')!);
      assert.equal(payload.type, 'task.failed');
      assert.equal(payload.data.status, 'failed');
      assert.deepEqual(payload.data.error, res.body.error);
    });

    test('after a rotation both secrets sign for a day, so receivers can switch over', async () => {
      const { key } = await user();
      const hook = await endpoint(key, '/rotated', ['task.succeeded']);
      const rotated = (await server.api('POST', `/api/v1/webhook_endpoints/${hook.id}/rotate`, { key })).body;
      const res = await server.api('POST', '/api/v1/images/generations', { key, body: { model: 'aio-poster', prompt: 'A poster reading "ROTATE"' }, headers: { prefer: 'wait' } });
      await receiver.until((all) => all.some((r) => r.path === '/rotated' && r.body.includes(res.body.id)));
      const got = receiver.received.find((r) => r.path === '/rotated')!;
      assert.equal(verify(rotated.secret, got).data.id, res.body.id);
      assert.equal(verify(hook.secret, got).data.id, res.body.id);
      assert.equal(String(got.headers['webhook-signature']).split(' ').length, 2);
    });
  });
}
