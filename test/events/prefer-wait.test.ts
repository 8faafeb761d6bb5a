// `Prefer: wait` answers when the task's ending is announced, not on a polling tick: the wait
// must end through the announcement (the platform counts how each wait ended), and the task's
// stored history must hold each status change in order.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { dbTargets, dropCreatedDatabases } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

after(dropCreatedDatabases);

for (const target of await dbTargets()) {
  describe(`Prefer: wait on ${target.name}`, { skip: target.skip }, () => {
    let server: TestServer;
    let key: string;
    before(async () => {
      server = await startTestServer({ databaseUrl: await target.create() });
      ({ key } = await server.account({ test: true }));
    });
    after(() => server?.close());

    test('answers with the finished task, woken by the ending event (no re-check needed)', async () => {
      const before = { ...server.platform.events.waitEnds };
      const res = await server.api('POST', '/api/v1/images/generations', { key, body: { model: 'aio-poster', prompt: 'A poster reading "LIVE"' }, headers: { prefer: 'wait=30' } });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.status, 'succeeded');
      assert.ok(res.body.output.images[0].url);
      const ends = server.platform.events.waitEnds;
      assert.equal(ends.event, before.event + 1, 'the wait ended through the announcement');
      assert.equal(ends.recheck, before.recheck, 'not through the slow safety re-check');
      assert.equal(ends.deadline, before.deadline);

      const history = await server.platform.events.after(res.body.id, 0);
      assert.deepEqual(history.map((e) => [e.seq, e.type]), [[1, 'queued'], [2, 'running'], [3, 'succeeded']]);
      assert.equal(JSON.parse(history[1]!.data).node, res.body.node, 'the running event names the node');
    });

    test('a wait that runs out answers 202 with the task as it is', async () => {
      const { user, key: record } = await server.platform.keys.authenticate(key);
      const model = server.platform.catalog.model('aio-poster')!;
      // Made but never dispatched: it stays queued.
      const held = await server.platform.tasks.create({ user, key: record, type: 'image', model: model.id, input: { model: model.id }, price: { unit: 'image', rate: 'base', unit_price_micro: 0, quantity: 1 } });
      const before = server.platform.events.waitEnds.deadline;
      const task = await server.platform.waitForTask(held, 0.2);
      assert.equal(task.status, 'queued');
      assert.equal(server.platform.events.waitEnds.deadline, before + 1);
    });
  });
}
