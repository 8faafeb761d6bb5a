// Kling video on fal over real HTTP against the fake fal queue: request shape, real MP4s back,
// the failure modes, and cancellation through the queue.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { falProvider } from '../../src/providers/fal/index.js';
import { falPollOptions } from '../../src/providers/fal/queue.js';
import { UpstreamCanceled } from '../../src/providers/errors.js';
import type { VideoOpInput } from '../../src/providers/types.js';
import { probeMedia } from '../../src/media/probe.js';
import { contextFor, rejectsUpstream } from '../fakes/http-helpers.js';
import { type FakeFal, startFakeFal } from '../fakes/fal-server.js';

const generate = falProvider.operations.video!;
const T2V = 'fal-ai/kling-video/v2.6/pro/text-to-video';

const input = (over: Partial<VideoOpInput> = {}): VideoOpInput => ({
  taskId: 'task_v1',
  model: 'kling-v2.6-pro',
  upstreamModel: T2V,
  prompt: 'A paper boat drifting down a rainy street',
  durationS: 5,
  aspectRatio: '16:9',
  width: 1920,
  height: 1080,
  ...over,
});

/** Resolves once the fake has seen `n` status polls. */
async function pollsSeen(fake: FakeFal, n: number): Promise<void> {
  while (fake.polls().length < n) await new Promise((resolve) => setImmediate(resolve));
}

