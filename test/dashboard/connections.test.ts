// Provider connections from the admin pages, over real HTTP on SQLite and PostgreSQL: an admin
// connects OpenAI (a fake upstream) and a live request on its model succeeds at once, without a
// restart; another gateway on the same database picks the connection up on its next reload; the
// key is stored sealed, shown by its last four characters only, and never written to the log;
// the catalog check refuses a connection that cannot serve a model; disabling stops routing;
// connection tests make one real call to fakes of OpenAI, fal, Ideogram and Gemini.
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import pino from 'pino';
import { loadSettings } from '../../src/config/settings.js';
import { buildServer } from '../../src/http/server.js';
import { fromCredits } from '../../src/lib/credits.js';
import { SECRET_KEY_FILE } from '../../src/lib/secret-box.js';
import { createPlatform, type Platform } from '../../src/platform.js';
import { expectError } from '../helpers/assert-error.js';
import { dbTargets, dropCreatedDatabases, tempDir } from '../helpers/databases.js';
import { Browser, signInAdmin } from '../helpers/dashboard.js';
import { quietLogger, type TestServer } from '../helpers/server.js';
import { startFakeFal } from '../fakes/fal-server.js';
import { startFakeGemini } from '../fakes/gemini-server.js';
import { startFakeIdeogram } from '../fakes/ideogram-server.js';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server.js';

after(dropCreatedDatabases);

/** Every line the platform logs (at trace level), to look for leaked secrets. */
function capturingLogger() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: pino({ level: 'trace' }, sink), text: () => lines.join('') };
}

/** A server as startTestServer makes it, but logging everything into memory. */
async function startLoggedServer(databaseUrl: string, env: Record<string, string> = {}) {
  const dataDir = tempDir();
  const log = capturingLogger();
  const settings = loadSettings({ AIO_DATA_DIR: dataDir, DATABASE_URL: databaseUrl, AIO_RETRY_BASE_MS: '20', AIO_RATE_LIMIT_PER_MINUTE: '0', AIO_SIGNUP_LIMIT_PER_HOUR: '0', ...env });
  const platform = await createPlatform(settings, { workers: true, logger: log.logger });
  const app = await buildServer(platform);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const server = { url, platform } as TestServer;
  return { server, dataDir, logText: log.text, close: async () => (await app.close(), await platform.close()) };
}

const IMAGE = { model: 'gpt-image-1', prompt: 'A lighthouse at dawn, clean poster', size: '1:1', output_format: 'png' };

