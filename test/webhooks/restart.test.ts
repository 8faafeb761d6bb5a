// Deliveries are persisted: one that failed (its receiver was down) and was still waiting when the
// server stopped is delivered by the next server on the same database, with the same id; and a
// delivery whose worker died mid-attempt is taken again once its lease runs out.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import type { WebhookDelivery } from '../../src/services/webhooks/deliveries.js';
import { dbTargets, dropCreatedDatabases } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { closedPort, startReceiver } from './receiver.js';

after(dropCreatedDatabases);

const ENV = { AIO_WEBHOOK_ALLOW_PRIVATE: '1', AIO_WEBHOOK_RETRY_BASE_MS: '20' };

/** The task's delivery once `check` holds for it (the last seen one after 20 s, to fail on). */
async function deliveryOf(server: TestServer, taskId: string, check: (row: WebhookDelivery) => boolean): Promise<WebhookDelivery> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const row = await server.platform.db.selectFrom('webhook_deliveries').selectAll().where('task_id', '=', taskId).executeTakeFirst();
    if (row && (check(row) || Date.now() > deadline)) return row;
    if (Date.now() > deadline) assert.fail(`no delivery for ${taskId}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

for (const target of await dbTargets()) {
  describe(`webhook deliveries across restarts on ${target.name}`, { skip: target.skip }, () => {
    test('a delivery that failed before the server stopped is delivered after it starts again', async () => {
      const databaseUrl = await target.create();
      const port = await closedPort();
      const first = await startTestServer({ databaseUrl, env: ENV });
      const { key } = await first.account({ test: true });
      const hook = (await first.api('POST', '/api/v1/webhook_endpoints', { key, body: { url: `http://127.0.0.1:${port}/hook` } })).body;
      const res = await first.api('POST', '/api/v1/images/generations', { key, body: { model: 'aio-poster', prompt: 'A poster reading "LATER"' }, headers: { prefer: 'wait' } });
      assert.equal(res.body.status, 'succeeded');
      const failed = await deliveryOf(first, res.body.id, (row) => row.attempts >= 1 && row.last_error !== null);
      assert.equal(failed.status, 'pending');
      assert.match(failed.last_error ?? '', /Could not reach the receiver/);
      await first.close();

      // The receiver comes up while no server runs; the next server delivers.
      const receiver = await startReceiver(port);
      const second = await startTestServer({ databaseUrl, env: ENV });
      try {
        await receiver.until((all) => all.length >= 1);
        const got = receiver.received[0]!;
        assert.equal(got.headers['webhook-id'], failed.id, 'the same delivery, with the id it had');
        const payload = new Webhook(hook.secret).verify(got.body, got.headers as Record<string, string>) as any;
        assert.equal(payload.type, 'task.succeeded');
        assert.equal(payload.data.id, res.body.id);
        const done = await deliveryOf(second, res.body.id, (row) => row.status === 'delivered');
        assert.equal(done.status, 'delivered');
        assert.ok(done.attempts >= 2);
        assert.equal(done.last_status_code, 200);
      } finally {
        await second.close();
        await receiver.close();
      }
    });

    test('a delivery whose worker died mid-attempt is claimed again when its lease runs out', async () => {
      const server = await startTestServer({ databaseUrl: await target.create(), env: ENV });
      try {
        const { key } = await server.account({ test: true });
        const port = await closedPort();
        await server.api('POST', '/api/v1/webhook_endpoints', { key, body: { url: `http://127.0.0.1:${port}/hook` } });
        // Stop this server's own loop first, so the test plays the workers.
        await server.platform.webhooks.stop();
        const res = await server.api('POST', '/api/v1/images/generations', { key, body: { model: 'aio-poster', prompt: 'A poster reading "LEASE"' }, headers: { prefer: 'wait' } });
        const { deliveries } = server.platform.webhooks;
        const [taken] = await deliveries.claimDue(10, 50); // a worker takes it, then dies
        assert.equal(taken!.task_id, res.body.id);
        assert.deepEqual(await deliveries.claimDue(10, 50), [], 'leased: nobody else takes it');
        let again: Awaited<ReturnType<typeof deliveries.claimDue>> = [];
        const deadline = Date.now() + 10_000;
        while (again.length === 0 && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 20));
          again = await deliveries.claimDue(10, 60_000);
        }
        assert.equal(again[0]!.id, taken!.id);
        assert.equal(again[0]!.attempts, 2);
      } finally {
        await server.close();
      }
    });
  });
}
