// The ledger on both databases, in micro-credits: migration 003 of existing data, hold and settle
// with a partial capture, refusals that write nothing, key credit limits, and no overdraft however
// many holds race.
import assert from 'node:assert/strict';
import SQLite from '../../src/db/sqlite.mjs';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { after, before, describe, test } from 'node:test';
import { openDatabase, type Db } from '../../src/db/database.js';
import { migrateTo } from '../../src/db/migrate.js';
import { MICRO, fromCredits, parseCredits, toCredits } from '../../src/lib/credits.js';
import { nowIso } from '../../src/lib/time.js';
import { ApiKeyService } from '../../src/services/api-keys.js';
import { LedgerService, type HoldArgs } from '../../src/services/ledger.js';
import { UserService } from '../../src/services/users.js';
import { dbTargets, dropCreatedDatabases } from '../helpers/databases.js';

after(dropCreatedDatabases);

/** A database without migrations run, to build the schema of an older release. */
function bareDb(url: string, kind: 'sqlite' | 'postgres'): Kysely<any> {
  if (kind === 'postgres') return new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 2 }) }) });
  return new Kysely<any>({ dialect: new SqliteDialect({ database: new SQLite(url) }) });
}

test('credit amounts typed by people: decimals up to 6 places, nothing else', () => {
  assert.equal(parseCredits(1.5), 1_500_000);
  assert.equal(parseCredits('12.000001'), 12_000_001);
  assert.equal(parseCredits(-0.25), -250_000);
  assert.equal(parseCredits(0.1 + 0.2), undefined, '0.30000000000000004 has more than 6 decimals');
  for (const bad of [0.0000001, '1e3', 'abc', '', Number.NaN, Number.POSITIVE_INFINITY, null, true]) assert.equal(parseCredits(bad), undefined, String(bad));
  assert.equal(toCredits(fromCredits(12.5)), 12.5);
});

