// The SDK (imported from its source) against a real server, directly and through a proxy that
// fails on cue: results, typed errors, retries that never make a second task, Retry-After,
// wait() on the event stream and its fallback to polling, chat streaming.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import {
  Aio,
  AioError,
  AuthenticationError,
  ConflictError,
  ConnectionError,
  InvalidRequestError,
  NotFoundError,
  ServerError,
  TaskFailedError,
  readSse,
  retryAfterMs,
  type TaskEvent,
} from '../../packages/sdk/src/index.js';
import { probeMedia } from '../../src/media/probe.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { startFaultProxy, type FaultProxy } from './fault-proxy.js';

const PNG_4X4 = async () => `data:image/png;base64,${(await sharp({ create: { width: 40, height: 30, channels: 3, background: '#3366cc' } }).png().toBuffer()).toString('base64')}`;

describe('SDK against a real server', () => {
  let server: TestServer;
  let proxy: FaultProxy;
  let key: string;
  let aio: Aio;
  /** Through the proxy, with retries fast enough for a test (their count is what is checked). */
  let flaky: Aio;

  before(async () => {
    server = await startTestServer();
    proxy = await startFaultProxy(server.url);
    key = (await server.account({ test: true })).key;
    aio = new Aio({ baseUrl: server.url, apiKey: key });
    flaky = new Aio({ baseUrl: proxy.url, apiKey: key, maxRetries: 2 });
  });
  after(async () => {
    await proxy?.close();
    await server?.close();
  });

  test('images, videos, audio and tools: createAndWait answers the finished task; download gives its bytes', async () => {
    const image = await aio.images.createAndWait({ model: 'aio-poster', prompt: 'A kite over hills', size: '4:3', output_format: 'jpeg' });
    assert.equal(image.status, 'succeeded');
    const jpeg = await sharp(Buffer.from(await aio.download(image.output!.images[0]!.url))).metadata();
    assert.deepEqual([jpeg.format, jpeg.width, jpeg.height], ['jpeg', 1280, 960]);

    const speech = await aio.audio.createAndWait({ model: 'aio-voice', text: 'Typed and tested.', format: 'flac' });
    const flac = await probeMedia(Buffer.from(await aio.download(speech.output!.audio[0]!.url)));
    assert.equal(flac.audio?.codec, 'flac');

    const cutout = await aio.tools.createAndWait({ model: 'aio-cutout', image_url: await PNG_4X4() });
    const png = await sharp(Buffer.from(await aio.download(cutout.output!.images[0]!.url))).metadata();
    assert.deepEqual([png.format, png.hasAlpha], ['png', true]);

    const events: TaskEvent[] = [];
    const queued = await aio.videos.create({ model: 'aio-motion', prompt: 'Clouds', duration: 3, aspect_ratio: '1:1' });
    assert.equal(queued.status, 'queued');
    const video = await aio.wait(queued, { onEvent: (e) => events.push(e) });
    assert.equal(video.status, 'succeeded');
    assert.deepEqual(events.slice(0, 2).map((e) => e.type), ['queued', 'running'], 'the stream replays the task’s events from the start');
    assert.deepEqual(events.map((e) => e.seq), events.map((_, i) => i + 1));
    assert.equal(events[0]!.task_id, queued.id);
  });

  test('typed errors carry status, code, param and the request id', async () => {
    const bad = await aio.images.create({ model: 'aio-poster', prompt: 'x', seed: -1 }).catch((e) => e);
    assert.ok(bad instanceof InvalidRequestError);
    assert.deepEqual([bad.status, bad.code, bad.param], [400, 'invalid_parameter', 'seed']);
    assert.match(bad.requestId ?? '', /^req_\w+$/);
    const missing = await aio.tasks.get('task_nope').catch((e) => e);
    assert.ok(missing instanceof NotFoundError);
    assert.equal(missing.code, 'task_not_found');
    const stranger = await new Aio({ baseUrl: server.url, apiKey: 'aio_test_nobody' }).tasks.list().catch((e) => e);
    assert.ok(stranger instanceof AuthenticationError);
    assert.equal(stranger.status, 401);
    const done = await aio.images.createAndWait({ model: 'aio-poster', prompt: 'Finished already' });
    const late = await aio.tasks.cancel(done.id).catch((e) => e);
    assert.ok(late instanceof ConflictError);
    assert.equal(late.code, 'task_not_cancelable');
  });

  test('tasks.list pages with starting_after and filters by type', async () => {
    for (const prompt of ['one', 'two', 'three']) await aio.images.create({ model: 'aio-poster', prompt });
    await aio.videos.create({ model: 'aio-motion', prompt: 'four', duration: 3 });
    const first = await aio.tasks.list({ limit: 2 });
    assert.equal(first.data.length, 2);
    assert.equal(first.has_more, true);
    const next = await aio.tasks.list({ limit: 2, starting_after: first.data[1]!.id });
    assert.ok(next.data.every((t) => t.id < first.data[1]!.id));
    const videos = await aio.tasks.list({ type: 'video' });
    assert.ok(videos.data.length >= 1 && videos.data.every((t) => t.type === 'video'));
  });

  test('an answer lost after the server made the task: the retry carries the same Idempotency-Key and makes no second task', async () => {
    const before = (await aio.tasks.list({ limit: 100 })).data.length;
    proxy.inject(/^POST \/api\/v1\/images\/generations/, { kind: 'drop-after' });
    const from = proxy.seen.length;
    const task = await flaky.images.create({ model: 'aio-poster', prompt: 'Lost answer' });
    const posts = proxy.seen.slice(from).filter((s) => s.method === 'POST');
    assert.equal(posts.length, 2);
    assert.equal(posts[0]!.fault, 'drop-after');
    assert.ok(posts[0]!.idempotencyKey);
    assert.equal(posts[1]!.idempotencyKey, posts[0]!.idempotencyKey);
    assert.equal((await aio.tasks.list({ limit: 100 })).data.length, before + 1, 'one task, not two');
    assert.equal((await aio.tasks.list({ limit: 1 })).data[0]!.id, task.id);
  });

  test('503 and dropped connections are retried; each call has its own key', async () => {
    proxy.inject(/^POST \/api\/v1\/images\/generations/, { kind: 'status', status: 503, code: 'overloaded' });
    proxy.inject(/^POST \/api\/v1\/images\/generations/, { kind: 'drop-before' });
    const from = proxy.seen.length;
    const one = await flaky.images.create({ model: 'aio-poster', prompt: 'Third time lucky' });
    const two = await flaky.images.create({ model: 'aio-poster', prompt: 'Third time lucky' });
    assert.notEqual(one.id, two.id, 'two calls are two tasks');
    const keys = proxy.seen.slice(from).map((s) => s.idempotencyKey);
    assert.equal(keys.length, 4);
    assert.equal(new Set(keys.slice(0, 3)).size, 1, 'the first call’s three attempts share a key');
    assert.notEqual(keys[3], keys[0]);
  });

  test('429 waits for Retry-After before retrying', async () => {
    proxy.inject(/^GET \/api\/v1\/tasks\?/, { kind: 'status', status: 429, code: 'rate_limit_exceeded', retryAfter: '1' });
    const from = proxy.seen.length;
    await flaky.tasks.list({ limit: 1 });
    const [limited, retried] = proxy.seen.slice(from);
    // A lower bound only: the SDK must not come back before the server said it may.
    assert.ok(retried!.at - limited!.at >= 990, `retried after ${retried!.at - limited!.at} ms`);
    assert.equal(retryAfterMs('2'), 2000);
    assert.equal(retryAfterMs(new Date(Date.now() + 3000).toUTCString(), Date.now()) ! > 1000, true);
  });

  test('out of retries: the last error is thrown, typed; a 400 is never retried', async () => {
    proxy.inject(/^GET \/api\/v1\/tasks(\?|$)/, { kind: 'status', status: 502, code: 'bad_gateway' }, 3);
    const failed = await flaky.tasks.list().catch((e) => e);
    assert.ok(failed instanceof ServerError);
    assert.deepEqual([failed.status, failed.code], [502, 'bad_gateway']);
    const from = proxy.seen.length;
    await flaky.images.create({ model: 'aio-poster', prompt: '' }).catch((e) => assert.ok(e instanceof InvalidRequestError));
    assert.equal(proxy.seen.length - from, 1);
    const down = await new Aio({ baseUrl: 'http://127.0.0.1:9', apiKey: key, maxRetries: 0 }).tasks.list().catch((e) => e);
    assert.ok(down instanceof ConnectionError);
    assert.equal(down.code, 'connection_error');
  });

  test('wait() polls when the server has no event stream (404 route_not_found)', async () => {
    proxy.inject(/\/events$/, { kind: 'status', status: 404, code: 'route_not_found' }, Infinity);
    const events: TaskEvent[] = [];
    const task = await flaky.videos.create({ model: 'aio-motion', prompt: 'Polling', duration: 3 });
    const from = proxy.seen.length;
    const done = await flaky.wait(task, { pollIntervalMs: 50, onEvent: (e) => events.push(e) });
    assert.equal(done.status, 'succeeded');
    const after = proxy.seen.slice(from);
    assert.equal(after[0]!.path, `/api/v1/tasks/${task.id}/events`);
    assert.ok(after.slice(1).every((s) => s.path === `/api/v1/tasks/${task.id}`), 'then polls the task');
    assert.ok(events.length >= 1 && events.every((e) => e.task_id === task.id));
  });

  test('wait() gives up at timeoutMs (the task goes on); createAndWait throws TaskFailedError for a failed task', async () => {
    const task = await aio.videos.create({ model: 'aio-motion', prompt: 'Slow', duration: 10, resolution: '1080p' });
    const late = await aio.wait(task, { timeoutMs: 1 }).catch((e) => e);
    assert.ok(late instanceof AioError);
    assert.equal(late.code, 'wait_timeout');
    assert.equal((await aio.wait(task)).status, 'succeeded');
    // The input image cannot be fetched (a private address): the task fails on the worker, refunded.
    const failed = await aio.tools.createAndWait({ model: 'aio-cutout', image_url: 'http://127.0.0.1:9/none.png' }).catch((e) => e);
    assert.ok(failed instanceof TaskFailedError, String(failed));
    assert.equal(failed.task.status, 'failed');
    assert.equal(failed.code, failed.task.error!.code);
    assert.match(failed.task.id, /^task_/);
  });

  test('chat: a completion, and the same answer streamed', async () => {
    const messages = [{ role: 'user' as const, content: 'Stream me' }];
    const whole = await aio.chat.completions.create({ model: 'aio-echo', messages });
    const streamed = await (await aio.chat.completions.create({ model: 'aio-echo', messages, stream: true })).text();
    assert.equal(streamed, whole.choices[0]!.message.content);
    assert.match(streamed, /Stream me/);
  });

  test('the SSE reader: CRLF split across chunks, multi-line data, comments, ids, a BOM', async () => {
    const parts = ['\uFEFF: hi\r', '\nid: 7\r\nevent: pro', 'gress\r\ndata: {"a":\ndata: 1}\r\n\r\n', 'data: last\n\n'];
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        for (const p of parts) c.enqueue(new TextEncoder().encode(p));
        c.close();
      },
    });
    const got = [];
    for await (const m of readSse(body)) got.push(m);
    assert.deepEqual(got, [
      { event: 'progress', data: '{"a":\n1}', id: '7' },
      { event: 'message', data: 'last', id: '7' },
    ]);
  });
});
