// Issue 10, finding 7: test and live are separate worlds, as at Stripe. A test key of an account
// cannot read, list or cancel the account's live tasks, and a live key cannot touch its test
// tasks: to the other mode's key they do not exist (404 task_not_found, absent from lists).
// The tasks stay queued (no workers here), so a cancel that got through would show.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { expectError } from '../helpers/assert-error.js';
import { dbTargets, dropCreatedDatabases } from '../helpers/databases.js';
import { startGateway } from '../reliability/gateway.js';

after(dropCreatedDatabases);

const POSTER = { model: 'aio-poster', prompt: 'A clean editorial poster reading "MODES", bold typography', size: '1:1', output_format: 'png' };

for (const target of await dbTargets()) {
  describe(`test and live keys of one account on ${target.name}`, { skip: target.skip }, () => {
    test('each key reads, lists and cancels only the tasks of its own mode', async () => {
      const gw = await startGateway({ databaseUrl: await target.create() });
      try {
        const live = await gw.account({ credits: 10 });
        const testKey = await gw.account({ test: true, userId: live.userId });
        const made = { live: [] as string[], test: [] as string[] };
        for (let i = 0; i < 2; i++) {
          for (const [mode, key] of [['live', live.key], ['test', testKey.key]] as const) {
            const res = await gw.api('POST', '/api/v1/images/generations', { key, body: POSTER });
            assert.equal(res.status, 202, JSON.stringify(res.body));
            assert.equal(res.body.livemode, mode === 'live');
            made[mode].push(res.body.id);
          }
        }

        for (const [mine, theirs, key] of [
          ['live', 'test', live.key],
          ['test', 'live', testKey.key],
        ] as const) {
          // Its own tasks: visible.
          for (const id of made[mine]) assert.equal((await gw.api('GET', `/api/v1/tasks/${id}`, { key })).status, 200);
          const list = await gw.api('GET', '/api/v1/tasks?limit=100', { key });
          assert.equal(list.status, 200);
          assert.deepEqual(list.body.data.map((t: any) => t.id).sort(), [...made[mine]].sort(), `a ${mine} key lists only ${mine} tasks`);
          assert.ok(list.body.data.every((t: any) => t.livemode === (mine === 'live')));
          // The other mode's: as if they did not exist.
          for (const id of made[theirs]) {
            expectError(await gw.api('GET', `/api/v1/tasks/${id}`, { key }), 404, 'task_not_found', 'id');
            expectError(await gw.api('POST', `/api/v1/tasks/${id}/cancel`, { key }), 404, 'task_not_found', 'id');
            assert.equal((await gw.platform.tasks.get(id))!.status, 'queued', 'the cancel did nothing');
          }
          const filtered = await gw.api('GET', `/api/v1/tasks?limit=100&status=queued&starting_after=${encodeURIComponent('task_zzzzzzzzzzzzzzzzzzzzzzzzz')}`, { key });
          assert.ok(filtered.body.data.every((t: any) => made[mine].includes(t.id)));
        }
        // Its own mode's cancel still works, and refunds the live hold.
        assert.equal((await gw.api('POST', `/api/v1/tasks/${made.live[0]}/cancel`, { key: live.key })).body.status, 'canceled');
        assert.equal((await gw.api('POST', `/api/v1/tasks/${made.test[0]}/cancel`, { key: testKey.key })).body.status, 'canceled');
        assert.equal((await gw.platform.ledger.balances(live.userId)).reserved, 1_000_000, 'one live task still holds its credit');
      } finally {
        await gw.close();
      }
    });
  });
}
