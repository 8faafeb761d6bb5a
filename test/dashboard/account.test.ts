// The signed-in account over real HTTP, on SQLite and PostgreSQL: API keys made on the dashboard
// and used on the public API (shown once, revocable, limited to models and credits), the ledger,
// tasks and usage.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MICRO, fromCredits } from '../../src/lib/credits.js';
import { dbTargets, dropCreatedDatabases } from '../helpers/databases.js';
import { signUp } from '../helpers/dashboard.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { expectError } from '../helpers/assert-error.js';

after(dropCreatedDatabases);

const GEN = '/api/v1/images/generations';


for (const target of await dbTargets()) {
  describe(`dashboard account on ${target.name}`, { skip: target.skip }, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer({ databaseUrl: await target.create() });
    });
    after(() => server?.close());

    const grant = (userId: string, credits: number, note = 'test') => server.platform.ledger.credit(userId, fromCredits(credits), 'grant', note);

    test('account shows the user and the balances, in decimal credits', async () => {
      const browser = await signUp(server);
      await grant(browser.userId, 42.125);
      const res = await browser.get('/api/account');
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { user: res.body.user, balance: 42.125, reserved: 0 });
      assert.equal(res.body.user.email, browser.email);
    });

    test('a key is shown once at creation, listed without its secret, renamed, revoked, then refused by the public API', async () => {
      const browser = await signUp(server);
      const created = await browser.post('/api/account/keys', { name: 'ci key', test: true });
      assert.equal(created.status, 201, created.text);
      assert.match(created.body.key, /^aio_test_[0-9A-Za-z]{40}$/);
      assert.equal(created.body.object, 'api_key');
      assert.equal(created.body.name, 'ci key');
      assert.equal(created.body.livemode, false);
      assert.ok(created.body.key.startsWith(created.body.prefix));

      const list = await browser.get('/api/account/keys');
      assert.equal(list.body.object, 'list');
      assert.equal(list.body.data.length, 1);
      const listed = list.body.data[0];
      assert.deepEqual(Object.keys(listed).sort(), [
        'allowed_models', 'created_at', 'credit_limit', 'expires_at', 'id', 'last_used_at', 'livemode', 'name', 'object', 'prefix', 'revoked_at', 'spent',
      ]);
      assert.ok(!JSON.stringify(list.body).includes(created.body.key), 'the secret is never listed');

      const task = await server.api('POST', GEN, { key: created.body.key, body: { model: 'aio-poster', prompt: 'hello' } });
      assert.equal(task.status, 202, JSON.stringify(task.body));

      const renamed = await browser.patch(`/api/account/keys/${created.body.id}`, { name: '  renamed  ' });
      assert.equal(renamed.status, 200);
      assert.equal(renamed.body.name, 'renamed');
      expectError(await browser.patch(`/api/account/keys/${created.body.id}`, { name: '   ' }), 400, 'invalid_parameter', 'name');

      const revoked = await browser.post(`/api/account/keys/${created.body.id}/revoke`);
      assert.equal(revoked.status, 200);
      assert.ok(revoked.body.revoked_at);
      expectError(await server.api('POST', GEN, { key: created.body.key, body: { model: 'aio-poster', prompt: 'hello' } }), 401, 'api_key_revoked');
      expectError(await server.api('GET', `/api/v1/tasks/${task.body.id}`, { key: created.body.key }), 401, 'api_key_revoked');
    });

    test("another account's key cannot be renamed or revoked", async () => {
      const owner = await signUp(server);
      const other = await signUp(server);
      const { body: key } = await owner.post('/api/account/keys', { test: true });
      expectError(await other.post(`/api/account/keys/${key.id}/revoke`), 404, 'not_found');
      expectError(await other.patch(`/api/account/keys/${key.id}`, { name: 'mine now' }), 404, 'not_found');
      assert.equal((await owner.get('/api/account/keys')).body.data[0].revoked_at, null);
    });

    test('key options are checked', async () => {
      const browser = await signUp(server);
      expectError(await browser.post('/api/account/keys', { expires_at: 'tomorrow' }), 400, 'invalid_parameter', 'expires_at');
      expectError(await browser.post('/api/account/keys', { expires_at: '2001-01-01T00:00:00Z' }), 400, 'invalid_parameter', 'expires_at');
      expectError(await browser.post('/api/account/keys', { credit_limit: 0 }), 400, 'invalid_parameter', 'credit_limit');
      expectError(await browser.post('/api/account/keys', { credit_limit: -5 }), 400, 'invalid_parameter', 'credit_limit');
      expectError(await browser.post('/api/account/keys', { credit_limit: 2.0000001 }), 400, 'invalid_parameter', 'credit_limit');
      expectError(await browser.post('/api/account/keys', { credit_limit: '10' }), 400, 'invalid_parameter', 'credit_limit');
      expectError(await browser.post('/api/account/keys', { credit_limit: 1_000_000_001 }), 400, 'invalid_parameter', 'credit_limit');
      expectError(await browser.post('/api/account/keys', { allowed_models: ['nope-1'] }), 400, 'invalid_parameter', 'allowed_models');
      expectError(await browser.post('/api/account/keys', { allowed_models: 'aio-poster' }), 400, 'invalid_parameter', 'allowed_models');
      expectError(await browser.post('/api/account/keys', { test: 'yes' }), 400, 'invalid_parameter', 'test');
      const ok = await browser.post('/api/account/keys', { name: 'full', expires_at: '2099-12-31T23:00:00+01:00', credit_limit: 50.000001, allowed_models: ['aio-poster', 'aio-poster'] });
      assert.equal(ok.status, 201, ok.text);
      assert.equal(ok.body.expires_at, '2099-12-31T22:00:00.000Z');
      assert.equal(ok.body.credit_limit, 50.000001);
      assert.equal(ok.body.spent, 0);
      assert.equal((await server.platform.keys.list(browser.userId)).find((k) => k.id === ok.body.id)!.credit_limit, 50_000_001, 'stored in micro-credits');
      assert.deepEqual(ok.body.allowed_models, ['aio-poster']);
      assert.equal(ok.body.livemode, true);
    });

    test('a key that has expired is refused by the public API', async () => {
      const browser = await signUp(server);
      const { body } = await browser.post('/api/account/keys', { test: true, expires_at: new Date(Date.now() + 1500).toISOString() });
      assert.equal((await server.api('GET', '/api/v1/tasks/task_x', { key: body.key })).status, 404);
      await new Promise((r) => setTimeout(r, 1600));
      expectError(await server.api('GET', '/api/v1/tasks/task_x', { key: body.key }), 401, 'api_key_expired');
    });

    test('a key limited to some models is refused for the others (403 model_not_allowed)', async () => {
      const browser = await signUp(server);
      const { body } = await browser.post('/api/account/keys', { test: true, allowed_models: ['aio-poster'] });
      assert.equal((await server.api('POST', GEN, { key: body.key, body: { model: 'aio-poster', prompt: 'ok' } })).status, 202);
      expectError(await server.api('POST', GEN, { key: body.key, body: { model: 'ideogram-v4', prompt: 'no' } }), 403, 'model_not_allowed', 'model');
    });

    test('a key credit limit stops spending at the limit (402), while the account still has credits', async () => {
      const browser = await signUp(server);
      await grant(browser.userId, 100);
      // aio-poster costs 1 credit: a limit of 3.5 allows three.
      const { body } = await browser.post('/api/account/keys', { credit_limit: 3.5 });
      for (let i = 0; i < 3; i++) assert.equal((await server.api('POST', GEN, { key: body.key, body: { model: 'aio-poster', prompt: `p${i}` } })).status, 202);
      expectError(await server.api('POST', GEN, { key: body.key, body: { model: 'aio-poster', prompt: 'one too many' } }), 402, 'key_credit_limit_reached');
      const keys = (await browser.get('/api/account/keys')).body.data;
      assert.equal(keys[0].spent, 3);
      assert.equal(keys[0].credit_limit, 3.5);
      // Another key of the same account is not limited.
      const { body: free } = await browser.post('/api/account/keys', {});
      assert.equal((await server.api('POST', GEN, { key: free.key, body: { model: 'aio-poster', prompt: 'fine' } })).status, 202);
    });

    test('ledger: newest first, paginated with starting_after, filtered by kind', async () => {
      const browser = await signUp(server);
      // Ids order by millisecond (then at random within one), so the entries are a few ms apart.
      const tick = () => new Promise((r) => setTimeout(r, 3));
      for (let i = 1; i <= 5; i++) {
        await grant(browser.userId, i, `grant ${i}`);
        await tick();
      }
      await server.platform.ledger.credit(browser.userId, -2.5 * MICRO, 'adjustment', 'correction');
      const page1 = await browser.get('/api/account/ledger?limit=4');
      assert.equal(page1.status, 200);
      assert.equal(page1.body.object, 'list');
      assert.equal(page1.body.data.length, 4);
      assert.equal(page1.body.has_more, true);
      assert.equal(page1.body.data[0].kind, 'adjustment');
      assert.equal(page1.body.data[0].amount, -2.5);
      assert.equal(page1.body.data[0].balance_after, 12.5);
      assert.deepEqual(Object.keys(page1.body.data[0]).sort(), ['amount', 'api_key_id', 'balance_after', 'created_at', 'id', 'kind', 'note', 'reserved_delta', 'task_id']);
      const page2 = await browser.get(`/api/account/ledger?limit=4&starting_after=${page1.body.data[3].id}`);
      assert.equal(page2.body.data.length, 2);
      assert.equal(page2.body.has_more, false);
      const ids = [...page1.body.data, ...page2.body.data].map((e: any) => e.id);
      assert.equal(new Set(ids).size, 6);
      assert.deepEqual([...page1.body.data, ...page2.body.data].map((e: any) => e.note), ['correction', 'grant 5', 'grant 4', 'grant 3', 'grant 2', 'grant 1']);

      const grants = await browser.get('/api/account/ledger?kind=grant');
      assert.equal(grants.body.data.length, 5);
      assert.ok(grants.body.data.every((e: any) => e.kind === 'grant'));
      expectError(await browser.get('/api/account/ledger?kind=bribe'), 400, 'invalid_parameter', 'kind');
      expectError(await browser.get('/api/account/ledger?limit=101'), 400, 'invalid_parameter', 'limit');
      // Someone else's ledger is not visible.
      const other = await signUp(server);
      assert.equal((await other.get('/api/account/ledger')).body.data.length, 0);
    });

    test('tasks and usage: credits captured from live tasks per day and per model', async () => {
      const browser = await signUp(server);
      await grant(browser.userId, 50);
      const { body: live } = await browser.post('/api/account/keys', {});
      const { body: testKey } = await browser.post('/api/account/keys', { test: true });
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push((await server.api('POST', GEN, { key: live.key, body: { model: 'aio-poster', prompt: `live ${i}` } })).body.id);
      ids.push((await server.api('POST', GEN, { key: testKey.key, body: { model: 'aio-poster', prompt: 'test mode' } })).body.id);
      for (const id of ids) assert.equal((await server.waitForTask(id, id === ids[3] ? testKey.key : live.key)).status, 'succeeded');
      // A failed live task (held, then released, never captured) does not count; one that held 2
      // credits and delivered 1.5 units counts 1.5. Made without dispatching them, so no worker
      // can finish them first.
      const { platform } = server;
      const user = (await platform.users.findById(browser.userId))!;
      const liveRow = (await platform.keys.list(user.id)).find((k) => k.id === live.id)!;
      const made = (prompt: string, quantity: number) =>
        platform.tasks.create({ user, key: liveRow, type: 'image', model: 'aio-poster', input: { model: 'aio-poster', prompt }, price: { unit: 'image', rate: 'base', unit_price_micro: MICRO, quantity } });
      const doomed = await made('to fail', 1);
      assert.equal(await platform.tasks.fail(doomed.id, { code: 'x', message: 'made to fail' }), true);
      const partial = await made('partly delivered', 2);
      assert.ok(await platform.tasks.claim(partial.id, 'test', 60_000));
      assert.equal(await platform.tasks.succeed(partial.id, {}, 1.5), true);
      assert.equal((await platform.tasks.get(partial.id))!.charged_micro, 1_500_000);
      assert.equal((await browser.get('/api/account')).body.balance, 50 - 3 - 1.5);
      assert.equal((await browser.get('/api/account/keys')).body.data.find((k: any) => k.id === live.id).spent, 4.5);

      const tasks = await browser.get('/api/account/tasks?limit=2');
      assert.equal(tasks.body.data.length, 2);
      assert.equal(tasks.body.has_more, true);
      assert.equal(tasks.body.data[0].object, 'task');
      const more = await browser.get(`/api/account/tasks?starting_after=${tasks.body.data[1].id}`);
      assert.equal(more.body.data.length, 4);
      const succeeded = await browser.get('/api/account/tasks?status=succeeded&model=aio-poster');
      assert.equal(succeeded.body.data.length, 5);
      const one = await browser.get(`/api/account/tasks/${ids[0]}`);
      assert.equal(one.body.id, ids[0]);
      assert.equal(one.body.status, 'succeeded');
      assert.match(one.body.output.images[0].url, /^http:\/\/127\.0\.0\.1:\d+\/files\//);
      const stranger = await signUp(server);
      expectError(await stranger.get(`/api/account/tasks/${ids[0]}`), 404, 'task_not_found');

      const usage = await browser.get('/api/account/usage?days=7');
      assert.equal(usage.status, 200);
      assert.equal(usage.body.days, 7);
      assert.equal(usage.body.by_day.length, 7);
      const today = new Date().toISOString().slice(0, 10);
      assert.deepEqual(usage.body.by_day.at(-1), { day: today, credits: 4.5, tasks: 4 });
      assert.ok(usage.body.by_day.slice(0, -1).every((d: any) => d.credits === 0 && d.tasks === 0));
      assert.deepEqual(usage.body.by_model, [{ model: 'aio-poster', credits: 4.5, tasks: 4 }]);
      assert.equal((await browser.get('/api/account/usage')).body.by_day.length, 30);
      expectError(await browser.get('/api/account/usage?days=91'), 400, 'invalid_parameter', 'days');
    });
  });
}
