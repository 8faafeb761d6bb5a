// Authenticated keys are kept in memory (services/api-key-cache.ts), yet every change that
// matters is refused or honoured by the very next request: made through the service, by raw SQL
// on the same database, or by the `aio` command in another process. On SQLite and PostgreSQL.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { loadSettings } from '../../src/config/settings.js';
import { createPlatform, type Platform } from '../../src/platform.js';
import { ApiKeyCache } from '../../src/services/api-key-cache.js';
import { expectError } from '../helpers/assert-error.js';
import { dbTargets, dropCreatedDatabases, tempDir } from '../helpers/databases.js';
import { quietLogger, startTestServer, type TestServer } from '../helpers/server.js';

const run = promisify(execFile);
const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/aio.js');
const GEN = '/api/v1/images/generations';
const body = { model: 'aio-poster', prompt: 'cache' };

for (const target of await dbTargets()) {
  describe(`API key cache (${target.name})`, { skip: target.skip }, () => {
    let server: TestServer;
    let databaseUrl: string;
    let dataDir: string;
    /** Another platform on the same database: what another gateway or the CLI sees and writes. */
    let other: Platform;
    before(async () => {
      databaseUrl = await target.create();
      server = await startTestServer({ databaseUrl });
      dataDir = server.platform.settings.dataDir;
      other = await createPlatform(loadSettings({ AIO_DATA_DIR: dataDir, DATABASE_URL: databaseUrl }), { workers: false, logger: quietLogger() });
    });
    after(async () => {
      await other?.close();
      await server?.close();
      await dropCreatedDatabases();
    });

    const read = (key: string) => server.api('GET', '/api/v1/tasks/task_none', { key });

    test('a key is read from the database once, then from memory', async () => {
      const a = await server.account({ test: true });
      const first = await server.platform.keys.authenticate(a.key);
      // last_used_at moves without bumping the revision: a kept copy keeps its own value.
      await server.platform.db.updateTable('api_keys').set({ last_used_at: '2001-01-01T00:00:00.000Z' }).where('id', '=', a.keyId).execute();
      const second = await server.platform.keys.authenticate(a.key);
      assert.equal(second.key.id, first.key.id);
      assert.notEqual(second.key.last_used_at, '2001-01-01T00:00:00.000Z', 'served from memory');
      // Any change authentication depends on makes the next call read the row again.
      await server.platform.db.updateTable('api_keys').set({ name: 'renamed' }).where('id', '=', a.keyId).execute();
      const third = await server.platform.keys.authenticate(a.key);
      assert.equal(third.key.name, 'renamed');
      assert.equal(third.key.last_used_at, '2001-01-01T00:00:00.000Z');
    });

    test('revoked through the service: the next request is refused', async () => {
      const a = await server.account({ test: true });
      assert.equal((await server.api('POST', GEN, { key: a.key, body })).status, 202);
      await server.platform.keys.revoke(a.keyId);
      await expectError(await read(a.key), 401, 'api_key_revoked');
    });

    test('revoked by another process on the same database: the next request is refused', async () => {
      const a = await server.account({ test: true });
      assert.equal((await read(a.key)).status, 404, 'authenticated (the task does not exist)');
      assert.equal((await read(a.key)).status, 404, 'and kept');
      await other.keys.revoke(a.keyId);
      await expectError(await read(a.key), 401, 'api_key_revoked');
    });

    test('revoked with the aio command while the server runs: the next request is refused', async () => {
      const a = await server.account({ test: true });
      assert.equal((await read(a.key)).status, 404);
      const env = { ...process.env, AIO_DATA_DIR: dataDir, DATABASE_URL: databaseUrl };
      const revoked = JSON.parse((await run(process.execPath, [BIN, 'keys', 'revoke', a.keyId, '--json'], { env })).stdout);
      assert.ok(revoked.revoked_at);
      await expectError(await read(a.key), 401, 'api_key_revoked');
    });

    test('rolled elsewhere: the old secret is refused and the new one accepted at once', async () => {
      const a = await server.account({ test: true });
      assert.equal((await read(a.key)).status, 404);
      const rolled = await other.keys.roll(a.keyId, a.userId);
      await expectError(await read(a.key), 401, 'invalid_api_key');
      assert.equal((await read(rolled.key)).status, 404);
    });

    test('an account disabled by SQL, or its key given an expiry that passed, is refused at once', async () => {
      const a = await server.account({ test: true });
      assert.equal((await read(a.key)).status, 404);
      await other.db.updateTable('users').set({ disabled: 1 }).where('id', '=', a.userId).execute();
      await expectError(await read(a.key), 403, 'account_disabled');
      await other.db.updateTable('users').set({ disabled: 0 }).where('id', '=', a.userId).execute();
      assert.equal((await read(a.key)).status, 404, 'enabled again');
      await other.db.updateTable('api_keys').set({ expires_at: '2001-01-01T00:00:00.000Z' }).where('id', '=', a.keyId).execute();
      await expectError(await read(a.key), 401, 'api_key_expired');
    });

    test('allowed models changed elsewhere apply to the next request', async () => {
      const a = await server.account({ test: true });
      assert.equal((await server.api('POST', GEN, { key: a.key, body })).status, 202);
      await other.keys.update(a.keyId, a.userId, { allowedModels: ['aio-motion'] });
      await expectError(await server.api('POST', GEN, { key: a.key, body }), 403, 'model_not_allowed', 'model');
    });

    test('a key in use is marked used once a minute, not on every request', async () => {
      const a = await server.account({ test: true });
      for (let i = 0; i < 3; i++) assert.equal((await read(a.key)).status, 404);
      const usedAt = async () => (await server.platform.db.selectFrom('api_keys').select('last_used_at').where('id', '=', a.keyId).executeTakeFirstOrThrow()).last_used_at;
      let first: string | null = null;
      for (let i = 0; i < 50 && !first; i++) {
        first = await usedAt();
        if (!first) await new Promise((r) => setTimeout(r, 20));
      }
      assert.ok(first, 'last_used_at is written');
      for (let i = 0; i < 3; i++) assert.equal((await read(a.key)).status, 404);
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(await usedAt(), first, 'not written again within the minute');
    });
  });
}

describe('ApiKeyCache', () => {
  test('keeps no key with a credit limit, nor one read before the revision moved', async () => {
    const platform = await createPlatform(loadSettings({ AIO_DATA_DIR: tempDir(), DATABASE_URL: path.join(tempDir(), 'aio.sqlite') }), { workers: false, logger: quietLogger() });
    try {
      const user = await platform.users.create({ email: 'cache@example.com' });
      const limited = await platform.keys.create(user.id, { creditLimit: 1_000_000 });
      const plain = await platform.keys.create(user.id, {});
      const cache = new ApiKeyCache(platform.db);
      const rev = await cache.revision();
      cache.set('limited', limited.record, user, rev);
      cache.set('plain', plain.record, user, rev);
      assert.equal(cache.get('limited'), undefined);
      assert.equal(cache.get('plain')?.key.id, plain.record.id);
      await platform.keys.revoke(limited.record.id);
      assert.ok((await cache.revision()) > rev, 'a revocation moves the revision');
      assert.equal(cache.get('plain'), undefined, 'everything kept before is dropped');
      cache.set('plain', plain.record, user, rev);
      assert.equal(cache.get('plain'), undefined, 'a key read at the old revision is not kept');
    } finally {
      await platform.close();
    }
  });
});
