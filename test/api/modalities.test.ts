// Every modality behind one key (issue 7's acceptance): test keys get real media from the local
// engines, checked by probing the files; live keys go through the fal adapter to a fake fal queue
// and are charged exactly once, refunded on failure and on a cancel fal accepted.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { fromCredits } from '../../src/lib/credits.js';
import { isSilent, probeMedia } from '../../src/media/probe.js';
import { startFakeFal, type FakeFal } from '../fakes/fal-server.js';
import { expectError } from '../helpers/assert-error.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const VIDEO = '/api/v1/videos/generations';
const AUDIO = '/api/v1/audio/generations';
const TOOLS = '/api/v1/tools/runs';

async function download(url: string): Promise<Buffer> {
  const res = await fetch(url);
  assert.equal(res.status, 200, url);
  return Buffer.from(await res.arrayBuffer());
}

async function pngDataUrl(width: number, height: number): Promise<string> {
  // A red disc on a plain white background: something to cut out.
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#fff"/><circle cx="${width / 2}" cy="${height / 2}" r="${Math.min(width, height) / 4}" fill="#d22"/></svg>`;
  return `data:image/png;base64,${(await sharp(Buffer.from(svg)).png().toBuffer()).toString('base64')}`;
}

/** The ledger agrees with the balances: SUM(amount) = balance, SUM(reserved_delta) = reserved. */
async function assertLedgerBalanced(server: TestServer, userId: string) {
  const [balances, sums] = await Promise.all([server.platform.ledger.balances(userId), server.platform.ledger.sums(userId)]);
  assert.deepEqual({ balance: sums.amount, reserved: sums.reserved }, balances);
}

