// Webhook endpoints through the API and the dashboard: the secret shown once (create, rotate),
// test and live endpoints apart like keys, and targets checked: private, loopback and link-local
// addresses are refused unless the operator allows them; a task's own `webhook_url` too.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { expectError } from '../helpers/assert-error.js';
import { signUp } from '../helpers/dashboard.js';
import { dbTargets, dropCreatedDatabases } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

after(dropCreatedDatabases);

const SECRET = /^whsec_[A-Za-z0-9+/]{43}=$/;
const POSTER = { model: 'aio-poster', prompt: 'A poster reading "HOOK"' };

for (const target of await dbTargets()) {
  describe(`webhook endpoints on ${target.name}`, { skip: target.skip }, () => {
    let server: TestServer;
    before(async () => {
      // Private targets are NOT allowed here (the default).
      server = await startTestServer({ databaseUrl: await target.create() });
    });
    after(() => server?.close());

    test('create, list, retrieve, rotate and delete; the secret only in the create and rotate answers', async () => {
      const { key } = await server.account({ test: true });
      const created = await server.api('POST', '/api/v1/webhook_endpoints', { key, body: { url: 'https://93.184.215.14/hooks', events: ['task.succeeded'] } });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const endpoint = created.body;
      assert.match(endpoint.id, /^we_/);
      assert.equal(endpoint.object, 'webhook_endpoint');
      assert.equal(endpoint.url, 'https://93.184.215.14/hooks');
      assert.deepEqual(endpoint.events, ['task.succeeded']);
      assert.equal(endpoint.livemode, false);
      assert.match(endpoint.secret, SECRET);

      const all = await server.api('POST', '/api/v1/webhook_endpoints', { key, body: { url: 'https://93.184.215.14/all' } });
      assert.deepEqual(all.body.events, ['task.succeeded', 'task.failed', 'task.canceled']);

      const list = await server.api('GET', '/api/v1/webhook_endpoints', { key });
      assert.deepEqual(list.body.data.map((e: any) => e.id), [endpoint.id, all.body.id]);
      assert.ok(list.body.data.every((e: any) => e.secret === undefined), 'a list never shows secrets');
      const got = await server.api('GET', `/api/v1/webhook_endpoints/${endpoint.id}`, { key });
      assert.equal(got.body.url, endpoint.url);
      assert.equal(got.body.secret, undefined);

      const rotated = await server.api('POST', `/api/v1/webhook_endpoints/${endpoint.id}/rotate`, { key });
      assert.equal(rotated.status, 200);
      assert.match(rotated.body.secret, SECRET);
      assert.notEqual(rotated.body.secret, endpoint.secret);

      const deleted = await server.api('DELETE', `/api/v1/webhook_endpoints/${endpoint.id}`, { key });
      assert.deepEqual(deleted.body, { id: endpoint.id, object: 'webhook_endpoint', deleted: true });
      expectError(await server.api('GET', `/api/v1/webhook_endpoints/${endpoint.id}`, { key }), 404, 'webhook_endpoint_not_found', 'id');
    });

    test('test and live endpoints are apart, and no account sees another’s', async () => {
      const live = await server.account({});
      const { key: testKey } = await server.platform.keys.create(live.userId, { test: true });
      const made = await server.api('POST', '/api/v1/webhook_endpoints', { key: live.key, body: { url: 'https://93.184.215.14/live' } });
      assert.equal(made.body.livemode, true);
      assert.deepEqual((await server.api('GET', '/api/v1/webhook_endpoints', { key: testKey })).body.data, []);
      expectError(await server.api('GET', `/api/v1/webhook_endpoints/${made.body.id}`, { key: testKey }), 404, 'webhook_endpoint_not_found');
      expectError(await server.api('DELETE', `/api/v1/webhook_endpoints/${made.body.id}`, { key: testKey }), 404, 'webhook_endpoint_not_found');
      const stranger = await server.account({});
      expectError(await server.api('POST', `/api/v1/webhook_endpoints/${made.body.id}/rotate`, { key: stranger.key }), 404, 'webhook_endpoint_not_found');
    });

    test('private, loopback and link-local targets are refused; bad URLs and events are 400s', async () => {
      const { key } = await server.account({ test: true });
      for (const url of ['http://127.0.0.1:9/x', 'http://localhost/x', 'http://10.1.2.3/x', 'http://169.254.169.254/latest', 'http://[::1]/x', 'http://192.168.1.1/'])
        expectError(await server.api('POST', '/api/v1/webhook_endpoints', { key, body: { url } }), 400, 'url_not_allowed', 'url');
      expectError(await server.api('POST', '/api/v1/webhook_endpoints', { key, body: { url: 'ftp://93.184.215.14/x' } }), 400, 'invalid_parameter', 'url');
      expectError(await server.api('POST', '/api/v1/webhook_endpoints', { key, body: { url: 'not a url' } }), 400, 'invalid_parameter', 'url');
      const badEvent = await server.api('POST', '/api/v1/webhook_endpoints', { key, body: { url: 'https://93.184.215.14/x', events: ['task.exploded'] } });
      assert.equal(badEvent.status, 400);
      const extra = await server.api('POST', '/api/v1/webhook_endpoints', { key, body: { url: 'https://93.184.215.14/x', colour: 'red' } });
      expectError(extra, 400, 'unknown_parameter');
      assert.deepEqual((await server.api('GET', '/api/v1/webhook_endpoints', { key })).body.data, [], 'nothing was made');
    });

    test("a task's webhook_url needs an endpoint to sign with, and a public target", async () => {
      const { key } = await server.account({ test: true });
      expectError(await server.api('POST', '/api/v1/images/generations', { key, body: { ...POSTER, webhook_url: 'https://93.184.215.14/task' } }), 400, 'webhook_endpoint_required', 'webhook_url');
      await server.api('POST', '/api/v1/webhook_endpoints', { key, body: { url: 'https://93.184.215.14/hooks' } });
      expectError(await server.api('POST', '/api/v1/images/generations', { key, body: { ...POSTER, webhook_url: 'http://127.0.0.1:8080/' } }), 400, 'url_not_allowed', 'webhook_url');
      expectError(await server.api('POST', '/api/v1/images/generations', { key, body: { ...POSTER, webhook_url: 42 } }), 400, 'invalid_parameter', 'webhook_url');
      expectError(await server.api('POST', '/api/v1/videos/generations', { key, body: { model: 'aio-motion', prompt: 'x', webhook_url: 'file:///etc/passwd' } }), 400, 'invalid_parameter', 'webhook_url');
      // (A webhook_url that is accepted is delivered: delivery.test.ts. No task here may end with a
      // delivery, since these endpoints point at a public address the tests must not call.)
      assert.deepEqual(await server.platform.db.selectFrom('tasks').select('id').execute().then((rows) => rows.length), 0, 'no task was made');
    });

    test('the dashboard manages endpoints of both modes', async () => {
      const browser = await signUp(server);
      const made = await browser.post('/api/account/webhook_endpoints', { url: 'https://93.184.215.14/dash', test: true, events: ['task.failed'] });
      assert.equal(made.status, 201, made.text);
      assert.equal(made.body.livemode, false);
      assert.match(made.body.secret, SECRET);
      const live = await browser.post('/api/account/webhook_endpoints', { url: 'https://93.184.215.14/dash-live' });
      assert.equal(live.body.livemode, true);
      const list = await browser.get('/api/account/webhook_endpoints');
      assert.deepEqual(list.body.data.map((e: any) => [e.id, e.livemode, e.secret]), [[made.body.id, false, undefined], [live.body.id, true, undefined]]);
      const rotated = await browser.post(`/api/account/webhook_endpoints/${made.body.id}/rotate`);
      assert.match(rotated.body.secret, SECRET);
      assert.notEqual(rotated.body.secret, made.body.secret);
      expectError(await browser.post('/api/account/webhook_endpoints', { url: 'http://127.0.0.1/' }), 400, 'url_not_allowed', 'url');
      expectError(await browser.post('/api/account/webhook_endpoints', { url: 'https://93.184.215.14/x', events: [] }), 400, 'invalid_parameter', 'events');
      // Without the CSRF header a change is refused.
      assert.equal((await browser.post('/api/account/webhook_endpoints', { url: 'https://93.184.215.14/x' }, { csrf: false })).status, 403);
      const deleted = await browser.call('DELETE', `/api/account/webhook_endpoints/${live.body.id}`);
      assert.equal(deleted.status, 200, deleted.text);
      assert.deepEqual((await browser.get('/api/account/webhook_endpoints')).body.data.map((e: any) => e.id), [made.body.id]);
    });
  });
}
