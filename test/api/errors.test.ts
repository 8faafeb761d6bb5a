// Every bad input gets its status and stable error.code, never a 500, and loses nothing.
import assert from 'node:assert/strict';
import { fromCredits } from '../../src/lib/credits.js';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { expectError } from '../helpers/assert-error.js';

const GEN = '/api/v1/images/generations';

describe('API errors', () => {
  let server: TestServer;
  let test_: { key: string; userId: string };
  before(async () => {
    server = await startTestServer({ env: { AIO_BODY_LIMIT_BYTES: '16384' } });
    test_ = await server.account({ test: true });
  });
  after(() => server?.close());


  const bodies: Array<[string, unknown, string, string]> = [
    ['missing prompt', { model: 'ideogram-v4' }, 'missing_parameter', 'prompt'],
    ['blank prompt', { model: 'ideogram-v4', prompt: '   ' }, 'invalid_parameter', 'prompt'],
    ['prompt too long', { model: 'ideogram-v4', prompt: 'x'.repeat(4001) }, 'invalid_parameter', 'prompt'],
    ['prompt not a string', { model: 'ideogram-v4', prompt: 42 }, 'invalid_parameter', 'prompt'],
    ['missing model', { prompt: 'a cat' }, 'missing_parameter', 'model'],
    ['unknown model', { model: 'nope-1', prompt: 'a cat' }, 'model_not_found', 'model'],
    ['bad size', { model: 'ideogram-v4', prompt: 'a cat', size: '5:4' }, 'invalid_parameter', 'size'],
    ['bad speed', { model: 'ideogram-v4', prompt: 'a cat', rendering_speed: 'FAST' }, 'invalid_parameter', 'rendering_speed'],
    ['bad format', { model: 'ideogram-v4', prompt: 'a cat', output_format: 'gif' }, 'invalid_parameter', 'output_format'],
    ['seed not an integer', { model: 'ideogram-v4', prompt: 'a cat', seed: 1.5 }, 'invalid_parameter', 'seed'],
    ['seed too large', { model: 'ideogram-v4', prompt: 'a cat', seed: 2 ** 31 }, 'invalid_parameter', 'seed'],
    ['negative prompt on ideogram-v4', { model: 'ideogram-v4', prompt: 'a cat', negative_prompt: 'dogs' }, 'unsupported_parameter', 'negative_prompt'],
    ['unknown parameter', { model: 'ideogram-v4', prompt: 'a cat', n: 2 }, 'unknown_parameter', 'n'],
  ];
  for (const [name, body, code, param] of bodies) {
    test(`400 ${code} for ${name}`, async () => {
      await expectError(await server.api('POST', GEN, { key: test_.key, body }), 400, code, param);
    });
  }

  test('400 for a body that is not a JSON object, or not JSON at all', async () => {
    await expectError(await server.api('POST', GEN, { key: test_.key, body: ['a'] }), 400, 'invalid_request_body');
    await expectError(await server.api('POST', GEN, { key: test_.key, raw: '{"model":', headers: { 'content-type': 'application/json' } }), 400, 'invalid_json');
    await expectError(await server.api('POST', GEN, { key: test_.key, raw: '', headers: { 'content-type': 'application/json' } }), 400, 'invalid_json');
  });

  test('accepted aliases: DEFAULT is BALANCED, jpg is jpeg', async () => {
    const res = await server.api('POST', GEN, { key: test_.key, body: { model: 'aio-poster', prompt: 'x', rendering_speed: 'DEFAULT', output_format: 'jpg' } });
    assert.equal(res.status, 202);
    assert.equal(res.body.input.rendering_speed, 'BALANCED');
    assert.equal(res.body.input.output_format, 'jpeg');
  });

  test('413 for a body over the limit, 415 for a body that is not JSON', async () => {
    await expectError(await server.api('POST', GEN, { key: test_.key, body: { model: 'aio-poster', prompt: 'x'.repeat(20000) } }), 413, 'request_too_large');
    await expectError(await server.api('POST', GEN, { key: test_.key, raw: 'model=aio-poster', headers: { 'content-type': 'text/plain' } }), 415, 'unsupported_media_type');
    await expectError(
      await server.api('POST', GEN, { key: test_.key, raw: 'model=aio-poster', headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
      415,
      'unsupported_media_type',
    );
  });

  test('401 for a missing, malformed, unknown or revoked key', async () => {
    const body = { model: 'aio-poster', prompt: 'x' };
    await expectError(await server.api('POST', GEN, { body }), 401, 'missing_api_key');
    await expectError(await server.api('POST', GEN, { body, headers: { authorization: 'Basic abc' } }), 401, 'invalid_api_key');
    await expectError(await server.api('POST', GEN, { key: 'aio_nottherightshape', body }), 401, 'invalid_api_key');
    await expectError(await server.api('POST', GEN, { key: `aio_${'A'.repeat(40)}`, body }), 401, 'invalid_api_key');
    const account = await server.account({ test: true });
    assert.equal((await server.api('POST', GEN, { key: account.key, body })).status, 202);
    await server.platform.keys.revoke(account.keyId);
    await expectError(await server.api('POST', GEN, { key: account.key, body }), 401, 'api_key_revoked');
    await expectError(await server.api('GET', '/api/v1/tasks/task_x', { key: account.key }), 401, 'api_key_revoked');
  });

  test('402 and no task for a live key without credits', async () => {
    const broke = await server.account({ credits: 0 });
    await expectError(await server.api('POST', GEN, { key: broke.key, body: { model: 'aio-poster', prompt: 'x' } }), 402, 'insufficient_credits');
    const tasks = await server.platform.tasks.list(broke.userId, { limit: 10 });
    assert.equal(tasks.length, 0);
    assert.deepEqual(await server.platform.ledger.balances(broke.userId), { balance: 0, reserved: 0 });
  });

  test('503 model_unavailable for a live key on a model without an upstream, credits kept', async () => {
    const rich = await server.account({ credits: 100 });
    const res = await server.api('POST', GEN, { key: rich.key, body: { model: 'ideogram-v4', prompt: 'x' } });
    await expectError(res, 503, 'model_unavailable', 'model');
    // The customer is told the model is unavailable; what to configure is the operator's business.
    assert.doesNotMatch(res.body.error.message, /IDEOGRAM_API_KEY|node63/);
    assert.deepEqual(await server.platform.ledger.balances(rich.userId), { balance: fromCredits(100), reserved: 0 });
    assert.equal((await server.platform.tasks.list(rich.userId, { limit: 10 })).length, 0);
    const model = await server.api('GET', '/api/v1/models/ideogram-v4');
    assert.equal(model.body.available, false);
  });

  test("404 for another account's task, exactly like a missing one", async () => {
    const owner = await server.account({ test: true });
    const created = await server.api('POST', GEN, { key: owner.key, body: { model: 'aio-poster', prompt: 'mine' } });
    const other = await server.api('GET', `/api/v1/tasks/${created.body.id}`, { key: test_.key });
    const missing = await server.api('GET', `/api/v1/tasks/task_doesnotexist`, { key: test_.key });
    await expectError(other, 404, 'task_not_found');
    assert.deepEqual({ ...other.body.error, message: '' }, { ...missing.body.error, message: '' });
    assert.equal((await server.api('GET', `/api/v1/tasks/${created.body.id}`, { key: owner.key })).status, 200);
  });

  test('404 for unknown routes and models', async () => {
    await expectError(await server.api('GET', '/api/v1/nothing-here'), 404, 'route_not_found');
    await expectError(await server.api('GET', '/api/v1/models/nope'), 404, 'model_not_found');
  });

  test('429 with Retry-After once a key passes its rate limit', async () => {
    const limited = await startTestServer({ env: { AIO_RATE_LIMIT_PER_MINUTE: '3' } });
    try {
      const { key } = await limited.account({ test: true });
      for (let i = 0; i < 3; i++) assert.equal((await limited.api('GET', '/api/v1/tasks/task_x', { key })).status, 404);
      const res = await limited.api('GET', '/api/v1/tasks/task_x', { key });
      await expectError(res, 429, 'rate_limit_exceeded');
      assert.ok(Number(res.headers.get('retry-after')) >= 1);
    } finally {
      await limited.close();
    }
  });

  test('the public catalog lists models with parameters and prices', async () => {
    const list = await server.api('GET', '/api/v1/models');
    assert.equal(list.status, 200);
    const ids = list.body.data.map((m: any) => m.id);
    assert.ok(ids.includes('ideogram-v4') && ids.includes('aio-poster'));
    const model = (await server.api('GET', '/api/v1/models/ideogram-v4')).body;
    assert.equal(model.price.credits, 12);
    assert.equal(model.price.usd, 0.12);
    assert.equal(model.price.unit, 'image');
    assert.equal(model.endpoint, '/api/v1/images/generations');
    assert.equal(model.nodes, undefined, 'public models do not name worker nodes');
    const size = model.parameters.find((p: any) => p.name === 'size');
    assert.deepEqual(size.values, ['1:1', '16:9', '9:16', '3:4', '4:3', '3:2', '2:3', '9:21', '21:9']);
    assert.equal(size.default, '1:1');
    assert.deepEqual(model.parameters.find((p: any) => p.name === 'rendering_speed').values, ['TURBO', 'BALANCED', 'QUALITY']);
  });

  test('the OpenAPI document lists the catalog values the gateway enforces', async () => {
    const doc = (await server.api('GET', '/api/v1/openapi.json')).body;
    assert.equal(doc.openapi, '3.1.0');
    const request = doc.paths['/api/v1/images/generations'].post.requestBody.content['application/json'].schema;
    assert.ok(request.properties.model.examples.includes('ideogram-v4') && request.properties.model.examples.includes('aio-poster'));
    assert.ok(request.properties.size.anyOf.some((s: any) => s.const === '21:9'));
    assert.deepEqual(request.required.sort(), ['model', 'prompt']);
    assert.ok(doc.paths['/api/v1/images/generations'].post.responses['402']);
  });

  test('health and readiness', async () => {
    assert.deepEqual((await server.api('GET', '/healthz')).body, { status: 'ok' });
    const ready = await server.api('GET', '/readyz');
    assert.equal(ready.status, 200);
    assert.equal(ready.body.database, 'sqlite');
  });
});