describe('every modality in test mode, served by the local engines', () => {
  let server: TestServer;
  let key: string;
  before(async () => {
    server = await startTestServer();
    ({ key } = await server.account({ test: true }));
  });
  after(() => server.close());

  const run = async (route: string, body: unknown) => {
    const res = await server.api('POST', route, { key, body, headers: { prefer: 'wait=60' } });
    assert.ok(res.status === 200 || res.status === 202, JSON.stringify(res.body));
    const task = res.status === 200 ? res.body : await server.waitForTask(res.body.id, key, 120_000);
    assert.equal(task.status, 'succeeded', JSON.stringify(task.error));
    assert.equal(task.livemode, false);
    assert.deepEqual(task.cost, { credits: 0, charged: false });
    const read = await server.api('GET', `/api/v1/tasks/${task.id}`, { key });
    assert.deepEqual(read.body.output, task.output);
    return task;
  };

  test('a 5 s 16:9 kling-v2.6-pro video is a real H.264 MP4 of that shape and length, with a thumbnail', async () => {
    const task = await run(VIDEO, { model: 'kling-v2.6-pro', prompt: 'A paper boat on a rainy street', duration: 5, aspect_ratio: '16:9' });
    assert.equal(task.type, 'video');
    const [video] = task.output.videos;
    const info = await probeMedia(await download(video.url));
    assert.equal(info.video?.codec, 'h264');
    assert.ok(Math.abs(info.video!.width / info.video!.height - 16 / 9) < 0.01, `${info.video!.width}x${info.video!.height}`);
    assert.ok(Math.abs(info.durationS - 5) <= 0.1, `lasts ${info.durationS} s`);
    assert.deepEqual([video.width, video.height, video.format], [info.video!.width, info.video!.height, 'mp4']);
    const thumb = await sharp(await download(video.thumbnail_url)).metadata();
    assert.equal(thumb.format, 'jpeg');
    assert.ok(Math.abs(thumb.width! / thumb.height! - 16 / 9) < 0.02);
  });

  test('aio-voice speaks Chinese and English: longer than 1 s and not silence', async () => {
    const task = await run(AUDIO, { model: 'aio-voice', text: '你好，欢迎使用 API in One. Hello and welcome.' });
    const [audio] = task.output.audio;
    const data = await download(audio.url);
    const info = await probeMedia(data);
    assert.equal(audio.format, 'mp3');
    assert.ok(info.durationS > 1, `${info.durationS} s`);
    assert.equal(await isSilent(data), false);
  });

  test('a 10 s aio-tune piece lasts 10 s', async () => {
    const task = await run(AUDIO, { model: 'aio-tune', prompt: 'a happy piano tune', duration: 10, format: 'wav' });
    const data = await download(task.output.audio[0].url);
    const info = await probeMedia(data);
    assert.ok(Math.abs(info.durationS - 10) <= 0.5, `${info.durationS} s`);
    assert.equal(await isSilent(data), false);
  });

  test('aio-upscale with scale 2 gives exactly twice the width and height', async () => {
    const task = await run(TOOLS, { model: 'aio-upscale', image_url: await pngDataUrl(123, 77), scale: 2 });
    const meta = await sharp(await download(task.output.images[0].url)).metadata();
    assert.deepEqual([meta.width, meta.height], [246, 154]);
  });

  test('aio-cutout gives a PNG with an alpha channel, the background transparent', async () => {
    const task = await run(TOOLS, { model: 'aio-cutout', image_url: await pngDataUrl(200, 160) });
    const data = await download(task.output.images[0].url);
    const meta = await sharp(data).metadata();
    assert.equal(meta.format, 'png');
    assert.equal(meta.hasAlpha, true);
    const { data: px, info } = await sharp(data).raw().toBuffer({ resolveWithObject: true });
    assert.equal(px[3], 0, 'the corner is transparent');
    const centre = (Math.floor(info.height / 2) * info.width + Math.floor(info.width / 2)) * 4;
    assert.equal(px[centre + 3], 255, 'the subject is opaque');
  });

  test('a test key reaches a live-only model through its local engine (birefnet-v2, clarity-upscaler)', async () => {
    const cut = await run(TOOLS, { model: 'birefnet-v2', image_url: await pngDataUrl(64, 64) });
    assert.equal((await sharp(await download(cut.output.images[0].url)).metadata()).hasAlpha, true);
    const up = await run(TOOLS, { model: 'clarity-upscaler', image_url: await pngDataUrl(50, 40), scale: 4 });
    assert.deepEqual([up.output.images[0].width, up.output.images[0].height], [200, 160]);
  });

  test('uploaded files are inputs, readable only by their owner', async () => {
    const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#0af' } }).png().toBuffer();
    const form = new FormData();
    form.append('file', new Blob([png], { type: 'image/png' }), 'in.png');
    const res = await fetch(`${server.url}/api/v1/files`, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body: form });
    assert.equal(res.status, 201);
    const file = (await res.json()) as { id: string; uri: string; url: string };
    const task = await run(TOOLS, { model: 'aio-upscale', image_url: file.uri, scale: 4 });
    assert.deepEqual([task.output.images[0].width, task.output.images[0].height], [160, 120]);
    const other = await server.account({ test: true });
    await expectError(await server.api('GET', `/api/v1/files/${file.id}`, { key: other.key }), 404, 'file_not_found');
    const theirs = await server.api('POST', TOOLS, { key: other.key, body: { model: 'aio-upscale', image_url: file.uri }, headers: { prefer: 'wait=30' } });
    assert.equal(theirs.body.status, 'failed', 'another account cannot use the file');
    assert.equal(theirs.body.error.code, 'invalid_image_url');
  });

  test('bad inputs are refused with the parameter named, and nothing is made', async () => {
    await expectError(await server.api('POST', VIDEO, { key, body: { model: 'kling-v2.6-pro', prompt: 'x', duration: 7 } }), 400, 'invalid_parameter', 'duration');
    await expectError(await server.api('POST', VIDEO, { key, body: { model: 'veo-3.1', prompt: 'x', aspect_ratio: '1:1' } }), 400, 'invalid_parameter', 'aspect_ratio');
    await expectError(await server.api('POST', VIDEO, { key, body: { model: 'veo-3.1', prompt: 'x', image_url: 'https://example.com/a.png' } }), 400, 'unsupported_parameter', 'image_url');
    await expectError(await server.api('POST', VIDEO, { key, body: { model: 'aio-tune', prompt: 'x' } }), 400, 'model_not_found', 'model');
    await expectError(await server.api('POST', AUDIO, { key, body: { model: 'aio-voice', prompt: 'x' } }), 400, 'unsupported_parameter', 'prompt');
    await expectError(await server.api('POST', AUDIO, { key, body: { model: 'aio-voice', text: 'x', speed: 5 } }), 400, 'invalid_parameter', 'speed');
    await expectError(await server.api('POST', AUDIO, { key, body: { model: 'aio-tune', prompt: 'x', duration: 1000 } }), 400, 'invalid_parameter', 'duration');
    await expectError(await server.api('POST', TOOLS, { key, body: { model: 'aio-upscale', image_url: 'ftp://x/y.png' } }), 400, 'invalid_parameter', 'image_url');
    await expectError(await server.api('POST', TOOLS, { key, body: { model: 'aio-cutout' } }), 400, 'missing_parameter', 'image_url');
    await expectError(await server.api('POST', TOOLS, { key, body: { model: 'aio-cutout', image_url: 'data:image/png;base64,AAAA', scale: 2 } }), 400, 'unsupported_parameter', 'scale');
  });

  test('a tool whose input URL points at a private address fails the task without fetching it', async () => {
    const res = await server.api('POST', TOOLS, { key, body: { model: 'aio-upscale', image_url: `${server.url}/healthz` }, headers: { prefer: 'wait=30' } });
    assert.equal(res.body.status, 'failed');
    assert.equal(res.body.error.code, 'invalid_image_url');
    assert.match(res.body.error.message, /not allowed|private|loopback/i);
  });
});

