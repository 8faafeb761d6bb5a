// Operator routes over real HTTP, on SQLite and PostgreSQL: admin-only access, credit grants,
// disabling accounts, redemption codes (once only, even when raced), model overrides applied to
// the public API at once and picked up by other gateways, node health, all tasks.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadSettings } from '../../src/config/settings.js';
import { MICRO, fromCredits } from '../../src/lib/credits.js';
import { createPlatform } from '../../src/platform.js';
import { dbTargets, dropCreatedDatabases, tempDir } from '../helpers/databases.js';
import { Browser, PASSWORD, signInAdmin, signUp } from '../helpers/dashboard.js';
import { quietLogger, startTestServer, type TestServer } from '../helpers/server.js';
import { expectError } from '../helpers/assert-error.js';

after(dropCreatedDatabases);

const GEN = '/api/v1/images/generations';


for (const target of await dbTargets()) {
  describe(`dashboard admin on ${target.name}`, { skip: target.skip }, () => {
    let server: TestServer;
    let databaseUrl: string;
    let admin: Awaited<ReturnType<typeof signInAdmin>>;
    before(async () => {
      databaseUrl = await target.create();
      server = await startTestServer({ databaseUrl, env: { AIO_OVERRIDES_REFRESH_MS: '100' } });
      admin = await signInAdmin(server);
    });
    after(() => server?.close());

    test('admin routes refuse normal users with 403 admin_only, and nobody signed in with 401', async () => {
      const user = await signUp(server);
      const routes: Array<[string, string, unknown?]> = [
        ['GET', '/api/admin/users'],
        ['POST', `/api/admin/users/${user.userId}/grant`, { amount: 1000, note: 'self-service' }],
        ['POST', `/api/admin/users/${user.userId}/disable`, { disabled: true }],
        ['POST', '/api/admin/redemption-codes', { count: 1, credits: 1000 }],
        ['GET', '/api/admin/redemption-codes'],
        ['GET', '/api/admin/models'],
        ['PATCH', '/api/admin/models/aio-poster', { price_credits: 0 }],
        ['GET', '/api/admin/nodes'],
        ['GET', '/api/admin/tasks'],
      ];
      for (const [method, route, body] of routes) {
        expectError(await user.call(method, route, { body }), 403, 'admin_only');
        expectError(await new Browser(server.url).call(method, route, { body }), 401, 'not_signed_in');
      }
      assert.equal((await server.platform.ledger.balances(user.userId)).balance, 0);
      assert.equal((await admin.get('/api/admin/redemption-codes')).body.data.length, 0);
    });

    test('admin routes check CSRF too', async () => {
      const user = await signUp(server);
      expectError(await admin.post(`/api/admin/users/${user.userId}/grant`, { amount: 5, note: 'x' }, { csrf: false }), 403, 'csrf_failed');
      expectError(await admin.post(`/api/admin/users/${user.userId}/grant`, { amount: 5, note: 'x' }, { origin: 'https://evil.example' }), 403, 'csrf_failed');
      assert.equal((await server.platform.ledger.balances(user.userId)).balance, 0);
    });

    test('users list: search by email, paginate', async () => {
      const tag = `findme${Date.now()}`;
      for (let i = 0; i < 3; i++) await signUp(server, `${tag}-${i}@example.com`);
      const page = await admin.get(`/api/admin/users?q=${tag.toUpperCase()}&limit=2`);
      assert.equal(page.status, 200);
      assert.equal(page.body.data.length, 2);
      assert.equal(page.body.has_more, true);
      assert.deepEqual(Object.keys(page.body.data[0]).sort(), ['balance', 'created_at', 'disabled', 'email', 'id', 'is_admin', 'reserved']);
      const rest = await admin.get(`/api/admin/users?q=${tag}&starting_after=${page.body.data[1].id}`);
      assert.equal(rest.body.data.length, 1);
      assert.equal(rest.body.has_more, false);
      // LIKE wildcards in q are taken literally.
      assert.equal((await admin.get('/api/admin/users?q=%25')).body.data.length, 0);
      assert.equal((await admin.get('/api/admin/users?q=_')).body.data.length, 0);
    });

    test("a grant with a note lands in the user's ledger; a negative one cannot overdraw", async () => {
      const user = await signUp(server);
      const res = await admin.post(`/api/admin/users/${user.userId}/grant`, { amount: 250.75, note: 'Welcome credits' });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.balance, 250.75);
      assert.equal((await server.platform.ledger.balances(user.userId)).balance, 250_750_000);
      assert.equal(res.body.entry.kind, 'grant');
      assert.equal(res.body.entry.note, 'Welcome credits');
      const ledger = (await user.get('/api/account/ledger')).body.data;
      assert.equal(ledger[0].id, res.body.entry.id);
      assert.equal(ledger[0].note, 'Welcome credits');
      assert.equal(ledger[0].amount, 250.75);

      const minus = await admin.post(`/api/admin/users/${user.userId}/grant`, { amount: -50.75, note: 'refund reversed' });
      assert.equal(minus.body.balance, 200);
      assert.equal(minus.body.entry.kind, 'adjustment');
      expectError(await admin.post(`/api/admin/users/${user.userId}/grant`, { amount: -500, note: 'too much' }), 400, 'insufficient_credits');
      expectError(await admin.post(`/api/admin/users/${user.userId}/grant`, { amount: 0, note: 'zero' }), 400, 'invalid_parameter', 'amount');
      expectError(await admin.post(`/api/admin/users/${user.userId}/grant`, { amount: 1.0000001, note: 'too fine' }), 400, 'invalid_parameter', 'amount');
      expectError(await admin.post(`/api/admin/users/${user.userId}/grant`, { amount: '5', note: 'text' }), 400, 'invalid_parameter', 'amount');
      expectError(await admin.post(`/api/admin/users/${user.userId}/grant`, { amount: 2_000_000_000, note: 'too much' }), 400, 'invalid_parameter', 'amount');
      expectError(await admin.post(`/api/admin/users/${user.userId}/grant`, { amount: 5 }), 400, 'missing_parameter', 'note');
      expectError(await admin.post('/api/admin/users/usr_nobody/grant', { amount: 5, note: 'x' }), 404, 'user_not_found');
      assert.equal((await user.get('/api/account')).body.balance, 200);
    });

    test('disabling a user refuses their sessions, their login and their API keys; enabling restores them', async () => {
      const user = await signUp(server);
      await server.platform.ledger.credit(user.userId, fromCredits(10), 'grant', 'test');
      const { body: key } = await user.post('/api/account/keys', { test: true });
      const off = await admin.post(`/api/admin/users/${user.userId}/disable`, { disabled: true });
      assert.equal(off.status, 200, off.text);
      assert.equal(off.body.disabled, true);
      expectError(await user.get('/api/account'), 403, 'account_disabled');
      expectError(await user.get('/api/auth/session'), 403, 'account_disabled');
      expectError(await user.post('/api/account/keys', {}), 403, 'account_disabled');
      expectError(await new Browser(server.url).post('/api/auth/login', { email: user.email, password: PASSWORD }), 403, 'account_disabled');
      expectError(await server.api('POST', GEN, { key: key.key, body: { model: 'aio-poster', prompt: 'x' } }), 403, 'account_disabled');
      assert.equal((await admin.get(`/api/admin/users?q=${encodeURIComponent(user.email)}`)).body.data[0].disabled, true);

      const on = await admin.post(`/api/admin/users/${user.userId}/disable`, { disabled: false });
      assert.equal(on.body.disabled, false);
      assert.equal((await user.get('/api/account')).status, 200);
      assert.equal((await server.api('POST', GEN, { key: key.key, body: { model: 'aio-poster', prompt: 'x' } })).status, 202);

      expectError(await admin.post(`/api/admin/users/${admin.userId}/disable`, { disabled: true }), 400, 'cannot_disable_self');
      expectError(await admin.post(`/api/admin/users/${user.userId}/disable`, {}), 400, 'missing_parameter', 'disabled');
      expectError(await admin.post('/api/admin/users/usr_nobody/disable', { disabled: true }), 404, 'user_not_found');
    });

    test('redemption codes: made in bulk, redeemed exactly once, listed and exported as CSV', async () => {
      const made = await admin.post('/api/admin/redemption-codes', { count: 3, credits: 75, note: 'Launch, "week" 1' });
      assert.equal(made.status, 201, made.text);
      assert.equal(made.body.data.length, 3);
      for (const c of made.body.data) {
        assert.match(c.code, /^AIO-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
        assert.equal(c.credits, 75);
        assert.equal(c.note, 'Launch, "week" 1');
      }
      assert.equal(new Set(made.body.data.map((c: any) => c.code)).size, 3);

      const user = await signUp(server);
      const [first, second] = made.body.data;
      // Forgiving input: lower case, spaces, no dashes.
      const loose = ` ${first.code.toLowerCase().replace(/-/g, ' ')} `;
      const redeemed = await user.post('/api/account/redeem', { code: loose });
      assert.equal(redeemed.status, 200, redeemed.text);
      assert.deepEqual(redeemed.body, { credits: 75, balance: 75 });
      expectError(await user.post('/api/account/redeem', { code: first.code }), 409, 'code_already_redeemed');
      const other = await signUp(server);
      expectError(await other.post('/api/account/redeem', { code: first.code }), 409, 'code_already_redeemed');
      expectError(await user.post('/api/account/redeem', { code: 'AIO-0000-0000-0000' }), 404, 'code_not_found');
      expectError(await user.post('/api/account/redeem', { code: 'hello' }), 404, 'code_not_found');
      const ledger = (await user.get('/api/account/ledger?kind=redeem')).body.data;
      assert.equal(ledger.length, 1);
      assert.equal(ledger[0].amount, 75);
      assert.ok(ledger[0].note.includes(first.code));

      const list = await admin.get('/api/admin/redemption-codes');
      const row = list.body.data.find((c: any) => c.code === first.code);
      assert.equal(row.redeemed_by, user.userId);
      assert.equal(row.redeemed_by_email, user.email);
      assert.ok(row.redeemed_at);
      assert.equal(list.body.data.find((c: any) => c.code === second.code).redeemed_at, null);
      const page = await admin.get('/api/admin/redemption-codes?limit=2');
      assert.equal(page.body.data.length, 2);
      assert.equal(page.body.has_more, true);
      const next = await admin.get(`/api/admin/redemption-codes?limit=2&starting_after=${page.body.data[1].id}`);
      assert.ok(next.body.data.length >= 1);
      assert.ok(!next.body.data.some((c: any) => page.body.data.some((p: any) => p.id === c.id)));
      assert.ok((await admin.get('/api/admin/redemption-codes?redeemed=true')).body.data.every((c: any) => c.redeemed_at));
      assert.ok((await admin.get('/api/admin/redemption-codes?redeemed=false')).body.data.every((c: any) => !c.redeemed_at));

      const csv = await admin.get('/api/admin/redemption-codes?format=csv');
      assert.equal(csv.status, 200);
      assert.match(csv.headers.get('content-type')!, /^text\/csv/);
      assert.match(csv.headers.get('content-disposition')!, /^attachment; filename="redemption-codes-\d{4}-\d{2}-\d{2}\.csv"$/);
      const lines = csv.text.trim().split('\r\n');
      assert.equal(lines[0], 'code,credits,note,created_at,redeemed_by,redeemed_by_email,redeemed_at,expires_at,voided_at,status');
      const firstLine = lines.find((l) => l.startsWith(first.code))!;
      assert.ok(firstLine.startsWith(`${first.code},75,"Launch, ""week"" 1",`), firstLine);
      assert.ok(firstLine.includes(`,${user.userId},${user.email},`));
      assert.ok(lines.some((l) => l.startsWith(second.code) && l.endsWith(',,,,,active')));

      expectError(await admin.post('/api/admin/redemption-codes', { count: 1001, credits: 5 }), 400, 'invalid_parameter', 'count');
      expectError(await admin.post('/api/admin/redemption-codes', { count: 1, credits: 0 }), 400, 'invalid_parameter', 'credits');
      expectError(await admin.post('/api/admin/redemption-codes', { count: 1, credits: 0.0000001 }), 400, 'invalid_parameter', 'credits');
      expectError(await admin.post('/api/admin/redemption-codes', { count: 1, credits: 10_000_001 }), 400, 'invalid_parameter', 'credits');

      // A code may be worth part of a credit.
      const [half] = (await admin.post('/api/admin/redemption-codes', { count: 1, credits: 0.5 })).body.data;
      assert.equal(half.credits, 0.5);
      assert.deepEqual((await user.post('/api/account/redeem', { code: half.code })).body, { credits: 0.5, balance: 75.5 });
    });

    test('10 concurrent redemptions of one code credit it once', async () => {
      const [code] = (await admin.post('/api/admin/redemption-codes', { count: 1, credits: 40 })).body.data;
      const users = await Promise.all(Array.from({ length: 5 }, () => signUp(server)));
      const attempts = await Promise.all(Array.from({ length: 10 }, (_, i) => users[i % 5]!.post('/api/account/redeem', { code: code.code })));
      const ok = attempts.filter((r) => r.status === 200);
      assert.equal(ok.length, 1, JSON.stringify(attempts.map((r) => r.status)));
      assert.ok(attempts.filter((r) => r.status !== 200).every((r) => r.status === 409 && r.body.error.code === 'code_already_redeemed'));
      const balances = await Promise.all(users.map((u) => server.platform.ledger.balances(u.userId)));
      assert.equal(balances.reduce((sum, b) => sum + b.balance, 0), 40 * MICRO);
      const entries = await server.platform.db.selectFrom('ledger_entries').selectAll().where('kind', '=', 'redeem').where('note', 'like', `%${code.code}%`).execute();
      assert.equal(entries.length, 1);
    });

    test('too many redemptions of codes that do not exist are throttled', async () => {
      const user = await signUp(server);
      for (let i = 0; i < 10; i++) expectError(await user.post('/api/account/redeem', { code: `AIO-ZZZZ-ZZZZ-${String(i).padStart(4, '0')}` }), 404, 'code_not_found');
      const res = await user.post('/api/account/redeem', { code: 'AIO-ZZZZ-ZZZZ-ZZZZ' });
      expectError(res, 429, 'too_many_attempts');
      assert.ok(Number(res.headers.get('retry-after')) > 0);
    });

    test('model overrides: disabling hides a model and refuses generation; a new price applies to new tasks', async () => {
      const user = await signUp(server);
      await server.platform.ledger.credit(user.userId, fromCredits(100), 'grant', 'test');
      const { body: key } = await user.post('/api/account/keys', {});

      const models = await admin.get('/api/admin/models');
      assert.equal(models.status, 200);
      const poster = models.body.data.find((m: any) => m.id === 'aio-poster');
      assert.equal(poster.enabled, true);
      assert.equal(poster.price.credits, 1);
      assert.equal(poster.override, null);
      assert.deepEqual(poster.catalog_file, { enabled: true, credits: 1 });

      try {
        const off = await admin.patch('/api/admin/models/aio-poster', { enabled: false });
        assert.equal(off.status, 200, off.text);
        assert.equal(off.body.enabled, false);
        assert.equal(off.body.override.enabled, false);
        assert.ok(!(await server.api('GET', '/api/v1/models')).body.data.some((m: any) => m.id === 'aio-poster'));
        expectError(await server.api('GET', '/api/v1/models/aio-poster'), 404, 'model_not_found');
        expectError(await server.api('POST', GEN, { key: key.key, body: { model: 'aio-poster', prompt: 'x' } }), 400, 'model_disabled', 'model');
        assert.ok((await admin.get('/api/admin/models')).body.data.some((m: any) => m.id === 'aio-poster' && m.enabled === false), 'admins still see it');

        const repriced = await admin.patch('/api/admin/models/aio-poster', { enabled: true, price_credits: 7 });
        assert.equal(repriced.body.enabled, true);
        assert.equal(repriced.body.price.credits, 7);
        assert.equal((await server.api('GET', '/api/v1/models/aio-poster')).body.price.credits, 7);
        const task = await server.api('POST', GEN, { key: key.key, body: { model: 'aio-poster', prompt: 'pricier' } });
        assert.equal(task.status, 202, JSON.stringify(task.body));
        assert.equal(task.body.cost.credits, 7);
        assert.equal((await server.waitForTask(task.body.id, key.key)).status, 'succeeded');
        assert.equal((await server.platform.ledger.balances(user.userId)).balance, 93 * MICRO);

        // Only the price is left overridden: sending enabled null goes back to the file's value.
        const partly = await admin.patch('/api/admin/models/aio-poster', { enabled: null });
        assert.deepEqual({ enabled: partly.body.override.enabled, price: partly.body.override.price_credits }, { enabled: null, price: 7 });

        // A unit price may be a fraction of a credit; it is kept in micro-credits.
        const fine = await admin.patch('/api/admin/models/aio-poster', { price_credits: 0.125 });
        assert.equal(fine.status, 200, fine.text);
        assert.equal(fine.body.override.price_credits, 0.125);
        assert.equal(fine.body.price.credits, 0.125);
        assert.equal(server.platform.overrides.get('aio-poster')!.unit_price_micro, 125_000);

        expectError(await admin.patch('/api/admin/models/aio-poster', { price_credits: -1 }), 400, 'invalid_parameter', 'price_credits');
        expectError(await admin.patch('/api/admin/models/aio-poster', { price_credits: 0.1234567 }), 400, 'invalid_parameter', 'price_credits');
        expectError(await admin.patch('/api/admin/models/aio-poster', { price_credits: '7' }), 400, 'invalid_parameter', 'price_credits');
        expectError(await admin.patch('/api/admin/models/aio-poster', { enabled: 'no' }), 400, 'invalid_parameter', 'enabled');
        expectError(await admin.patch('/api/admin/models/nope-1', { enabled: false }), 404, 'model_not_found');
      } finally {
        const back = await admin.patch('/api/admin/models/aio-poster', { enabled: null, price_credits: null });
        assert.equal(back.body.price.credits, 1);
        assert.equal(back.body.enabled, true);
      }
    });

    test('another gateway on the same database picks up an override within its refresh interval', async () => {
      const dataDir = tempDir();
      const other = await createPlatform(loadSettings({ AIO_DATA_DIR: dataDir, DATABASE_URL: databaseUrl, AIO_OVERRIDES_REFRESH_MS: '100' }), {
        logger: quietLogger(),
      });
      try {
        assert.equal(other.catalog.model('aio-poster')!.price.credits, 1);
        await admin.patch('/api/admin/models/aio-poster', { price_credits: 3 });
        const deadline = Date.now() + 5000;
        while (other.catalog.model('aio-poster')!.price.credits !== 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        assert.equal(other.catalog.model('aio-poster')!.price.credits, 3);
        // A platform that starts later applies it from the start.
        const late = await createPlatform(loadSettings({ AIO_DATA_DIR: path.join(dataDir, 'late'), DATABASE_URL: databaseUrl }), { logger: quietLogger() });
        try {
          assert.equal(late.catalog.model('aio-poster')!.price.credits, 3);
        } finally {
          await late.close();
        }
      } finally {
        await admin.patch('/api/admin/models/aio-poster', { price_credits: null });
        await other.close();
      }
    });

    test('nodes: health of every node with its queue depth', async () => {
      const res = await admin.get('/api/admin/nodes');
      assert.equal(res.status, 200);
      const local = res.body.data.find((n: any) => n.id === 'local');
      assert.ok(local);
      assert.equal(local.queue_depth, 0);
      assert.equal(local.state, 'closed');
      assert.equal(typeof local.in_flight, 'number');
      assert.ok(res.body.data.every((n: any) => typeof n.queue_depth === 'number' && Array.isArray(n.models)));
    });

    test('tasks of every user, with their email, filtered by user, status and model', async () => {
      const a = await server.account({ test: true });
      const b = await server.account({ test: true });
      const ta = await server.api('POST', GEN, { key: a.key, body: { model: 'aio-poster', prompt: 'a' } });
      const tb = await server.api('POST', GEN, { key: b.key, body: { model: 'aio-poster', prompt: 'b' } });
      await server.waitForTask(ta.body.id, a.key);
      await server.waitForTask(tb.body.id, b.key);
      const all = await admin.get('/api/admin/tasks?limit=100');
      assert.equal(all.status, 200);
      const ids = all.body.data.map((t: any) => t.id);
      assert.ok(ids.includes(ta.body.id) && ids.includes(tb.body.id));
      const mine = await admin.get(`/api/admin/tasks?user=${encodeURIComponent(a.email.toUpperCase())}`);
      assert.deepEqual(mine.body.data.map((t: any) => t.id), [ta.body.id]);
      assert.equal(mine.body.data[0].user_email, a.email);
      assert.equal(mine.body.data[0].object, 'task');
      assert.equal((await admin.get(`/api/admin/tasks?user=${encodeURIComponent(a.email)}&status=failed`)).body.data.length, 0);
      assert.equal((await admin.get(`/api/admin/tasks?user=${encodeURIComponent(a.email)}&model=aio-poster&status=succeeded`)).body.data.length, 1);
      const page = await admin.get('/api/admin/tasks?limit=1');
      assert.equal(page.body.has_more, true);
      expectError(await admin.get('/api/admin/tasks?status=done'), 400, 'invalid_parameter', 'status');
    });
  });
}