for (const target of await dbTargets()) {
  describe(`provider connections on ${target.name}`, { skip: target.skip }, () => {
    let fake: FakeOpenAI;
    let started: Awaited<ReturnType<typeof startLoggedServer>>;
    let server: TestServer;
    let admin: Browser;
    let other: Platform;
    let databaseUrl: string;
    let liveKey: string;

    const live = (body: unknown) =>
      fetch(`${server.url}/api/v1/images/generations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${liveKey}`, 'content-type': 'application/json', prefer: 'wait=30' },
        body: JSON.stringify(body),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));

    before(async () => {
      fake = await startFakeOpenAI();
      databaseUrl = await target.create();
      // No OPENAI_API_KEY: on this install OpenAI's models cannot run live until an admin connects it.
      started = await startLoggedServer(databaseUrl, { AIO_OVERRIDES_REFRESH_MS: '100' });
      server = started.server;
      admin = await signInAdmin(server);
      const user = await server.platform.users.create({ email: `buyer-${Date.now()}@example.com` });
      await server.platform.ledger.credit(user.id, fromCredits(100), 'grant', 'test');
      liveKey = (await server.platform.keys.create(user.id, {})).key;
      // A second gateway on the same database, started before the connection exists.
      other = await createPlatform(loadSettings({ AIO_DATA_DIR: started.dataDir, DATABASE_URL: databaseUrl, AIO_OVERRIDES_REFRESH_MS: '100' }), { workers: false, logger: quietLogger() });
    });
    after(async () => {
      await other?.close();
      await started?.close();
      await fake?.close();
    });

    test('the providers an admin may connect, and the catalog file nodes as read-only entries', async () => {
      const providers = await admin.get('/api/admin/providers');
      assert.equal(providers.status, 200, providers.text);
      const openai = providers.body.data.find((p: any) => p.id === 'openai');
      const { models, suggested_models: suggested, ...rest } = openai;
      assert.deepEqual(suggested, ['gpt-image-1', 'dall-e-3', 'gpt-4o-mini-tts', 'tts-1', 'gpt-4.1-mini', 'gpt-4.1']);
      assert.deepEqual(rest, { id: 'openai', operations: ['image', 'speech', 'chat'], default_base_url: 'https://api.openai.com', needs_api_key: true, can_test: true });
      for (const id of ['gpt-image-1', 'tts-1', 'gpt-4.1']) assert.ok(models.includes(id), `openai can serve ${id}`);
      for (const id of ['kling-v2.6-pro', 'elevenlabs-music', 'birefnet-v2', 'aio-poster']) assert.ok(!models.includes(id), `openai cannot serve ${id}`);
      assert.ok(!providers.body.data.some((p: any) => p.id === 'local'), 'the built-in engines are not a connection');

      const list = await admin.get('/api/admin/connections');
      const node71 = list.body.data.find((c: any) => c.id === 'node71');
      assert.equal(node71.source, 'file');
      assert.equal(node71.configured, false);
      assert.deepEqual(node71.missing, ['OPENAI_API_KEY']);
      assert.deepEqual(node71.env, { api_key: 'OPENAI_API_KEY', base_url: 'OPENAI_BASE_URL' });
      expectError(await admin.patch('/api/admin/connections/node71', { concurrency: 2 }), 409, 'connection_read_only', 'id');
    });

    test('an admin connects OpenAI; a live request on its model succeeds without a restart', async () => {
      expectError(await live(IMAGE), 503, 'model_unavailable', 'model');

      const draftBad = await admin.post('/api/admin/connections/test', { provider: 'openai', base_url: fake.url, api_key: 'sk-proj-wrong-key-0000' });
      assert.equal(draftBad.status, 200, draftBad.text);
      assert.equal(draftBad.body.ok, false);
      assert.match(draftBad.body.message, /refused the key \(401\)/);
      const draft = await admin.post('/api/admin/connections/test', { provider: 'openai', base_url: fake.url, api_key: fake.apiKey });
      assert.equal(draft.body.ok, true, draft.body.message);
      assert.match(draft.body.message, /^Connected: OpenAI accepted the key \(\d+ models listed\)\.$/);
      assert.ok(fake.apiRequests().some((r) => r.method === 'GET' && r.path === '/v1/models'), 'a real call was made');

      const created = await admin.post('/api/admin/connections', {
        id: 'openai-main',
        name: 'OpenAI (team account)',
        provider: 'openai',
        base_url: `${fake.url}/`,
        api_key: fake.apiKey,
        models: ['gpt-image-1', 'tts-1'],
        concurrency: 3,
        priority: 5,
      });
      assert.equal(created.status, 201, created.text);
      assert.equal(created.body.source, 'database');
      assert.equal(created.body.base_url, fake.url, 'trailing slash dropped');
      assert.deepEqual(created.body.api_key, { set: true, last4: fake.apiKey.slice(-4) });
      assert.deepEqual([created.body.configured, created.body.enabled, created.body.concurrency, created.body.priority, created.body.weight], [true, true, 3, 5, 1]);
      assert.ok(!created.text.includes(fake.apiKey), 'the key is not given back');

      const done = await live(IMAGE);
      assert.equal(done.status, 200, JSON.stringify(done.body));
      assert.equal(done.body.status, 'succeeded', JSON.stringify(done.body.error));
      assert.equal(done.body.node, 'openai-main');
      assert.equal(done.body.livemode, true);
      const call = fake.apiRequests().find((r) => r.path === '/v1/images/generations')!;
      assert.equal(call.headers.authorization, `Bearer ${fake.apiKey}`);

      // The public catalog says it runs live now.
      const model = await fetch(`${server.url}/api/v1/models/gpt-image-1`).then((r) => r.json() as Promise<any>);
      assert.equal(model.available, true);
    });

    test('another gateway on the same database picks the connection up on its next reload', async () => {
      const deadline = Date.now() + 10_000;
      while (!other.catalog.node('openai-main') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const node = other.catalog.node('openai-main');
      assert.ok(node, 'reloaded within the refresh interval');
      assert.equal(node.credentials.apiKey, fake.apiKey, 'opened with the same secret key (same data directory)');
      assert.equal(other.catalog.usableNodesFor('gpt-image-1')[0]?.id, 'openai-main');
    });

    test('the key is stored sealed, the secret key file is private, and nothing logged holds the key', async () => {
      const row = await server.platform.db.selectFrom('connections').selectAll().where('id', '=', 'openai-main').executeTakeFirstOrThrow();
      assert.ok(row.api_key_encrypted?.startsWith('v1.'));
      assert.ok(!row.api_key_encrypted!.includes(fake.apiKey));
      assert.equal(row.api_key_last4, fake.apiKey.slice(-4));
      assert.equal(statSync(path.join(started.dataDir, SECRET_KEY_FILE)).mode & 0o777, 0o600);

      const list = await admin.get('/api/admin/connections');
      assert.ok(!list.text.includes(fake.apiKey));
      const one = await admin.get('/api/admin/connections/openai-main');
      assert.equal(one.body.id, 'openai-main');
      assert.ok(!one.text.includes(fake.apiKey));

      const logs = started.logText();
      assert.match(logs, /admin added a provider connection/, 'the log is captured');
      assert.ok(!logs.includes(fake.apiKey), 'the key is never logged');
      assert.ok(!logs.includes('sk-proj-wrong-key-0000'), 'nor a tested one');
    });

    test('the catalog check applies: a provider must have the operation every model needs', async () => {
      expectError(await admin.post('/api/admin/connections', { provider: 'ideogram', api_key: 'k', models: ['kling-v2.6-pro'] }), 400, 'invalid_parameter', 'models');
      const noVideo = await admin.post('/api/admin/connections', { provider: 'ideogram', api_key: 'k', models: ['kling-v2.6-pro'] });
      assert.match(noVideo.body.error.message, /'ideogram' has no 'video' operation, which 'kling-v2.6-pro' needs/);
      expectError(await admin.post('/api/admin/connections', { provider: 'openai', api_key: 'k', models: ['no-such-model'] }), 400, 'invalid_parameter', 'models');
      expectError(await admin.post('/api/admin/connections', { provider: 'local', models: ['aio-poster'] }), 400, 'invalid_parameter', 'provider');
      expectError(await admin.post('/api/admin/connections', { provider: 'openai', models: ['gpt-image-1'] }), 400, 'missing_parameter', 'api_key');
      expectError(await admin.post('/api/admin/connections', { provider: 'openai-compatible', api_key: 'k', models: ['gpt-4.1'] }), 400, 'missing_parameter', 'base_url');
      expectError(await admin.post('/api/admin/connections', { provider: 'openai', api_key: 'k', models: ['gpt-image-1'], base_url: 'ftp://x' }), 400, 'invalid_parameter', 'base_url');
      expectError(await admin.post('/api/admin/connections', { provider: 'openai', api_key: 'k', models: ['gpt-image-1'], concurrency: 0 }), 400, 'invalid_parameter', 'concurrency');
      expectError(await admin.post('/api/admin/connections', { id: 'node71', provider: 'openai', api_key: 'k', models: ['gpt-image-1'] }), 409, 'connection_exists', 'id');
      expectError(await admin.post('/api/admin/connections', { id: 'openai-main', provider: 'openai', api_key: 'k', models: ['gpt-image-1'] }), 409, 'connection_exists', 'id');
      expectError(await admin.patch('/api/admin/connections/openai-main', { provider: 'fal' }), 400, 'unknown_parameter', 'provider');
      expectError(await admin.patch('/api/admin/connections/openai-main', { models: ['veo-3.1'] }), 400, 'invalid_parameter', 'models');
      expectError(await admin.patch('/api/admin/connections/nope', { enabled: false }), 404, 'connection_not_found', 'id');
      const count = await server.platform.db.selectFrom('connections').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(count.n), 1, 'nothing refused was stored');
    });

    test('a new key takes effect at once; the saved connection test says what is wrong, in words', async () => {
      const wrong = await admin.patch('/api/admin/connections/openai-main', { api_key: 'sk-proj-not-the-right-one-9999' });
      assert.equal(wrong.status, 200, wrong.text);
      assert.equal(wrong.body.api_key.last4, '9999');
      const tested = await admin.post('/api/admin/connections/openai-main/test');
      assert.deepEqual([tested.body.ok, tested.body.status], [false, 401]);
      assert.match(tested.body.message, /OpenAI refused the key \(401\)/);
      assert.deepEqual((await admin.get('/api/admin/connections/openai-main')).body.last_check.ok, false);
      const failed = await live(IMAGE);
      assert.equal(failed.body.status, 'failed');
      assert.equal(failed.body.error.code, 'upstream_auth_failed');

      await admin.patch('/api/admin/connections/openai-main', { api_key: fake.apiKey });
      const ok = await admin.post('/api/admin/connections/openai-main/test');
      assert.equal(ok.body.ok, true, ok.body.message);
      const shown = (await admin.get('/api/admin/connections/openai-main')).body;
      assert.equal(shown.last_check.ok, true);
      assert.match(shown.last_check.message, /Connected/);
      assert.equal((await live(IMAGE)).body.status, 'succeeded');
      // A draft test of a saved connection may leave the key out: the stored one is used.
      const stored = await admin.post('/api/admin/connections/test', { id: 'openai-main', provider: 'openai', base_url: fake.url });
      assert.equal(stored.body.ok, true, stored.body.message);
      assert.ok(!started.logText().includes('sk-proj-not-the-right-one-9999'));
    });

    test('disabling stops routing to it at once (and in the other gateway); enabling brings it back', async () => {
      const off = await admin.patch('/api/admin/connections/openai-main', { enabled: false });
      assert.deepEqual([off.body.enabled, off.body.configured], [false, false]);
      expectError(await live(IMAGE), 503, 'model_unavailable', 'model');
      const deadline = Date.now() + 10_000;
      while (other.catalog.node('openai-main') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      assert.equal(other.catalog.node('openai-main'), undefined);

      await admin.patch('/api/admin/connections/openai-main', { enabled: true });
      assert.equal((await live(IMAGE)).body.status, 'succeeded');
    });

    test('deleting removes it', async () => {
      const gone = await admin.call('DELETE', '/api/admin/connections/openai-main');
      assert.equal(gone.status, 204);
      expectError(await admin.get('/api/admin/connections/openai-main'), 404, 'connection_not_found', 'id');
      expectError(await live(IMAGE), 503, 'model_unavailable', 'model');
    });

    test('connection routes are for admins only, and check CSRF', async () => {
      const nobody = new Browser(server.url);
      expectError(await nobody.get('/api/admin/connections'), 401, 'not_signed_in');
      expectError(await admin.post('/api/admin/connections', { provider: 'openai', api_key: 'k', models: ['gpt-image-1'] }, { csrf: false }), 403, 'csrf_failed');
    });
  });
}