for (const target of await dbTargets()) {
  describe(`ledger on ${target.name}`, { skip: target.skip }, () => {
    test('migration 003 multiplies every amount by 1,000,000, renames the columns and fills key spend', async () => {
      const url = await target.create();
      const old = bareDb(url, target.name);
      try {
        await migrateTo(old, '002_dashboard');
        const at = nowIso();
        // 5000 credits is 5e9 micro-credits: more than a PostgreSQL integer holds.
        await old.insertInto('users').values({ id: 'usr_a', email: 'a@example.com', balance: 5000, reserved: 4, created_at: at }).execute();
        const key = (id: string, credit_limit: number | null, spent: number) => ({
          id, user_id: 'usr_a', name: id, prefix: 'aio_x', lookup: id, hash: `hash_${id}`, livemode: 1, created_at: at, credit_limit, spent,
        });
        // The limited key had its spend counted; the other one (old code) did not.
        await old.insertInto('api_keys').values([key('key_limited', 10, 3), key('key_free', null, 0)]).execute();
        const task = (id: string, api_key_id: string, status: string, cost_credits: number, charged = 0) => ({
          id, user_id: 'usr_a', api_key_id, type: 'image', model: 'aio-poster', status, input: '{}', cost_credits, charged, livemode: 1, created_at: at,
        });
        await old
          .insertInto('tasks')
          .values([task('task_q', 'key_limited', 'queued', 3), task('task_ok', 'key_free', 'succeeded', 2, 1), task('task_bad', 'key_free', 'failed', 4), task('task_run', 'key_free', 'running', 1)])
          .execute();
        const rows: Array<[kind: string, amount: number, reserved: number, task: string | null]> = [
          ['grant', 5006, 0, null],
          ['hold', -3, 3, 'task_q'],
          ['hold', -2, 2, 'task_ok'],
          ['hold', -4, 4, 'task_bad'],
          ['hold', -1, 1, 'task_run'],
          ['capture', 0, -2, 'task_ok'],
          ['release', 4, -4, 'task_bad'],
        ];
        let balance = 0;
        for (const [i, [kind, amount, reserved_delta, task_id]] of rows.entries()) {
          balance += amount;
          await old.insertInto('ledger_entries').values({ id: `le_${i}`, user_id: 'usr_a', kind, amount, reserved_delta, balance_after: balance, task_id, created_at: at }).execute();
        }
        assert.equal(balance, 5000);
        await old.insertInto('model_overrides').values({ model_id: 'aio-poster', enabled: null, price_credits: 7, updated_at: at }).execute();
        await old.insertInto('redemption_codes').values({ id: 'rc_1', code: 'AIO-AAAA-BBBB-CCCC', credits: 75, created_at: at }).execute();
        await old
          .insertInto('orders')
          .values({ id: 'ord_1', user_id: 'usr_a', pack_id: 'p', credits: 500, amount_cents: 500, currency: 'usd', status: 'paid', created_at: at, updated_at: at })
          .execute();

        await migrateTo(old);

        const user = await old.selectFrom('users').selectAll().where('id', '=', 'usr_a').executeTakeFirstOrThrow();
        assert.deepEqual([Number(user.balance), Number(user.reserved)], [5000 * MICRO, 4 * MICRO]);
        const entries = await old.selectFrom('ledger_entries').selectAll().orderBy('id').execute();
        assert.deepEqual(
          entries.map((e) => [e.kind, Number(e.amount), Number(e.reserved_delta), e.api_key_id]),
          [
            ['grant', 5006 * MICRO, 0, null],
            ['hold', -3 * MICRO, 3 * MICRO, 'key_limited'],
            ['hold', -2 * MICRO, 2 * MICRO, 'key_free'],
            ['hold', -4 * MICRO, 4 * MICRO, 'key_free'],
            ['hold', -1 * MICRO, 1 * MICRO, 'key_free'],
            ['capture', 0, -2 * MICRO, 'key_free'],
            ['release', 4 * MICRO, -4 * MICRO, 'key_free'],
          ],
        );
        assert.equal(Number(entries.at(-1)!.balance_after), 5000 * MICRO);

        const tasks = await old.selectFrom('tasks').selectAll().orderBy('id').execute();
        const byId = Object.fromEntries(tasks.map((t) => [t.id, t]));
        assert.ok(!('cost_credits' in tasks[0]!), 'cost_credits is renamed');
        assert.deepEqual(
          ['task_q', 'task_ok', 'task_bad', 'task_run'].map((id) => [Number(byId[id].hold_micro), Number(byId[id].charged_micro), byId[id].charged]),
          [[3 * MICRO, 0, 0], [2 * MICRO, 2 * MICRO, 1], [4 * MICRO, 0, 0], [1 * MICRO, 0, 0]],
        );
        assert.ok(tasks.every((t) => t.price === null && t.progress === null && t.cancel_requested_at === null));

        const keys = Object.fromEntries((await old.selectFrom('api_keys').selectAll().execute()).map((k) => [k.id, k]));
        assert.deepEqual([Number(keys.key_limited.credit_limit), Number(keys.key_limited.spent)], [10 * MICRO, 3 * MICRO]);
        // The unlimited key's spend comes from its ledger: 2 captured + 1 still held.
        assert.deepEqual([keys.key_free.credit_limit, Number(keys.key_free.spent)], [null, 3 * MICRO]);

        const override = await old.selectFrom('model_overrides').selectAll().executeTakeFirstOrThrow();
        assert.equal(Number(override.unit_price_micro), 7 * MICRO);
        assert.ok(!('price_credits' in override));
        assert.equal(Number((await old.selectFrom('redemption_codes').select('credits_micro').executeTakeFirstOrThrow()).credits_micro), 75 * MICRO);
        assert.equal(Number((await old.selectFrom('orders').select('credits_micro').executeTakeFirstOrThrow()).credits_micro), 500 * MICRO);

        if (target.name === 'postgres') {
          const types = await sql<{ table_name: string; column_name: string; data_type: string }>`
            SELECT table_name, column_name, data_type FROM information_schema.columns
            WHERE table_schema = 'public' AND column_name IN ('balance', 'reserved', 'amount', 'reserved_delta', 'balance_after', 'credit_limit', 'spent', 'hold_micro', 'charged_micro', 'unit_price_micro', 'credits_micro')
              AND table_name IN ('users', 'ledger_entries', 'api_keys', 'tasks', 'model_overrides', 'redemption_codes', 'orders')`.execute(old);
          assert.equal(types.rows.length, 12);
          assert.deepEqual(types.rows.filter((r) => r.data_type !== 'bigint'), []);
        }
      } finally {
        await old.destroy();
      }

      // The migrated data works with the ledger: the running task settles, partly captured.
      const { db, close } = await openDatabase(url);
      try {
        const ledger = new LedgerService(db);
        await db.transaction().execute((trx) => ledger.settle(trx, { userId: 'usr_a', taskId: 'task_run', keyId: 'key_free', held: MICRO, captured: 400_000 }));
        assert.deepEqual(await ledger.balances('usr_a'), { balance: 5000 * MICRO + 600_000, reserved: 3 * MICRO });
        assert.deepEqual(await ledger.sums('usr_a'), { amount: 5000 * MICRO + 600_000, reserved: 3 * MICRO });
        assert.equal(await ledger.keySpendFromLedger('key_free'), 2_400_000);
        assert.equal(await spentOf(db, 'key_free'), 2_400_000);
        assert.equal(await ledger.keySpendFromLedger('key_limited'), 3 * MICRO);
      } finally {
        await close();
      }
    });

    describe('holds and settles', () => {
      let db: Db;
      let close: () => Promise<void>;
      let ledger: LedgerService;
      let users: UserService;
      let keys: ApiKeyService;
      before(async () => {
        ({ db, close } = await openDatabase(await target.create()));
        ledger = new LedgerService(db);
        users = new UserService(db);
        keys = new ApiKeyService(db);
      });
      after(() => close?.());

      let n = 0;
      async function account(credits: number, keyLimitCredits: number | null = null) {
        const user = await users.create({ email: `ledger${++n}-${Date.now()}@example.com` });
        if (credits) await ledger.credit(user.id, fromCredits(credits), 'grant', 'test');
        const { record } = await keys.create(user.id, { creditLimit: keyLimitCredits === null ? null : fromCredits(keyLimitCredits) });
        return { userId: user.id, keyId: record.id };
      }

      /** A hold in its own transaction, rolled back on a refusal the way the task service does it. */
      async function hold(args: HoldArgs): Promise<string> {
        return db
          .transaction()
          .execute(async (trx) => {
            const result = await ledger.hold(trx, args);
            if (result !== 'ok') throw new Refused(result);
            return result;
          })
          .catch((err) => {
            if (err instanceof Refused) return err.message;
            throw err;
          });
      }

      async function assertConsistent(userId: string, keyId: string) {
        const { balance, reserved } = await ledger.balances(userId);
        assert.deepEqual(await ledger.sums(userId), { amount: balance, reserved }, 'balance = SUM(amount), reserved = SUM(reserved_delta)');
        assert.equal(await spentOf(db, keyId), await ledger.keySpendFromLedger(keyId), 'spent = what the ledger says the key captured and holds');
      }

      test('hold, then settle with a partial capture: balance, reserved, key spend and ledger rows', async () => {
        const { userId, keyId } = await account(10, 5);
        assert.equal(await hold({ userId, amount: 3_500_000, taskId: 'task_part', keyId }), 'ok');
        assert.deepEqual(await ledger.balances(userId), { balance: 6_500_000, reserved: 3_500_000 });
        assert.equal(await spentOf(db, keyId), 3_500_000);

        await db.transaction().execute((trx) => ledger.settle(trx, { userId, taskId: 'task_part', keyId, held: 3_500_000, captured: 1_250_000 }));
        assert.deepEqual(await ledger.balances(userId), { balance: 8_750_000, reserved: 0 });
        assert.equal(await spentOf(db, keyId), 1_250_000, 'the key keeps only what was captured');
        const rows = (await ledger.list(userId, { limit: 10 })).filter((e) => e.task_id === 'task_part');
        const shape = (kind: string) => rows.filter((e) => e.kind === kind).map((e) => [e.amount, e.reserved_delta, e.api_key_id]);
        assert.deepEqual(shape('hold'), [[-3_500_000, 3_500_000, keyId]]);
        assert.deepEqual(shape('capture'), [[0, -1_250_000, keyId]]);
        assert.deepEqual(shape('release'), [[2_250_000, -2_250_000, keyId]]);
        const after = (kind: string) => rows.find((e) => e.kind === kind)?.balance_after;
        assert.deepEqual([after('hold'), after('capture'), after('release')], [6_500_000, 6_500_000, 8_750_000], 'each row states the balance right after it');
        await assertConsistent(userId, keyId);

        // Up to the limit exactly, then one micro-credit more is refused.
        assert.equal(await hold({ userId, amount: 3_750_000, taskId: 'task_full', keyId }), 'ok');
        assert.equal(await hold({ userId, amount: 1, taskId: 'task_over', keyId }), 'key_credit_limit_reached');
        // Captured in full: a capture row and no release.
        await db.transaction().execute((trx) => ledger.settle(trx, { userId, taskId: 'task_full', keyId, held: 3_750_000, captured: 3_750_000 }));
        assert.equal(await spentOf(db, keyId), 5 * MICRO);
        const full = (await ledger.list(userId, { limit: 20 })).filter((e) => e.task_id === 'task_full').map((e) => e.kind).sort();
        assert.deepEqual(full, ['capture', 'hold']);
        assert.deepEqual(await ledger.balances(userId), { balance: 5 * MICRO, reserved: 0 });
        await assertConsistent(userId, keyId);
      });

      test('a failed task settles with nothing captured: only a release row, spend back to before', async () => {
        const { userId, keyId } = await account(2);
        assert.equal(await hold({ userId, amount: 1_500_000, taskId: 'task_fail', keyId }), 'ok');
        assert.equal(await spentOf(db, keyId), 1_500_000, 'keys without a limit have their spend tracked too');
        await db.transaction().execute((trx) => ledger.settle(trx, { userId, taskId: 'task_fail', keyId, held: 1_500_000, captured: 0 }));
        const kinds = (await ledger.list(userId, { limit: 10 })).filter((e) => e.task_id === 'task_fail').map((e) => e.kind).sort();
        assert.deepEqual(kinds, ['hold', 'release']);
        assert.deepEqual(await ledger.balances(userId), { balance: 2 * MICRO, reserved: 0 });
        assert.equal(await spentOf(db, keyId), 0);
        await assertConsistent(userId, keyId);
      });

      test('a refused hold writes nothing: not the balance, not the key spend, not a ledger row', async () => {
        const { userId, keyId } = await account(1, 100);
        const before = { balances: await ledger.balances(userId), rows: (await ledger.list(userId, { limit: 10 })).length };
        // The key allows it, the balance does not: the key's update is undone inside hold.
        await db.transaction().execute(async (trx) => {
          assert.equal(await ledger.hold(trx, { userId, amount: 1_000_001, taskId: 'task_poor', keyId }), 'insufficient_credits');
          assert.equal(await spentOf(trx, keyId), 0, 'nothing written even before the caller rolls back');
        });
        const limited = await account(50, 2);
        await db.transaction().execute(async (trx) => {
          assert.equal(await ledger.hold(trx, { userId: limited.userId, amount: 2 * MICRO + 1, taskId: 'task_limit', keyId: limited.keyId }), 'key_credit_limit_reached');
        });
        assert.deepEqual(await ledger.balances(userId), before.balances);
        assert.equal((await ledger.list(userId, { limit: 10 })).length, before.rows);
        assert.equal(await spentOf(db, keyId), 0);
        assert.deepEqual(await ledger.balances(limited.userId), { balance: 50 * MICRO, reserved: 0 });
        assert.equal(await spentOf(db, limited.keyId), 0);
        assert.equal((await ledger.list(limited.userId, { limit: 10, kind: 'hold' })).length, 0);
      });

      test('settle refuses what a program must never do, and changes nothing when it does', async () => {
        const { userId, keyId } = await account(5);
        assert.equal(await hold({ userId, amount: 2 * MICRO, taskId: 'task_twice', keyId }), 'ok');
        const settle = (captured: number, held = 2 * MICRO) => db.transaction().execute((trx) => ledger.settle(trx, { userId, taskId: 'task_twice', keyId, held, captured }));
        await assert.rejects(settle(3 * MICRO), /cannot capture/);
        await assert.rejects(settle(-1), /micro-credits/);
        await assert.rejects(settle(0.5), /micro-credits/);
        await settle(MICRO);
        // Settled already: nothing is reserved for it any more.
        await assert.rejects(settle(MICRO), /exceeds the reserved credits/);
        // Even with credits reserved by another task, (task_id, kind) is unique: a second capture
        // and a second release of the same task are refused by the database.
        assert.equal(await hold({ userId, amount: 2 * MICRO, taskId: 'task_other', keyId }), 'ok');
        await assert.rejects(settle(MICRO));
        await assert.rejects(settle(0));
        assert.deepEqual(await ledger.balances(userId), { balance: 2 * MICRO, reserved: 2 * MICRO });
        assert.equal(await spentOf(db, keyId), 3 * MICRO);
        await assertConsistent(userId, keyId);
        await assert.rejects(db.transaction().execute((trx) => ledger.hold(trx, { userId, amount: 1.5, taskId: 'task_frac', keyId })), /micro-credits/);
        await assert.rejects(ledger.credit(userId, 0.5, 'grant'), /whole number of micro-credits/);
        await assert.rejects(ledger.credit(userId, -2 * MICRO - 1, 'adjustment'), /below zero/);
      });

      test('50 parallel holds on 5 credits: exactly 5 succeed, the rest are refused and leave no trace', async () => {
        const { userId, keyId } = await account(5, 8);
        const results = await Promise.all(Array.from({ length: 50 }, (_, i) => hold({ userId, amount: MICRO, taskId: `task_race_${i}`, keyId })));
        assert.equal(results.filter((r) => r === 'ok').length, 5);
        assert.equal(results.filter((r) => r === 'insufficient_credits').length, 45);
        assert.deepEqual(await ledger.balances(userId), { balance: 0, reserved: 5 * MICRO });
        assert.equal(await spentOf(db, keyId), 5 * MICRO, 'refused holds gave their key spend back');
        assert.equal((await ledger.list(userId, { limit: 100, kind: 'hold' })).length, 5);
        await assertConsistent(userId, keyId);
      });

      test('50 parallel holds against a key limit of 7 credits: exactly 7 succeed', async () => {
        const { userId, keyId } = await account(10, 7);
        const results = await Promise.all(Array.from({ length: 50 }, (_, i) => hold({ userId, amount: MICRO, taskId: `task_lim_${i}`, keyId })));
        assert.equal(results.filter((r) => r === 'ok').length, 7);
        assert.equal(results.filter((r) => r === 'key_credit_limit_reached').length, 43);
        assert.deepEqual(await ledger.balances(userId), { balance: 3 * MICRO, reserved: 7 * MICRO });
        assert.equal(await spentOf(db, keyId), 7 * MICRO);
        // Settling them all (half captured) while more holds race: no deadlock, the limit holds,
        // and the sums still agree.
        const held = results.flatMap((r, i) => (r === 'ok' ? [`task_lim_${i}`] : []));
        const outcome = await Promise.all([
          ...held.map((taskId) => db.transaction().execute((trx) => ledger.settle(trx, { userId, taskId, keyId, held: MICRO, captured: 500_000 })).then(() => 'settled')),
          ...Array.from({ length: 10 }, (_, i) => hold({ userId, amount: MICRO, taskId: `task_more_${i}`, keyId })),
        ]);
        const more = outcome.slice(held.length).filter((r) => r === 'ok').length;
        assert.ok(more >= 0 && more <= 3, `3 credits were freed at most, ${more} holds took them`);
        await assertConsistent(userId, keyId);
        assert.equal(await spentOf(db, keyId), 3_500_000 + more * MICRO);
        assert.ok(3_500_000 + more * MICRO <= 7 * MICRO);
      });
    });
  });
}

class Refused extends Error {}

async function spentOf(db: Kysely<any>, keyId: string): Promise<number> {
  return Number((await db.selectFrom('api_keys').select('spent').where('id', '=', keyId).executeTakeFirstOrThrow()).spent);
}