describe('fal video adapter (Kling)', () => {
  let fake: FakeFal;
  let png: Buffer;
  const saved = { ...falPollOptions };
  before(async () => {
    Object.assign(falPollOptions, { initialMs: 2, maxMs: 10 });
    fake = await startFakeFal();
    png = await sharp({ create: { width: 90, height: 160, channels: 3, background: '#3366aa' } }).png().toBuffer();
  });
  after(async () => {
    Object.assign(falPollOptions, saved);
    await fake.close();
  });
  beforeEach(() => {
    fake.reset();
    fake.requests.length = 0;
  });

  it('submits text-to-video with the duration as a string, downloads a real MP4 of the asked shape', async () => {
    const video = await generate(input({ negativePrompt: 'blur', audio: true }), contextFor(fake, { timeoutMs: 60_000 }));

    const [submit] = fake.submits();
    assert.equal(submit!.path, `/${T2V}`);
    assert.equal(submit!.headers.authorization, `Key ${fake.apiKey}`);
    assert.deepEqual(submit!.body, {
      prompt: 'A paper boat drifting down a rainy street',
      duration: '5',
      aspect_ratio: '16:9',
      negative_prompt: 'blur',
      generate_audio: true,
    });
    // The queue URLs name the app, not the sub-path.
    for (const poll of fake.polls()) assert.match(poll.path, /^\/fal-ai\/kling-video\/requests\/[0-9a-f-]+\/status$/);
    assert.equal(fake.results().length, 1);

    assert.equal(video.contentType, 'video/mp4');
    const info = await probeMedia(video.data);
    assert.equal(info.video?.codec, 'h264');
    assert.deepEqual([info.video?.width, info.video?.height], [1920, 1080]);
    assert.ok(Math.abs(info.durationS - 5) < 0.2, `duration ${info.durationS}`);
    assert.ok(info.audio, 'generate_audio: true gives a sound track');
    const download = fake.requests.find((r) => r.file);
    assert.equal(download?.headers.authorization, undefined, 'result URLs are fetched without our key');
  });

  it('10 s portrait without audio; no audio field when the input leaves it out', async () => {
    const video = await generate(input({ durationS: 10, aspectRatio: '9:16', width: 1080, height: 1920, audio: false }), contextFor(fake, { timeoutMs: 60_000 }));
    assert.equal((fake.submits()[0]!.body as Record<string, unknown>).duration, '10');
    const info = await probeMedia(video.data);
    assert.deepEqual([info.video?.width, info.video?.height], [1080, 1920]);
    assert.ok(Math.abs(info.durationS - 10) < 0.2, `duration ${info.durationS}`);
    assert.equal(info.audio, undefined);

    fake.requests.length = 0;
    await generate(input({ aspectRatio: '1:1', width: 1080, height: 1080 }), contextFor(fake, { timeoutMs: 60_000 }));
    const body = fake.submits()[0]!.body as Record<string, unknown>;
    assert.equal('generate_audio' in body, false);
    assert.equal('negative_prompt' in body, false);
    assert.equal(body.aspect_ratio, '1:1');
  });

  it('with a first frame, submits to the image-to-video sibling with the image as a data URI', async () => {
    const video = await generate(
      input({ aspectRatio: '9:16', width: 1080, height: 1920, image: { data: png, contentType: 'image/png', width: 90, height: 160 } }),
      contextFor(fake, { timeoutMs: 60_000 }),
    );
    const [submit] = fake.submits();
    assert.equal(submit!.path, '/fal-ai/kling-video/v2.6/pro/image-to-video');
    const body = submit!.body as Record<string, string>;
    assert.equal(body.image_url, `data:image/png;base64,${png.toString('base64')}`);
    const info = await probeMedia(video.data);
    assert.deepEqual([info.video?.width, info.video?.height], [1080, 1920]);
  });

  describe('failures', () => {
    it('an error body at the result URL after COMPLETED is classified (content policy, validation, runner)', async () => {
      fake.unsafe = true;
      await rejectsUpstream(generate(input(), contextFor(fake)), { code: 'content_policy_violation', retryable: false, status: 422 });
      fake.unsafe = false;
      fake.failResult(422, { detail: [{ loc: ['body', 'duration'], msg: "Input should be '5' or '10'", type: 'literal_error' }] });
      const err = await rejectsUpstream(generate(input(), contextFor(fake)), { code: 'upstream_invalid_request', retryable: false, status: 422 });
      assert.match(err.message, /duration/);
      fake.failResult(500, { detail: 'Runner crashed', error_type: 'runner_disconnected' });
      await rejectsUpstream(generate(input(), contextFor(fake)), { code: 'upstream_unavailable', retryable: true, status: 500 });
      assert.equal(fake.requests.filter((r) => r.file).length, 0, 'nothing is downloaded after a failure');
    });

    it("fal's 503 infrastructure error at submit is retryable and names its type", async () => {
      fake.failNextInfra(1, 'runner_scheduling_failure');
      const err = await rejectsUpstream(generate(input(), contextFor(fake)), { code: 'upstream_unavailable', retryable: true, status: 503 }, [fake.apiKey]);
      assert.match(err.message, /runner_scheduling_failure/);
      fake.failNextInfra(1, 'request_timeout');
      await rejectsUpstream(generate(input(), contextFor(fake)), { code: 'upstream_unavailable', retryable: true, status: 504 });
    });

    it('429 at submit is retryable', async () => {
      fake.rateLimit = true;
      await rejectsUpstream(generate(input(), contextFor(fake)), { code: 'upstream_rate_limited', retryable: true, status: 429 });
    });

    it('a result video URL that 404s is a retryable bad response', async () => {
      fake.brokenMediaUrl = true;
      await rejectsUpstream(generate(input(), contextFor(fake)), { code: 'upstream_bad_response', retryable: true, status: 404 });
    });

    it('a result without a video, or a result body that is not an object, is a bad response', async () => {
      fake.failResult(200, { detail: 'ok' });
      await rejectsUpstream(generate(input(), contextFor(fake)), { code: 'upstream_bad_response', retryable: true });
      fake.failResult(200, '<html>gateway page</html>');
      await rejectsUpstream(generate(input(), contextFor(fake)), { code: 'upstream_bad_response', retryable: true });
    });

    it('a 200 at the video URL that is not media comes back as it is, for the modality to refuse', async () => {
      fake.garbage = true;
      const video = await generate(input(), contextFor(fake));
      await assert.rejects(probeMedia(video.data));
    });

    it('a video of the wrong duration comes back as it is, for the modality to check', async () => {
      fake.wrongDuration = true;
      const video = await generate(input(), contextFor(fake, { timeoutMs: 60_000 }));
      const info = await probeMedia(video.data);
      assert.ok(Math.abs(info.durationS - 3) < 0.2, `duration ${info.durationS}`);
    });
  });

  describe('cancellation', () => {
    it('a cancel while the request is queued: PUT cancel_url answers 202, the operation ends canceled', async () => {
      fake.holdInQueue = true;
      let asked = false;
      const pending = generate(input(), contextFor(fake, { cancelRequested: async () => asked }));
      await pollsSeen(fake, 2);
      asked = true;
      const err = await rejectsUpstream(pending, { code: 'canceled', retryable: false });
      assert.ok(err instanceof UpstreamCanceled);
      assert.equal(fake.cancels().length, 1, 'cancelled once, not again on the way out');
      assert.equal(fake.cancels()[0]!.headers.authorization, `Key ${fake.apiKey}`);
      assert.equal(fake.results().length, 0);
    });

    it('a cancel once fal has started: 400, polling goes on and the video is delivered', async () => {
      fake.pollsToComplete = 4;
      // Asks to cancel once a poll has seen the request IN_PROGRESS (the third of four).
      const video = await generate(input(), contextFor(fake, { timeoutMs: 60_000, cancelRequested: async () => fake.polls().length >= 3 }));
      assert.equal(fake.cancels().length, 1, 'a refused cancel is not sent again');
      assert.ok((await probeMedia(video.data)).video);
      assert.equal(fake.results().length, 1);
    });

    it('a failing cancel check is read as no cancel', async () => {
      const video = await generate(input(), contextFor(fake, { timeoutMs: 60_000, cancelRequested: async () => Promise.reject(new Error('database gone')) }));
      assert.ok(video.data.length > 0);
      assert.equal(fake.cancels().length, 0);
    });
  });

  describe('the fake holds adapters to the contract', () => {
    const headers = () => ({ Authorization: `Key ${fake.apiKey}`, 'Content-Type': 'application/json' });
    async function runRaw(path: string, body: unknown): Promise<{ status: number; json: any }> {
      fake.pollsToComplete = 0;
      const submit = await fetch(`${fake.url}/${path}`, { method: 'POST', headers: headers(), body: JSON.stringify(body) });
      const queued = (await submit.json()) as { status_url: string; response_url: string };
      await fetch(queued.status_url, { headers: headers() });
      const result = await fetch(queued.response_url, { headers: headers() });
      return { status: result.status, json: await result.json() };
    }

    it('refuses a numeric duration, an unknown duration or aspect ratio, and image-to-video without image_url, with 422 detail items', async () => {
      for (const [path, body, field] of [
        [T2V, { prompt: 'x', duration: 5 }, 'duration'],
        [T2V, { prompt: 'x', duration: '7' }, 'duration'],
        [T2V, { prompt: 'x', aspect_ratio: '4:3' }, 'aspect_ratio'],
        [T2V, { prompt: 'x', generate_audio: 'yes' }, 'generate_audio'],
        [T2V, { duration: '5' }, 'prompt'],
        ['fal-ai/kling-video/v2.6/pro/image-to-video', { prompt: 'x' }, 'image_url'],
        ['fal-ai/kling-video/v2.6/pro/image-to-video', { prompt: 'x', image_url: 'data:image/png;base64,bm90IGFuIGltYWdl' }, 'image_url'],
      ] as const) {
        const { status, json } = await runRaw(path, body);
        assert.equal(status, 422, JSON.stringify(body));
        assert.deepEqual(json.detail[0].loc, ['body', field], JSON.stringify(body));
        assert.equal(typeof json.detail[0].msg, 'string');
        assert.equal(typeof json.detail[0].type, 'string');
      }
    });

    it('cancel answers 202 while queued and 400 once the request is in progress', async () => {
      fake.pollsToComplete = 4;
      const submit = await fetch(`${fake.url}/${T2V}`, { method: 'POST', headers: headers(), body: JSON.stringify({ prompt: 'x' }) });
      const queued = (await submit.json()) as { status_url: string; cancel_url: string };
      for (let i = 0; i < 3; i++) await fetch(queued.status_url, { headers: headers() });
      const late = await fetch(queued.cancel_url, { method: 'PUT', headers: headers() });
      assert.equal(late.status, 400);

      const again = await fetch(`${fake.url}/${T2V}`, { method: 'POST', headers: headers(), body: JSON.stringify({ prompt: 'x' }) });
      const early = (await again.json()) as { cancel_url: string };
      assert.equal((await fetch(early.cancel_url, { method: 'PUT', headers: headers() })).status, 202);
    });

    it("infrastructure errors carry fal's error_type in the body and the X-Fal-Error-Type header", async () => {
      fake.failNextInfra(1, 'runner_disconnected');
      const res = await fetch(`${fake.url}/${T2V}`, { method: 'POST', headers: headers(), body: '{"prompt":"x"}' });
      assert.equal(res.status, 503);
      assert.equal(res.headers.get('x-fal-error-type'), 'runner_disconnected');
      assert.deepEqual(await res.json(), { detail: 'Runner disconnected', error_type: 'runner_disconnected' });
    });
  });
});