describe('connection tests against each provider (one real call each)', () => {
  let started: Awaited<ReturnType<typeof startLoggedServer>>;
  let admin: Browser;
  before(async () => {
    started = await startLoggedServer(path.join(tempDir(), 'aio.sqlite'));
    admin = await signInAdmin(started.server);
  });
  after(() => started?.close());

  const check = (body: object) => admin.post('/api/admin/connections/test', body).then((r) => r.body);

  test('fal: an unknown request id answers 404 with a good key, 401 with a bad one', async () => {
    const fal = await startFakeFal();
    try {
      const good = await check({ provider: 'fal', base_url: fal.url, api_key: fal.apiKey });
      assert.equal(good.ok, true, good.message);
      assert.equal(good.status, 404);
      const bad = await check({ provider: 'fal', base_url: fal.url, api_key: 'fal-key-wrong' });
      assert.deepEqual([bad.ok, bad.status], [false, 401]);
      assert.equal(fal.submits().length, 0, 'nothing was queued');
    } finally {
      await fal.close();
    }
  });

  test('Ideogram: an empty request is refused for its missing prompt with a good key, 401 with a bad one', async () => {
    const ideogram = await startFakeIdeogram();
    try {
      const good = await check({ provider: 'ideogram', base_url: ideogram.url, api_key: ideogram.apiKey });
      assert.equal(good.ok, true, good.message);
      assert.equal(good.status, 400);
      const bad = await check({ provider: 'ideogram', base_url: ideogram.url, api_key: 'ideo_wrong' });
      assert.deepEqual([bad.ok, bad.status], [false, 401]);
      assert.equal(ideogram.requests.filter((r) => r.file).length, 0, 'no image was made');
    } finally {
      await ideogram.close();
    }
  });

  test('Gemini: the model list with a good key; 400 API_KEY_INVALID with a bad one', async () => {
    const gemini = await startFakeGemini();
    try {
      const good = await check({ provider: 'gemini', base_url: gemini.url, api_key: gemini.apiKey });
      assert.equal(good.ok, true, good.message);
      assert.match(good.message, /2 models listed/);
      const bad = await check({ provider: 'gemini', base_url: gemini.url, api_key: 'AIza-wrong' });
      assert.deepEqual([bad.ok, bad.status], [false, 400]);
      assert.match(bad.message, /API_KEY_INVALID/);
    } finally {
      await gemini.close();
    }
  });

  test('an address nothing answers on, and a key left out, are said plainly', async () => {
    const { deadUrl } = await import('../fakes/http-helpers.js');
    const dead = await check({ provider: 'openai', base_url: await deadUrl(), api_key: 'sk-x' });
    assert.equal(dead.ok, false);
    assert.match(dead.message, /could not be reached/);
    const noKey = await check({ provider: 'openai' });
    assert.deepEqual(noKey, { object: 'connection_test', ok: false, message: 'Enter the API key to test it.' });
    expectError(await admin.post('/api/admin/connections/test', { provider: 'nope' }), 400, 'invalid_parameter', 'provider');
  });
});