describe('live video on a fake fal queue', () => {
  let fal: FakeFal;
  let server: TestServer;
  before(async () => {
    fal = await startFakeFal();
    server = await startTestServer({ env: { FAL_KEY: fal.apiKey, FAL_BASE_URL: fal.url, AIO_POLL_MS: '10', AIO_MAX_ATTEMPTS: '1' } });
  });
  after(async () => {
    await server.close();
    await fal.close();
  });

  test('a 5 s Kling video charges exactly 35 credits, once', async () => {
    fal.reset();
    const account = await server.account({ credits: 100 });
    const created = await server.api('POST', VIDEO, { key: account.key, body: { model: 'kling-v2.6-pro', prompt: 'A fox in the snow', duration: 5, aspect_ratio: '9:16' } });
    assert.equal(created.status, 202);
    assert.deepEqual(created.body.cost, { credits: 35, charged: false });
    const task = await server.waitForTask(created.body.id, account.key, 60_000);
    assert.equal(task.status, 'succeeded', JSON.stringify(task.error));
    assert.deepEqual(task.cost, { credits: 35, charged: true });
    const info = await probeMedia(await download(task.output.videos[0].url));
    assert.ok(Math.abs(info.video!.width / info.video!.height - 9 / 16) < 0.01);
    assert.deepEqual(await server.platform.ledger.balances(account.userId), { balance: fromCredits(65), reserved: 0 });
    const kinds = (await server.platform.ledger.list(account.userId, { limit: 10 })).map((e) => e.kind).sort();
    assert.deepEqual(kinds, ['capture', 'grant', 'hold']);
    const submitted = fal.submits().at(-1)!;
    assert.match(submitted.path, /kling-video\/v2\.6\/pro\/text-to-video$/);
    assert.equal((submitted.body as { duration: string }).duration, '5');
    await assertLedgerBalanced(server, account.userId);
  });

  test('with audio it is priced at the audio rate: 14 credits a second', async () => {
    const account = await server.account({ credits: 200 });
    const created = await server.api('POST', VIDEO, { key: account.key, body: { model: 'kling-v2.6-pro', prompt: 'Rain on a tin roof', duration: 10, audio: true } });
    assert.deepEqual(created.body.cost, { credits: 140, charged: false });
    const task = await server.waitForTask(created.body.id, account.key, 60_000);
    assert.deepEqual(task.cost, { credits: 140, charged: true });
    await assertLedgerBalanced(server, account.userId);
  });

  test('an error body at the result URL fails the task and returns every credit', async () => {
    fal.reset();
    fal.failResult(422, { detail: [{ loc: ['body', 'prompt'], msg: 'The prompt could not be processed', type: 'value_error' }] });
    const account = await server.account({ credits: 35 });
    const created = await server.api('POST', VIDEO, { key: account.key, body: { model: 'kling-v2.6-pro', prompt: 'x', duration: 5 } });
    const task = await server.waitForTask(created.body.id, account.key, 60_000);
    assert.equal(task.status, 'failed');
    assert.deepEqual(task.cost, { credits: 35, charged: false });
    assert.doesNotMatch(task.error.message, /could not be processed/, "the upstream's words stay in our log");
    assert.deepEqual(await server.platform.ledger.balances(account.userId), { balance: fromCredits(35), reserved: 0 });
    await assertLedgerBalanced(server, account.userId);
  });

  test('a video of the wrong length is refused and refunded', async () => {
    fal.reset();
    fal.wrongDuration = true;
    const account = await server.account({ credits: 70 });
    const created = await server.api('POST', VIDEO, { key: account.key, body: { model: 'kling-v2.6-pro', prompt: 'x', duration: 10 } });
    const task = await server.waitForTask(created.body.id, account.key, 60_000);
    fal.reset();
    assert.equal(task.status, 'failed');
    assert.equal(task.error.code, 'upstream_bad_response');
    assert.deepEqual(await server.platform.ledger.balances(account.userId), { balance: fromCredits(70), reserved: 0 });
  });

  test('cancelling a task still in fal’s queue cancels the fal request and refunds', async () => {
    fal.reset();
    fal.holdInQueue = true;
    try {
      const account = await server.account({ credits: 35 });
      const created = await server.api('POST', VIDEO, { key: account.key, body: { model: 'kling-v2.6-pro', prompt: 'x', duration: 5 } });
      // Wait until the request is in fal's queue (our task is running on the worker).
      for (let i = 0; i < 200 && fal.submits().length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      const canceled = await server.api('POST', `/api/v1/tasks/${created.body.id}/cancel`, { key: account.key });
      assert.equal(canceled.status, 200, JSON.stringify(canceled.body));
      assert.equal(canceled.body.status, 'canceled');
      assert.equal(fal.cancels().length, 1);
      assert.deepEqual(await server.platform.ledger.balances(account.userId), { balance: fromCredits(35), reserved: 0 });
      await assertLedgerBalanced(server, account.userId);
    } finally {
      fal.holdInQueue = false;
    }
  });

  test('an admin price change between submit and finish leaves the charge as priced at submit', async () => {
    fal.reset();
    fal.holdInQueue = true;
    const account = await server.account({ credits: 200 });
    const created = await server.api('POST', VIDEO, { key: account.key, body: { model: 'kling-v2.6-pro', prompt: 'x', duration: 5 } });
    for (let i = 0; i < 200 && fal.submits().length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    await server.platform.overrides.set('kling-v2.6-pro', { price_credits: 20 });
    await server.platform.overrides.load();
    assert.equal((await server.api('GET', '/api/v1/models/kling-v2.6-pro')).body.price.credits, 20);
    fal.holdInQueue = false;
    const task = await server.waitForTask(created.body.id, account.key, 60_000);
    assert.equal(task.status, 'succeeded');
    assert.deepEqual(task.cost, { credits: 35, charged: true });
    assert.deepEqual(await server.platform.ledger.balances(account.userId), { balance: fromCredits(165), reserved: 0 });
    // And a new task is priced at the new rate.
    const next = await server.api('POST', VIDEO, { key: account.key, body: { model: 'kling-v2.6-pro', prompt: 'y', duration: 5 } });
    assert.deepEqual(next.body.cost, { credits: 100, charged: false });
    await server.waitForTask(next.body.id, account.key, 60_000);
    await server.platform.overrides.set('kling-v2.6-pro', { price_credits: null });
    await server.platform.overrides.load();
    await assertLedgerBalanced(server, account.userId);
  });
});
