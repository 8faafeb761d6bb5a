// Strings PostgreSQL cannot store (NUL, lone UTF-16 surrogates) and JSON nested past 64 levels
// are refused with a 400 in our error shape on every route, on both databases, and nothing is
// written. Before the global check they were 500s on PostgreSQL (and stored on SQLite).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { expectError } from '../helpers/assert-error.js';
import { dbTargets, dropCreatedDatabases } from '../helpers/databases.js';
import { Browser, PASSWORD, signUp, uniqueEmail } from '../helpers/dashboard.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

after(dropCreatedDatabases);

const GEN = '/api/v1/images/generations';
const NUL = '\u0000';
const LONE = '\ud800';

/** A JSON text of `depth` nested arrays, written by hand (JSON.stringify of it would overflow). */
const nested = (depth: number, inner = '1') => '['.repeat(depth) + inner + ']'.repeat(depth);

for (const target of await dbTargets()) {
  describe(`refused strings on ${target.name}`, { skip: target.skip }, () => {
    let server: TestServer;
    let live: { key: string; userId: string };
    let testKey: { key: string; userId: string };
    before(async () => {
      server = await startTestServer({ databaseUrl: await target.create() });
      live = await server.account({ credits: 100 });
      testKey = await server.account({ test: true });
    });
    after(() => server?.close());

    const countRows = async (table: 'users' | 'tasks' | 'api_keys' | 'ledger_entries') => {
      const { n } = await server.platform.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      return Number(n);
    };

    test('sign-up with NUL in the email or password is 400 invalid_parameter, and no user is made', async () => {
      const before = await countRows('users');
      expectError(await new Browser(server.url).post('/api/auth/signup', { email: `a${NUL}b@example.com`, password: PASSWORD }), 400, 'invalid_parameter', 'email');
      expectError(await new Browser(server.url).post('/api/auth/signup', { email: uniqueEmail(), password: `${PASSWORD}${NUL}` }), 400, 'invalid_parameter', 'password');
      expectError(await new Browser(server.url).post('/api/auth/signup', { email: `x${LONE}@example.com`, password: PASSWORD }), 400, 'invalid_parameter', 'email');
      assert.equal(await countRows('users'), before);
    });

    test('login with NUL in the email or password is 400', async () => {
      expectError(await new Browser(server.url).post('/api/auth/login', { email: `a${NUL}@example.com`, password: PASSWORD }), 400, 'invalid_parameter', 'email');
      expectError(await new Browser(server.url).post('/api/auth/login', { email: uniqueEmail(), password: `x${NUL}` }), 400, 'invalid_parameter', 'password');
    });

    test('creating a key with NUL in its name or allowed models is 400, and no key is made', async () => {
      const user = await signUp(server);
      const before = await countRows('api_keys');
      expectError(await user.post('/api/account/keys', { name: `key${NUL}` }), 400, 'invalid_parameter', 'name');
      expectError(await user.post('/api/account/keys', { name: 'ok', allowed_models: ['aio-poster', `x${NUL}`] }), 400, 'invalid_parameter', 'allowed_models[1]');
      expectError(await user.post('/api/account/keys', { name: `half ${LONE} a pair` }), 400, 'invalid_parameter', 'name');
      assert.equal(await countRows('api_keys'), before);
    });

    test('image generations with NUL or a lone surrogate anywhere: 400, no task, no money moved', async () => {
      const tasks = await countRows('tasks');
      const ledger = await countRows('ledger_entries');
      for (const key of [live.key, testKey.key]) {
        expectError(await server.api('POST', GEN, { key, body: { model: 'aio-poster', prompt: `a cat${NUL}` } }), 400, 'invalid_parameter', 'prompt');
        expectError(await server.api('POST', GEN, { key, body: { model: `aio-poster${NUL}`, prompt: 'a cat' } }), 400, 'invalid_parameter', 'model');
        expectError(await server.api('POST', GEN, { key, body: { model: 'aio-poster', prompt: `a ${LONE} cat` } }), 400, 'invalid_parameter', 'prompt');
        expectError(await server.api('POST', GEN, { key, body: { model: 'aio-poster', prompt: 'a cat', [`odd${NUL}`]: 1 } }), 400, 'invalid_parameter');
        expectError(
          await server.api('POST', GEN, { key, headers: { 'content-type': 'application/json', 'idempotency-key': 'k1' }, raw: `{"model":"aio-poster","prompt":"a\\u0000cat"}` }),
          400,
          'invalid_parameter',
          'prompt',
        );
      }
      assert.equal(await countRows('tasks'), tasks);
      assert.equal(await countRows('ledger_entries'), ledger);
    });

    test('NUL in a query string or a path parameter is 400 too', async () => {
      expectError(await server.api('GET', '/api/v1/tasks?starting_after=task_%00x', { key: live.key }), 400, 'invalid_parameter', 'starting_after');
      expectError(await server.api('GET', '/api/v1/tasks?model=%00', { key: live.key }), 400, 'invalid_parameter', 'model');
      expectError(await server.api('GET', '/api/v1/tasks/task_%00', { key: live.key }), 400, 'invalid_parameter', 'id');
      expectError(await server.api('GET', '/api/v1/models/x%00', {}), 400, 'invalid_parameter', 'id');
      const user = await signUp(server);
      expectError(await user.get('/api/account/ledger?starting_after=%00'), 400, 'invalid_parameter', 'starting_after');
    });

    test('an ordinary request with unusual but valid Unicode still works', async () => {
      const prompt = 'Poster: \u05e9\u05dc\u05d5\u05dd \u{1F600} caf\u00e9 \u4e2d\u6587';
      const res = await server.api('POST', GEN, { key: testKey.key, body: { model: 'aio-poster', prompt } });
      assert.equal(res.status, 202, JSON.stringify(res.body));
      assert.equal(res.body.input.prompt, prompt);
    });

    test('JSON nested deeper than 64 levels is 400 invalid_json, also with an Idempotency-Key; 64 levels are parsed', async () => {
      const headers = { 'content-type': 'application/json', 'idempotency-key': `deep-${Date.now()}` };
      const tasks = await countRows('tasks');
      for (const depth of [65, 1000, 30_000]) {
        const raw = `{"model":"aio-poster","prompt":"x","extra":${nested(depth - 1)}}`;
        const res = await server.api('POST', GEN, { key: live.key, raw, headers });
        expectError(res, 400, 'invalid_json');
        assert.match(res.body.error.message, /64/);
      }
      // Top-level nesting with nothing else (no object to name fields in).
      expectError(await server.api('POST', GEN, { key: live.key, raw: nested(32_000), headers }), 400, 'invalid_json');
      // At the limit the body reaches the route's own checks (here: an unknown field).
      const ok = await server.api('POST', GEN, { key: live.key, raw: `{"model":"aio-poster","prompt":"x","extra":${nested(63)}}`, headers: { ...headers, 'idempotency-key': `ok-${Date.now()}` } });
      expectError(ok, 400, 'unknown_parameter', 'extra');
      // The dashboard's own JSON parser is covered too.
      const user = await signUp(server);
      expectError(await user.call('POST', '/api/account/keys', { raw: `{"name":${nested(100, '"x"')}}`, headers: { 'content-type': 'application/json' } }), 400, 'invalid_json');
      assert.equal(await countRows('tasks'), tasks);
    });
  });
}
