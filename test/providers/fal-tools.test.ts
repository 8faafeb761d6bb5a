// Image tools on fal (birefnet background removal, clarity upscaling) over real HTTP against the
// fake fal queue.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { falProvider } from '../../src/providers/fal/index.js';
import { BIREFNET_MODEL } from '../../src/providers/fal/tool.js';
import { falPollOptions } from '../../src/providers/fal/queue.js';
import type { InputImage, ToolOpInput } from '../../src/providers/types.js';
import { contextFor, rejectsUpstream } from '../fakes/http-helpers.js';
import { type FakeFal, startFakeFal } from '../fakes/fal-server.js';

const run = falProvider.operations.tool!;

describe('fal tool adapter', () => {
  let fake: FakeFal;
  let image: InputImage;
  const saved = { ...falPollOptions };
  before(async () => {
    Object.assign(falPollOptions, { initialMs: 2, maxMs: 10 });
    fake = await startFakeFal();
    const data = await sharp({ create: { width: 120, height: 80, channels: 3, background: '#cc8844' } }).jpeg().toBuffer();
    image = { data, contentType: 'image/jpeg', width: 120, height: 80 };
  });
  after(async () => {
    Object.assign(falPollOptions, saved);
    await fake.close();
  });
  beforeEach(() => {
    fake.reset();
    fake.requests.length = 0;
  });

  const removeBg = (over: Partial<ToolOpInput> = {}): ToolOpInput => ({
    taskId: 'task_t1',
    model: 'birefnet',
    upstreamModel: 'fal-ai/birefnet/v2',
    tool: 'remove-background',
    image,
    ...over,
  });
  const upscale = (over: Partial<ToolOpInput> = {}): ToolOpInput => ({
    taskId: 'task_t2',
    model: 'clarity-upscaler',
    upstreamModel: 'fal-ai/clarity-upscaler',
    tool: 'upscale',
    image,
    ...over,
  });

  it('remove-background: the image as a data URI, the default birefnet model, a PNG with transparency back', async () => {
    const [out] = await run(removeBg(), contextFor(fake));
    const [submit] = fake.submits();
    assert.equal(submit!.path, '/fal-ai/birefnet/v2');
    assert.deepEqual(submit!.body, { image_url: `data:image/jpeg;base64,${image.data.toString('base64')}`, model: BIREFNET_MODEL });
    assert.equal(BIREFNET_MODEL, 'General Use (Light)');

    assert.equal(out!.contentType, 'image/png');
    const meta = await sharp(out!.data).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height, meta.hasAlpha], ['png', 120, 80, true]);
    const { data } = await sharp(out!.data).raw().toBuffer({ resolveWithObject: true });
    assert.equal(data[3], 0, 'the corner is transparent');
  });

  it('upscale: upscale_factor from the scale (2 by default), prompt and seed passed on, the seed fal used reported', async () => {
    const [out] = await run(upscale({ scale: 3, prompt: 'crisp details', seed: 5 }), contextFor(fake));
    assert.equal(fake.submits()[0]!.path, '/fal-ai/clarity-upscaler');
    const body = fake.submits()[0]!.body as Record<string, unknown>;
    assert.equal(body.upscale_factor, 3);
    assert.equal(body.prompt, 'crisp details');
    assert.equal(body.seed, 5);
    assert.equal(out!.seed, 5);
    const meta = await sharp(out!.data).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['png', 360, 240]);

    fake.requests.length = 0;
    const [plain] = await run(upscale(), contextFor(fake));
    assert.deepEqual(Object.keys(fake.submits()[0]!.body as object).sort(), ['image_url', 'upscale_factor']);
    assert.equal((fake.submits()[0]!.body as Record<string, unknown>).upscale_factor, 2);
    assert.ok(Number.isInteger(plain!.seed));
    assert.equal((await sharp(plain!.data).metadata()).width, 240);
  });

  describe('failures', () => {
    it('a factor fal refuses is a non-retryable invalid request', async () => {
      const err = await rejectsUpstream(run(upscale({ scale: 8 }), contextFor(fake)), { code: 'upstream_invalid_request', retryable: false, status: 422 });
      assert.match(err.message, /upscale_factor/);
    });

    it('an image fal cannot load is a non-retryable invalid request', async () => {
      const junk = { ...image, data: Buffer.from('not an image'), contentType: 'image/png' };
      await rejectsUpstream(run(removeBg({ image: junk }), contextFor(fake)), { code: 'upstream_invalid_request', retryable: false, status: 422 });
    });

    it('a result image URL that 404s is a retryable bad response; a result without an image too', async () => {
      fake.brokenMediaUrl = true;
      await rejectsUpstream(run(removeBg(), contextFor(fake)), { code: 'upstream_bad_response', retryable: true, status: 404 });
      fake.brokenMediaUrl = false;
      fake.failResult(200, { image: { content_type: 'image/png' } });
      await rejectsUpstream(run(removeBg(), contextFor(fake)), { code: 'upstream_bad_response', retryable: true });
    });

    it('429 and 504 request_timeout at submit are retryable', async () => {
      fake.rateLimit = true;
      await rejectsUpstream(run(upscale(), contextFor(fake)), { code: 'upstream_rate_limited', retryable: true, status: 429 });
      fake.rateLimit = false;
      fake.failNextInfra(1, 'request_timeout');
      await rejectsUpstream(run(upscale(), contextFor(fake)), { code: 'upstream_unavailable', retryable: true, status: 504 });
    });

    it('a cancel while queued ends the tool run canceled', async () => {
      fake.holdInQueue = true;
      const pending = run(upscale(), contextFor(fake, { cancelRequested: async () => fake.polls().length >= 1 }));
      await rejectsUpstream(pending, { code: 'canceled', retryable: false });
      assert.equal(fake.cancels().length, 1);
    });
  });
});
