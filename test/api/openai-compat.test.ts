// The official `openai` npm client, unchanged, against our /v1 media routes: images in both
// response formats, OpenAI-shaped errors with our codes, the model list, speech bytes, and the
// Videos API. Test keys run everything on the local engines; one live key checks the billing.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import sharp from 'sharp';
import { probeMedia } from '../../src/media/probe.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

describe('the openai client against /v1', () => {
  let server: TestServer;
  let client: OpenAI;
  let key: string;

  before(async () => {
    server = await startTestServer();
    key = (await server.account({ test: true })).key;
    client = new OpenAI({ apiKey: key, baseURL: `${server.url}/v1`, maxRetries: 0 });
  });
  after(async () => {
    await server?.close();
  });

  test('images.generate with b64_json: a PNG of the nearest shape the model has', async () => {
    const res = await client.images.generate({ model: 'aio-poster', prompt: 'A lighthouse at dawn, poster', size: '1792x1024', response_format: 'b64_json' });
    assert.equal(typeof res.created, 'number');
    assert.equal(res.data!.length, 1);
    const png = Buffer.from(res.data![0]!.b64_json!, 'base64');
    const meta = await sharp(png).metadata();
    // 1792x1024 is 1.75:1; of aio-poster's shapes 16:9 (1280x720) is the closest.
    assert.deepEqual([meta.format, meta.width, meta.height], ['png', 1280, 720]);
  });

  test('images.generate with url and n=2: two images, two tasks, WebP as asked', async () => {
    const { data: res, response } = await client.images
      .generate({ model: 'aio-poster', prompt: 'Two cats on a sofa', n: 2, size: '1024x1536', response_format: 'url', output_format: 'webp' })
      .withResponse();
    assert.equal(res.data!.length, 2);
    const ids = response.headers.get('aio-task-ids')!.split(',');
    assert.equal(new Set(ids).size, 2, 'each image is its own task');
    for (const image of res.data!) {
      const file = await fetch(image.url!);
      assert.equal(file.status, 200);
      const meta = await sharp(Buffer.from(await file.arrayBuffer())).metadata();
      // 1024x1536 is 2:3: aio-poster's 2:3 is 832x1248.
      assert.deepEqual([meta.format, meta.width, meta.height], ['webp', 832, 1248]);
    }
    assert.notEqual(res.data![0]!.url, res.data![1]!.url);
  });

  test('a retried request with the same Idempotency-Key makes no new tasks', async () => {
    const body = { model: 'aio-poster', prompt: 'A paper boat', n: 2 };
    const headers = { 'idempotency-key': `retry-${Date.now()}` };
    const first = await server.api('POST', '/v1/images/generations', { key, body, headers });
    const again = await server.api('POST', '/v1/images/generations', { key, body, headers });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(again.headers.get('aio-task-ids'), first.headers.get('aio-task-ids'));
    assert.deepEqual(again.body.data, first.body.data);
  });

  test('a bad size is a 400 in OpenAI’s envelope with our code and the param', async () => {
    const err = await client.images.generate({ model: 'aio-poster', prompt: 'x', size: 'huge' as never }).catch((e) => e);
    assert.ok(err instanceof OpenAI.BadRequestError, String(err));
    assert.equal(err.status, 400);
    assert.equal(err.code, 'invalid_parameter');
    assert.equal(err.param, 'size');
    assert.equal(err.type, 'invalid_request_error');
    assert.match(err.message, /WIDTHxHEIGHT/);
    const raw = await server.api('POST', '/v1/images/generations', { key, body: { model: 'aio-poster', prompt: 'x', size: '0x10' } });
    assert.deepEqual(Object.keys(raw.body.error).sort(), ['code', 'message', 'param', 'type']);
    const unknown = await client.images.generate({ model: 'no-such-model', prompt: 'x' }).catch((e) => e);
    assert.equal(unknown.status, 400);
    assert.equal(unknown.code, 'model_not_found');
  });

  test('a bad key is a 401 in OpenAI’s envelope; unknown /v1 routes are OpenAI-shaped 404s', async () => {
    const stranger = new OpenAI({ apiKey: 'aio_test_notakeyatall', baseURL: `${server.url}/v1`, maxRetries: 0 });
    const err = await stranger.models.list().catch((e) => e);
    assert.ok(err instanceof OpenAI.AuthenticationError, String(err));
    assert.equal(err.status, 401);
    assert.equal(err.code, 'invalid_api_key');
    const missing = await server.api('GET', '/v1/no-such-thing', { key });
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, 'route_not_found');
    assert.equal(missing.body.error.param, null, 'OpenAI’s envelope always has param');
  });

  test('models.list: every enabled model, chat ones included, in OpenAI’s shape', async () => {
    const models = [];
    for await (const model of client.models.list()) models.push(model);
    const ids = models.map((m) => m.id);
    for (const id of ['aio-poster', 'aio-motion', 'aio-voice', 'aio-cutout', 'aio-echo']) assert.ok(ids.includes(id), id);
    assert.ok(models.every((m) => m.object === 'model' && typeof m.created === 'number' && typeof m.owned_by === 'string'));
    const one = await client.models.retrieve('aio-voice');
    assert.equal(one.id, 'aio-voice');
    const none = await client.models.retrieve('nope').catch((e) => e);
    assert.equal(none.status, 404);
  });

  test('audio.speech.create answers the audio bytes with their Content-Type', async () => {
    const res = await client.audio.speech.create({ model: 'aio-voice', voice: 'nova', input: 'Hello from the speech route.', response_format: 'wav' });
    assert.equal(res.headers.get('content-type'), 'audio/wav');
    const info = await probeMedia(Buffer.from(await res.arrayBuffer()));
    assert.equal(info.container, 'wav');
    assert.ok(info.durationS > 0.5, `speech lasts ${info.durationS}s`);
    const mp3 = await client.audio.speech.create({ model: 'aio-voice', voice: 'alloy', input: 'And in MP3.' });
    assert.equal(mp3.headers.get('content-type'), 'audio/mpeg');
    assert.equal((await probeMedia(Buffer.from(await mp3.arrayBuffer()))).audio?.codec, 'mp3');
    const music = await client.audio.speech.create({ model: 'aio-tune', voice: 'alloy', input: 'x' }).catch((e) => e);
    assert.equal(music.status, 400);
    assert.equal(music.param, 'model');
  });

  test('videos: create (multipart, as the client sends it), retrieve, list, content, thumbnail', async () => {
    const created = await client.videos.create({ model: 'aio-motion', prompt: 'Waves rolling on a beach', seconds: '3' as never, size: '720x1280' as never });
    assert.equal(created.object, 'video');
    assert.match(created.id, /^task_/);
    assert.equal(created.seconds, '3');
    assert.equal(created.size, '720x1280');
    let video = created;
    for (let i = 0; i < 600 && (video.status === 'queued' || video.status === 'in_progress'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      video = await client.videos.retrieve(created.id);
    }
    assert.equal(video.status, 'completed', JSON.stringify(video));
    assert.equal(video.progress, 100);
    assert.equal(typeof video.completed_at, 'number');
    const listed = await client.videos.list({ limit: 10 });
    assert.ok(listed.data.some((v) => v.id === created.id));
    const content = await client.videos.downloadContent(created.id);
    assert.equal(content.headers.get('content-type'), 'video/mp4');
    const info = await probeMedia(Buffer.from(await content.arrayBuffer()));
    assert.deepEqual([info.video?.codec, info.video?.width, info.video?.height], ['h264', 720, 1280]);
    assert.ok(Math.abs(info.durationS - 3) < 0.3, `${info.durationS}s`);
    const thumb = await client.videos.downloadContent(created.id, { variant: 'thumbnail' });
    assert.match(thumb.headers.get('content-type') ?? '', /^image\//);
    assert.ok((await sharp(Buffer.from(await thumb.arrayBuffer())).metadata()).width! > 0);
    const bad = await client.videos.create({ model: 'aio-motion', prompt: 'x', seconds: '7' as never }).catch((e) => e);
    assert.equal(bad.status, 400);
    assert.equal(bad.param, 'seconds');
    const gone = await client.videos.delete(created.id).catch((e) => e);
    assert.equal(gone.status, 409, 'a finished video is kept');
  });

  test('live key: each of n images is held and charged on its own; n beyond the balance makes no task', async () => {
    const live = await server.account({ credits: 2.5 });
    const paying = new OpenAI({ apiKey: live.key, baseURL: `${server.url}/v1`, maxRetries: 0 });
    const res = await paying.images.generate({ model: 'aio-poster', prompt: 'A red kite', n: 2, response_format: 'url' });
    assert.equal(res.data!.length, 2);
    // aio-poster costs 1 credit an image.
    const { balance, reserved } = await server.platform.ledger.balances(live.userId);
    assert.deepEqual([balance, reserved], [500_000, 0]);
    const refused = await paying.images.generate({ model: 'aio-poster', prompt: 'Another kite', n: 2 }).catch((e) => e);
    assert.equal(refused.status, 402);
    assert.equal(refused.code, 'insufficient_credits');
    const tasks = await server.api('GET', '/api/v1/tasks', { key: live.key });
    assert.equal(tasks.body.data.length, 2, 'the refused request made no task');
  });
});
