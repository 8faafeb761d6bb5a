// Money through the task service on both databases: no overdraft under concurrency, each hold
// settled exactly once, and the balance always equal to the ledger's sum. The ledger itself
// (hold/settle, refusals, key limits, migration 003) is tested in ledger.test.ts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MICRO } from '../../src/lib/credits.js';
import type { PriceSnapshot } from '../../src/services/pricing.js';
import { dbTargets, dropCreatedDatabases } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

after(dropCreatedDatabases);

async function assertLedgerMatches(server: TestServer, userId: string) {
  const { balance, reserved } = await server.platform.ledger.balances(userId);
  const sums = await server.platform.ledger.sums(userId);
  assert.equal(sums.amount, balance, 'balance equals the sum of ledger amounts');
  assert.equal(sums.reserved, reserved, 'reserved equals the sum of ledger reserved deltas');
}

for (const target of await dbTargets()) {
  describe(`credits on ${target.name}`, { skip: target.skip }, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer({ databaseUrl: await target.create() });
    });
    after(() => server?.close());

    test('50 parallel aio-poster requests on 10 credits: exactly 10 accepted, balance ends at 0', async () => {
      const { key, userId } = await server.account({ credits: 10 });
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => server.api('POST', '/api/v1/images/generations', { key, body: { model: 'aio-poster', prompt: `poster ${i}` } })),
      );
      const accepted = results.filter((r) => r.status === 202);
      const refused = results.filter((r) => r.status === 402);
      assert.equal(accepted.length, 10);
      assert.equal(refused.length, 40);
      assert.ok(refused.every((r) => r.body.error.code === 'insufficient_credits'));
      assert.equal((await server.platform.ledger.balances(userId)).balance, 0);
      for (const r of accepted) assert.equal((await server.waitForTask(r.body.id, key)).status, 'succeeded');
      assert.deepEqual(await server.platform.ledger.balances(userId), { balance: 0, reserved: 0 });
      assert.equal((await server.platform.tasks.list(userId, { limit: 100 })).length, 10);
      await assertLedgerMatches(server, userId);
    });

    test('a task is captured once and released never, however often the transitions are replayed', async () => {
      const { platform } = server;
      const account = await server.account({ credits: 30 });
      const user = (await platform.users.findById(account.userId))!;
      const key = (await platform.keys.list(user.id))[0]!;
      const price: PriceSnapshot = { unit: 'image', rate: 'base', unit_price_micro: MICRO, quantity: 1 };
      const newTask = { user, key, type: 'image', model: 'aio-poster', price, input: { model: 'aio-poster', prompt: 'x' } };

      // Not yet running: success cannot be recorded.
      const a = await platform.tasks.create(newTask);
      assert.equal(await platform.tasks.succeed(a.id, { images: [] }), false);
      assert.ok(await platform.tasks.claim(a.id, 'test', 60_000));
      const outcomes = await Promise.all([
        platform.tasks.succeed(a.id, { images: [] }),
        platform.tasks.succeed(a.id, { images: [] }),
        platform.tasks.fail(a.id, { code: 'x', message: 'late failure' }),
      ]);
      assert.deepEqual(outcomes.filter(Boolean).length, 1);
      // Whichever transition won (PostgreSQL runs them truly at once), the money follows it.
      const aWon = (await platform.tasks.get(a.id))!.status;
      assert.equal(aWon, outcomes[2] ? 'failed' : 'succeeded');

      // Failed: released once, even when failure is reported several times.
      const b = await platform.tasks.create(newTask);
      await platform.tasks.claim(b.id, 'test', 60_000);
      const fails = await Promise.all([1, 2, 3].map(() => platform.tasks.fail(b.id, { code: 'upstream_unavailable', message: 'down' })));
      assert.equal(fails.filter(Boolean).length, 1);
      assert.equal(await platform.tasks.succeed(b.id, { images: [] }), false);

      const entries = await platform.ledger.list(user.id, { limit: 50 });
      const count = (taskId: string, kind: string) => entries.filter((e) => e.task_id === taskId && e.kind === kind).length;
      assert.deepEqual([count(a.id, 'hold'), count(a.id, 'capture'), count(a.id, 'release')], aWon === 'succeeded' ? [1, 1, 0] : [1, 0, 1]);
      assert.deepEqual([count(b.id, 'hold'), count(b.id, 'capture'), count(b.id, 'release')], [1, 0, 1]);
      assert.deepEqual(await platform.ledger.balances(user.id), { balance: (aWon === 'succeeded' ? 29 : 30) * MICRO, reserved: 0 });
      // The key's spend is what it captured: one credit if a succeeded.
      assert.equal((await platform.keys.list(user.id))[0]!.spent, aWon === 'succeeded' ? MICRO : 0);
      await assertLedgerMatches(server, user.id);
    });

    test('grants cannot take a balance below zero', async () => {
      const account = await server.account({ credits: 5 });
      await assert.rejects(server.platform.ledger.credit(account.userId, -6 * MICRO, 'adjustment'), /below zero/);
      await server.platform.ledger.credit(account.userId, -5 * MICRO, 'adjustment', 'clawback');
      assert.deepEqual(await server.platform.ledger.balances(account.userId), { balance: 0, reserved: 0 });
      await assertLedgerMatches(server, account.userId);
    });
  });
}
