// The seed's request, end to end over HTTP, on both databases: 202, then queued -> running ->
// succeeded, and the image URL serves real bytes of the right format and shape.
import assert from 'node:assert/strict';
import { fromCredits } from '../../src/lib/credits.js';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { dbTargets, dropCreatedDatabases } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const SEED_BODY = {
  model: 'ideogram-v4',
  prompt: 'A clean editorial poster reading "SUMMER DESIGN WEEK", bold typography, warm daylight, modern layout',
  size: '1:1',
  rendering_speed: 'BALANCED',
  output_format: 'png',
};

async function fetchImage(url: string) {
  const res = await fetch(url);
  assert.equal(res.status, 200);
  const data = Buffer.from(await res.arrayBuffer());
  return { data, contentType: res.headers.get('content-type'), meta: await sharp(data).metadata() };
}

after(dropCreatedDatabases);

for (const target of await dbTargets()) {
  describe(`image generation on ${target.name}`, { skip: target.skip }, () => {
    let server: TestServer;
    let key: string;
    before(async () => {
      server = await startTestServer({ databaseUrl: await target.create() });
      ({ key } = await server.account({ test: true }));
    });
    after(() => server?.close());

    test("the seed's request with a test key: 202, then succeeded with a real 1:1 PNG", async () => {
      const created = await server.api('POST', '/api/v1/images/generations', { key, body: SEED_BODY });
      assert.equal(created.status, 202);
      assert.match(created.body.id, /^task_[0-9A-Za-z]{20,}$/);
      assert.equal(created.body.object, 'task');
      assert.equal(created.body.type, 'image');
      assert.equal(created.body.status, 'queued');
      assert.equal(created.body.livemode, false);
      assert.deepEqual(created.body.cost, { credits: 0, charged: false });
      assert.deepEqual(created.body.input, SEED_BODY);

      const seen = new Set<string>();
      const deadline = Date.now() + 10_000;
      let task = created.body;
      while (!['succeeded', 'failed'].includes(task.status) && Date.now() < deadline) {
        task = (await server.api('GET', `/api/v1/tasks/${created.body.id}`, { key })).body;
        seen.add(task.status);
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.equal(task.status, 'succeeded', JSON.stringify(task.error));
      assert.ok([...seen].every((s) => ['queued', 'running', 'succeeded'].includes(s)));
      assert.equal(task.node, 'local');
      assert.ok(task.started_at && task.finished_at && task.started_at <= task.finished_at);
      const [image] = task.output.images;
      assert.equal(image.format, 'png');
      assert.equal(image.width, 2048);
      assert.equal(image.height, 2048);
      const { data, contentType, meta } = await fetchImage(image.url);
      assert.equal(contentType, 'image/png');
      assert.equal(meta.format, 'png');
      assert.equal(meta.width, meta.height);
      assert.equal(data.length, image.bytes);
    });

    test('16:9 WEBP and JPEG come back in that format and shape', async () => {
      for (const [size, format, sharpFormat, ratio] of [
        ['16:9', 'webp', 'webp', 16 / 9],
        ['9:21', 'jpeg', 'jpeg', 9 / 21],
        ['21:9', 'jpeg', 'jpeg', 21 / 9],
      ] as const) {
        const created = await server.api('POST', '/api/v1/images/generations', { key, body: { ...SEED_BODY, size, output_format: format } });
        assert.equal(created.status, 202);
        const task = await server.waitForTask(created.body.id, key);
        assert.equal(task.status, 'succeeded');
        const { meta, contentType } = await fetchImage(task.output.images[0].url);
        assert.equal(meta.format, sharpFormat);
        assert.equal(contentType, `image/${format}`);
        assert.ok(Math.abs(meta.width! / meta.height! - ratio) / ratio < 0.01, `${size}: ${meta.width}x${meta.height}`);
      }
    });

    test('aio-poster on a live key costs 1 credit, charged once on success', async () => {
      const live = await server.account({ credits: 3 });
      const created = await server.api('POST', '/api/v1/images/generations', { key: live.key, body: { model: 'aio-poster', prompt: '"你好" 一张海报', seed: 7 } });
      assert.equal(created.status, 202);
      assert.deepEqual(created.body.cost, { credits: 1, charged: false });
      assert.equal(created.body.input.size, '1:1');
      assert.equal(created.body.input.output_format, 'png');
      const task = await server.waitForTask(created.body.id, live.key);
      assert.equal(task.status, 'succeeded');
      assert.deepEqual(task.cost, { credits: 1, charged: true });
      assert.equal(task.livemode, true);
      assert.equal(task.output.images[0].seed, 7);
      assert.deepEqual(await server.platform.ledger.balances(live.userId), { balance: fromCredits(2), reserved: 0 });
      const kinds = (await server.platform.ledger.list(live.userId, { limit: 10 })).map((e) => e.kind).sort();
      assert.deepEqual(kinds, ['capture', 'grant', 'hold']);
    });

    test('Prefer: wait answers with the finished task', async () => {
      const res = await server.api('POST', '/api/v1/images/generations', { key, body: { model: 'aio-poster', prompt: 'quick' }, headers: { prefer: 'wait=20' } });
      assert.equal(res.status, 200);
      assert.equal(res.body.status, 'succeeded');
    });

    test('Idempotency-Key replays the first answer and never makes a second task', async () => {
      const live = await server.account({ credits: 5 });
      const body = { model: 'aio-poster', prompt: 'idempotent' };
      const first = await server.api('POST', '/api/v1/images/generations', { key: live.key, body, headers: { 'idempotency-key': 'abc-1' } });
      const second = await server.api('POST', '/api/v1/images/generations', { key: live.key, body, headers: { 'idempotency-key': 'abc-1' } });
      assert.equal(first.status, 202);
      assert.equal(second.status, 202);
      assert.equal(second.body.id, first.body.id);
      assert.equal(second.headers.get('idempotent-replayed'), 'true');
      const reused = await server.api('POST', '/api/v1/images/generations', { key: live.key, body: { ...body, prompt: 'other' }, headers: { 'idempotency-key': 'abc-1' } });
      assert.equal(reused.status, 422);
      assert.equal(reused.body.error.code, 'idempotency_key_reused');
      await server.waitForTask(first.body.id, live.key);
      assert.equal((await server.platform.ledger.balances(live.userId)).balance, fromCredits(4));
    });

    test('queued tasks can be canceled and are refunded', async () => {
      const live = await server.account({ credits: 2 });
      // Fill the local node's lanes so the next task stays queued long enough to cancel.
      const blockers = await Promise.all(
        Array.from({ length: 6 }, () => server.api('POST', '/api/v1/images/generations', { key, body: { ...SEED_BODY, size: '16:9' } })),
      );
      const created = await server.api('POST', '/api/v1/images/generations', { key: live.key, body: { model: 'aio-poster', prompt: 'cancel me' } });
      const canceled = await server.api('POST', `/api/v1/tasks/${created.body.id}/cancel`, { key: live.key });
      if (canceled.status === 200) {
        assert.equal(canceled.body.status, 'canceled');
        assert.deepEqual(await server.platform.ledger.balances(live.userId), { balance: fromCredits(2), reserved: 0 });
      } else {
        // It had already started: then it may not be canceled, and is charged on success.
        assert.equal(canceled.status, 409);
        assert.equal(canceled.body.error.code, 'task_not_cancelable');
      }
      for (const b of blockers) await server.waitForTask(b.body.id, key);
    });
  });
}
