// A key's expiry is a real date up to 9999-12-31: later or unparsable ones are refused with a
// 400, and a far-future expiry never makes a key expired at once.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { expectError } from '../helpers/assert-error.js';
import { dbTargets, dropCreatedDatabases } from '../helpers/databases.js';
import { signUp } from '../helpers/dashboard.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

after(dropCreatedDatabases);

for (const target of await dbTargets()) {
  describe(`API key expiry on ${target.name}`, { skip: target.skip }, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer({ databaseUrl: await target.create() });
    });
    after(() => server?.close());

    test('after year 9999 or unparsable: 400 invalid_parameter, no key made', async () => {
      const user = await signUp(server);
      for (const expires_at of ['+010000-01-01T00:00:00Z', '+275760-09-13T00:00:00Z', '10000-01-01', 'next tuesday', '2030-02-30T00:00:00Z', '2030-13-01']) {
        const res = await user.post('/api/account/keys', { name: 'far', test: true, expires_at });
        expectError(res, 400, 'invalid_parameter', 'expires_at');
      }
      assert.equal((await user.get('/api/account/keys')).body.data.length, 0);
    });

    test('the last day of 9999 is accepted and the key works', async () => {
      const user = await signUp(server);
      const res = await user.post('/api/account/keys', { name: 'last', test: true, expires_at: '9999-12-31T23:59:59Z' });
      assert.equal(res.status, 201, res.text);
      assert.equal(res.body.expires_at, '9999-12-31T23:59:59.000Z');
      assert.equal((await server.api('GET', '/api/v1/tasks', { key: res.body.key })).status, 200);
    });

    test('a key already stored with an expanded-year expiry is not taken as expired', async () => {
      const user = await signUp(server);
      const { key } = await server.platform.keys.create(user.userId, { test: true, expiresAt: '+010000-01-01T00:00:00.000Z' });
      assert.equal((await server.api('GET', '/api/v1/tasks', { key })).status, 200);
      const { key: old } = await server.platform.keys.create(user.userId, { test: true, expiresAt: '2001-01-01T00:00:00.000Z' });
      expectError(await server.api('GET', '/api/v1/tasks', { key: old }), 401, 'api_key_expired');
    });
  });
}
