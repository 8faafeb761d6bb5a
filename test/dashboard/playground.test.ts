// The dashboard routes behind the playground and the keys page, over real HTTP on SQLite and
// PostgreSQL: a task run on the session with a chosen key id (no secret in the browser), the
// key's rules applying as on the public API; uploads for that key's mode; editing and rolling
// keys; and the ledger read as a statement (one line per task, holds folded away once settled).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { MICRO, fromCredits } from '../../src/lib/credits.js';
import { expectError } from '../helpers/assert-error.js';
import { type Browser, signUp } from '../helpers/dashboard.js';
import { dbTargets, dropCreatedDatabases } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

after(dropCreatedDatabases);

const POSTER = { model: 'aio-poster', prompt: 'A poster reading "PLAYGROUND"', size: '9:21' };

for (const target of await dbTargets()) {
  describe(`dashboard playground and keys on ${target.name}`, { skip: target.skip }, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer({ databaseUrl: await target.create() });
    });
    after(() => server?.close());

    const grant = (userId: string, credits: number) => server.platform.ledger.credit(userId, fromCredits(credits), 'grant', 'welcome');

    test('a task runs on the session with a key chosen by id, and is that key’s task', async () => {
      const browser = await signUp(server);
      const { body: key } = await browser.post('/api/account/keys', { name: 'pg', test: true });
      const res = await browser.post(`/api/account/playground/image?key_id=${key.id}&wait=30`, POSTER);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.status, 'succeeded');
      assert.equal(res.body.livemode, false);
      assert.equal(res.body.cost.credits, 0);
      const image = res.body.output.images[0];
      assert.ok(image.height > image.width * 2, `9:21 is tall: ${image.width}x${image.height}`);
      // The key was used: it shows as used, and the public API lists the task for it.
      const listed = (await browser.get('/api/account/keys')).body.data[0];
      assert.ok(listed.last_used_at, 'last_used_at is set');
      const viaApi = await server.api('GET', `/api/v1/tasks/${res.body.id}`, { key: key.key });
      assert.equal(viaApi.status, 200);
      // Without wait: 202 with the task queued or running.
      const quick = await browser.post(`/api/account/playground/image?key_id=${key.id}`, POSTER);
      assert.equal(quick.status, 202);
      assert.equal((await server.waitForTask(quick.body.id, key.key)).status, 'succeeded');
    });

    test('the key’s rules apply: live credits, model allow-list, revoked, another account’s key', async () => {
      const browser = await signUp(server);
      const { body: live } = await browser.post('/api/account/keys', { name: 'live' });
      expectError(await browser.post(`/api/account/playground/image?key_id=${live.id}`, POSTER), 402, 'insufficient_credits');
      await grant(browser.userId, 10);
      const charged = await browser.post(`/api/account/playground/image?key_id=${live.id}&wait=30`, POSTER);
      assert.equal(charged.status, 200, charged.text);
      assert.equal(charged.body.livemode, true);
      assert.equal(charged.body.cost.credits, 1);
      assert.equal(charged.body.cost.charged, true);
      assert.equal((await browser.get('/api/account')).body.balance, 9);
      // A live request for a model with no configured upstream is refused as the public API refuses it.
      expectError(await browser.post(`/api/account/playground/image?key_id=${live.id}`, { model: 'ideogram-v4', prompt: 'x' }), 503, 'model_unavailable', 'model');

      const { body: only } = await browser.post('/api/account/keys', { test: true, allowed_models: ['aio-voice'] });
      expectError(await browser.post(`/api/account/playground/image?key_id=${only.id}`, POSTER), 403, 'model_not_allowed', 'model');
      // The body is the public request body, checked by the same schema.
      expectError(await browser.post(`/api/account/playground/image?key_id=${live.id}`, { ...POSTER, colour: 'red' }), 400, 'unknown_parameter', 'colour');
      expectError(await browser.post(`/api/account/playground/audio?key_id=${live.id}`, { model: 'aio-poster', text: 'hi' }), 400, 'model_not_found', 'model');
      expectError(await browser.post(`/api/account/playground/image`, POSTER), 400, 'missing_parameter');

      await browser.post(`/api/account/keys/${only.id}/revoke`);
      expectError(await browser.post(`/api/account/playground/audio?key_id=${only.id}`, { model: 'aio-voice', text: 'hi' }), 409, 'api_key_revoked', 'key_id');
      const stranger = await signUp(server);
      expectError(await stranger.post(`/api/account/playground/image?key_id=${live.id}`, POSTER), 400, 'invalid_parameter', 'key_id');
      // The session's CSRF protection covers it like every other change.
      expectError(await browser.post(`/api/account/playground/image?key_id=${live.id}`, POSTER, { csrf: false }), 403, 'csrf_failed');
    });

    test('an upload for the playground belongs to the chosen key’s mode and feeds a tool', async () => {
      const browser = await signUp(server);
      const { body: key } = await browser.post('/api/account/keys', { test: true });
      const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#4f46e5' } }).png().toBuffer();
      const upload = async (b: Browser, keyId: string) => {
        const form = new FormData();
        form.append('file', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'in.png');
        const res = await fetch(`${server.url}/api/account/playground/files?key_id=${keyId}`, {
          method: 'POST',
          body: form,
          headers: { cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'x-csrf-token': b.csrf!, origin: server.url },
        });
        return { status: res.status, body: (await res.json()) as any };
      };
      const file = await upload(browser, key.id);
      assert.equal(file.status, 201, JSON.stringify(file.body));
      assert.match(file.body.uri, /^aio-file:\/\/file_/);
      assert.equal(file.body.livemode, false);
      const run = await browser.post(`/api/account/playground/tool?key_id=${key.id}&wait=30`, { model: 'aio-upscale', image_url: file.body.uri, scale: 2 });
      assert.equal(run.status, 200, run.text);
      assert.equal(run.body.status, 'succeeded');
      assert.equal(run.body.output.images[0].width, 128);
      const stranger = await signUp(server);
      assert.equal((await upload(stranger, key.id)).status, 400);
    });

    test('a key is edited (name, limit, expiry, models) and rolled: same key, new secret', async () => {
      const browser = await signUp(server);
      await grant(browser.userId, 5);
      const { body: key } = await browser.post('/api/account/keys', { name: 'app' });
      const done = await server.api('POST', '/api/v1/images/generations', { key: key.key, body: POSTER, headers: { prefer: 'wait' } });
      assert.equal(done.body.status, 'succeeded');

      const expires = new Date(Date.now() + 7 * 86_400_000).toISOString();
      const edited = await browser.patch(`/api/account/keys/${key.id}`, { name: 'app v2', credit_limit: 1, expires_at: expires, allowed_models: ['aio-poster'] });
      assert.equal(edited.status, 200, edited.text);
      assert.equal(edited.body.name, 'app v2');
      assert.equal(edited.body.credit_limit, 1);
      assert.equal(edited.body.expires_at, expires);
      assert.deepEqual(edited.body.allowed_models, ['aio-poster']);
      assert.equal(edited.body.spent, 1);
      // The limit is reached (spent 1 of 1): the key refuses the next task.
      expectError(await server.api('POST', '/api/v1/images/generations', { key: key.key, body: POSTER }), 402, 'key_credit_limit_reached');
      // A field left out stays; null clears it.
      const cleared = await browser.patch(`/api/account/keys/${key.id}`, { credit_limit: null, allowed_models: null, expires_at: null });
      assert.equal(cleared.body.name, 'app v2');
      assert.equal(cleared.body.credit_limit, null);
      assert.equal(cleared.body.allowed_models, null);
      assert.equal(cleared.body.expires_at, null);
      expectError(await browser.patch(`/api/account/keys/${key.id}`, {}), 400, 'missing_parameter', 'name');
      expectError(await browser.patch(`/api/account/keys/${key.id}`, { credit_limit: -1 }), 400, 'invalid_parameter', 'credit_limit');
      expectError(await browser.patch(`/api/account/keys/${key.id}`, { expires_at: '2001-01-01T00:00:00Z' }), 400, 'invalid_parameter', 'expires_at');
      expectError(await browser.patch(`/api/account/keys/${key.id}`, { allowed_models: ['nope-1'] }), 400, 'invalid_parameter', 'allowed_models');
      expectError(await browser.patch(`/api/account/keys/${key.id}`, { livemode: false }), 400, 'unknown_parameter', 'livemode');

      const rolled = await browser.post(`/api/account/keys/${key.id}/roll`);
      assert.equal(rolled.status, 200, rolled.text);
      assert.equal(rolled.body.id, key.id);
      assert.equal(rolled.body.spent, 1, 'spending stays with the key');
      assert.equal(rolled.body.livemode, true);
      assert.match(rolled.body.key, /^aio_[0-9A-Za-z]{40}$/);
      assert.notEqual(rolled.body.key, key.key);
      assert.ok(rolled.body.key.startsWith(rolled.body.prefix));
      expectError(await server.api('GET', '/api/v1/tasks', { key: key.key }), 401, 'invalid_api_key');
      assert.equal((await server.api('GET', `/api/v1/tasks/${done.body.id}`, { key: rolled.body.key })).status, 200, 'the task stays the key’s');
      assert.equal((await browser.get('/api/account/keys')).body.data.length, 1);

      await browser.post(`/api/account/keys/${key.id}/revoke`);
      expectError(await browser.post(`/api/account/keys/${key.id}/roll`), 409, 'api_key_revoked');
      const stranger = await signUp(server);
      expectError(await stranger.post(`/api/account/keys/${key.id}/roll`), 404, 'not_found');
      expectError(await stranger.patch(`/api/account/keys/${key.id}`, { name: 'mine' }), 404, 'not_found');
    });

    test('the ledger as a statement: one line per task with its cost; the lines add up', async () => {
      const browser = await signUp(server);
      await grant(browser.userId, 20);
      const { body: live } = await browser.post('/api/account/keys', {});
      const ok = await server.api('POST', '/api/v1/images/generations', { key: live.key, body: POSTER, headers: { prefer: 'wait' } });
      assert.equal(ok.body.status, 'succeeded');
      // A failed task (held, released) and a running one (held), made without dispatching them.
      const { platform } = server;
      const user = (await platform.users.findById(browser.userId))!;
      const row = (await platform.keys.list(user.id))[0]!;
      const made = (prompt: string) =>
        platform.tasks.create({ user, key: row, type: 'image', model: 'aio-poster', input: { model: 'aio-poster', prompt }, price: { unit: 'image', rate: 'base', unit_price_micro: 2 * MICRO, quantity: 1 } });
      // Ledger ids order by their millisecond first: a moment between the steps keeps their order known.
      const apart = () => new Promise((r) => setTimeout(r, 3));
      await apart();
      const failed = await made('to fail');
      await apart();
      await platform.tasks.fail(failed.id, { code: 'x', message: 'made to fail' });
      await apart();
      const running = await made('still running');
      await apart();
      await grant(browser.userId, 3);

      const raw = await browser.get('/api/account/ledger');
      assert.equal(raw.body.data.length, 7, 'the raw entries are all there: grant, hold, capture, hold, release, hold, grant');
      const statement = await browser.get('/api/account/ledger?view=statement');
      assert.equal(statement.status, 200, statement.text);
      const lines = statement.body.data;
      assert.deepEqual(
        lines.map((l: any) => [l.kind, l.status, l.amount, l.held, l.task_id]),
        [
          ['grant', null, 3, null, null],
          ['task', 'held', 0, 2, running.id],
          ['task', 'not_charged', 0, 2, failed.id],
          ['task', 'charged', -1, 1, ok.body.id],
          ['grant', null, 20, null, null],
        ],
      );
      assert.equal(lines[3].model, 'aio-poster');
      // balance_after is the account's credits (balance + held): each line's amount leads to the next.
      assert.deepEqual(lines.map((l: any) => l.balance_after), [22, 19, 19, 19, 20]);
      for (let i = 0; i < lines.length - 1; i++) assert.equal(lines[i].balance_after, lines[i + 1].balance_after + lines[i].amount);
      const account = (await browser.get('/api/account')).body;
      assert.equal(account.balance + account.reserved, lines[0].balance_after);

      const page = await browser.get('/api/account/ledger?view=statement&limit=2');
      assert.equal(page.body.data.length, 2);
      assert.equal(page.body.has_more, true);
      const rest = await browser.get(`/api/account/ledger?view=statement&starting_after=${page.body.data[1].id}`);
      assert.deepEqual(rest.body.data.map((l: any) => l.id), lines.slice(2).map((l: any) => l.id));
      const tasks = await browser.get('/api/account/ledger?view=statement&kind=task');
      assert.deepEqual(tasks.body.data.map((l: any) => l.task_id), [running.id, failed.id, ok.body.id]);
      const grants = await browser.get('/api/account/ledger?view=statement&kind=grant');
      assert.deepEqual(grants.body.data.map((l: any) => l.amount), [3, 20]);
      expectError(await browser.get('/api/account/ledger?view=statement&kind=hold'), 400, 'invalid_parameter', 'kind');
      expectError(await browser.get('/api/account/ledger?view=pretty'), 400, 'invalid_parameter', 'view');
    });
  });
}
