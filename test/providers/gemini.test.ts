// The Gemini (Veo) adapter over real HTTP against the fake Gemini API: a long-running operation
// started, polled until done, its video downloaded with the key; Google's error envelope classified.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { geminiProvider } from '../../src/providers/gemini/index.js';
import { geminiPollOptions } from '../../src/providers/gemini/video.js';
import { classifyGeminiError } from '../../src/providers/gemini/client.js';
import type { VideoOpInput } from '../../src/providers/types.js';
import { probeMedia } from '../../src/media/probe.js';
import { contextFor, deadUrl, rejectsUpstream } from '../fakes/http-helpers.js';
import { type FakeGemini, googleError, startFakeGemini } from '../fakes/gemini-server.js';

const generate = geminiProvider.operations.video!;

const input = (over: Partial<VideoOpInput> = {}): VideoOpInput => ({
  taskId: 'task_g1',
  model: 'veo-3.1-fast',
  upstreamModel: 'veo-3.1-fast-generate-preview',
  prompt: 'A hummingbird hovering over a red flower',
  durationS: 4,
  aspectRatio: '16:9',
  width: 1280,
  height: 720,
  ...over,
});

describe('gemini video adapter (Veo)', () => {
  let fake: FakeGemini;
  const saved = { ...geminiPollOptions };
  before(async () => {
    Object.assign(geminiPollOptions, { initialMs: 2, maxMs: 10 });
    fake = await startFakeGemini();
  });
  after(async () => {
    Object.assign(geminiPollOptions, saved);
    await fake.close();
  });
  beforeEach(() => {
    fake.reset();
    fake.requests.length = 0;
  });

  it('starts predictLongRunning with the key header, polls the operation, downloads the video with the key', async () => {
    const video = await generate(input({ negativePrompt: 'text overlays', resolution: '720p' }), contextFor(fake, { timeoutMs: 60_000 }));

    const [submit] = fake.apiRequests();
    assert.equal(submit!.method, 'POST');
    assert.equal(submit!.path, '/v1beta/models/veo-3.1-fast-generate-preview:predictLongRunning');
    assert.equal(submit!.headers['x-goog-api-key'], fake.apiKey);
    assert.equal(submit!.headers.authorization, undefined);
    assert.deepEqual(submit!.body, {
      instances: [{ prompt: 'A hummingbird hovering over a red flower' }],
      parameters: { aspectRatio: '16:9', durationSeconds: 4, negativePrompt: 'text overlays', resolution: '720p' },
    });

    const polls = fake.polls();
    assert.equal(polls.length, 3, 'two polls not done, the third done');
    for (const poll of polls) {
      assert.match(poll.path, /^\/v1beta\/models\/veo-3\.1-fast-generate-preview\/operations\/[0-9a-f]+$/);
      assert.equal(poll.headers['x-goog-api-key'], fake.apiKey);
    }
    const [download] = fake.downloads();
    assert.equal(download?.headers['x-goog-api-key'], fake.apiKey, 'the file link is on the API origin: it gets the key');

    const info = await probeMedia(video.data);
    assert.equal(info.video?.codec, 'h264');
    assert.deepEqual([info.video?.width, info.video?.height], [1280, 720]);
    assert.ok(Math.abs(info.durationS - 4) < 0.2, `duration ${info.durationS}`);
    assert.ok(info.audio, 'Veo 3 makes sound');
  });

  it('portrait 1080p with a first frame sent as bytesBase64Encoded', async () => {
    const png = await sharp({ create: { width: 72, height: 128, channels: 3, background: '#118844' } }).png().toBuffer();
    const video = await generate(
      input({ aspectRatio: '9:16', width: 1080, height: 1920, durationS: 6, resolution: '1080p', image: { data: png, contentType: 'image/png', width: 72, height: 128 } }),
      contextFor(fake, { timeoutMs: 60_000 }),
    );
    const body = fake.apiRequests()[0]!.body as { instances: Array<{ image: unknown }>; parameters: Record<string, unknown> };
    assert.deepEqual(body.instances[0]!.image, { bytesBase64Encoded: png.toString('base64'), mimeType: 'image/png' });
    assert.deepEqual(body.parameters, { aspectRatio: '9:16', durationSeconds: 6, resolution: '1080p' });
    const info = await probeMedia(video.data);
    assert.deepEqual([info.video?.width, info.video?.height], [1080, 1920]);
  });

  describe('failures', () => {
    it('filtered content (raiMediaFilteredCount > 0) is a non-retryable content policy violation with the reason', async () => {
      fake.unsafe = true;
      const err = await rejectsUpstream(generate(input(), contextFor(fake)), { code: 'content_policy_violation', retryable: false });
      assert.match(err.message, /policies/);
      assert.equal(fake.downloads().length, 0);
    });

    it("an operation's error: failed (non-retryable), or unavailable (retryable) for Google's internal errors", async () => {
      fake.failOperation(3, 'The video could not be generated for this input.');
      const err = await rejectsUpstream(generate(input(), contextFor(fake)), { code: 'upstream_failed', retryable: false });
      assert.match(err.message, /could not be generated/);
      fake.failOperation(13, 'Internal error encountered.');
      await rejectsUpstream(generate(input(), contextFor(fake)), { code: 'upstream_unavailable', retryable: true });
    });

    it('a value Veo refuses (1:1) is a non-retryable invalid request with Google\'s words', async () => {
      const err = await rejectsUpstream(generate(input({ aspectRatio: '1:1', width: 1080, height: 1080 }), contextFor(fake)), {
        code: 'upstream_invalid_request',
        retryable: false,
        status: 400,
      });
      assert.match(err.message, /INVALID_ARGUMENT: Aspect ratio/);
      assert.equal(fake.polls().length, 0);
    });

    it('an unknown model is a non-retryable invalid request (404)', async () => {
      await rejectsUpstream(generate(input({ upstreamModel: 'veo-3.0-generate-001' }), contextFor(fake)), { code: 'upstream_invalid_request', retryable: false, status: 404 });
    });

    it('a wrong key (Google answers 400 API_KEY_INVALID) and a missing one (403) are auth failures naming no key', async () => {
      const wrong = 'AIzaWrongWrongWrong0123456789';
      await rejectsUpstream(generate(input(), contextFor(fake, { apiKey: wrong })), { code: 'upstream_auth_failed', retryable: false, status: 400 }, [wrong, fake.apiKey]);
      await rejectsUpstream(generate(input(), contextFor(fake, { apiKey: '' })), { code: 'upstream_auth_failed', retryable: false, status: 403 }, [fake.apiKey]);
    });

    it('429 RESOURCE_EXHAUSTED and 503 UNAVAILABLE at submit are retryable', async () => {
      fake.rateLimit = true;
      await rejectsUpstream(generate(input(), contextFor(fake)), { code: 'upstream_rate_limited', retryable: true, status: 429 });
      fake.rateLimit = false;
      fake.failNext(1, 503);
      const err = await rejectsUpstream(generate(input(), contextFor(fake)), { code: 'upstream_unavailable', retryable: true, status: 503 });
      assert.match(err.message, /UNAVAILABLE/);
    });

    /** Runs `generate` and, once its submit has been answered, queues `then` on the fake. */
    async function afterSubmit<T>(pending: Promise<T>, then: () => void): Promise<T> {
      while (fake.apiRequests().length < 1) await new Promise((resolve) => setImmediate(resolve));
      then();
      return pending;
    }

    it('polling rides out a couple of failures, then gives up retryably', async () => {
      fake.pollsToComplete = 1;
      const video = await afterSubmit(generate(input(), contextFor(fake, { timeoutMs: 60_000 })), () => fake.failNext(2, 503));
      assert.ok(video.data.length > 0);
      assert.equal(fake.polls().length, 4, 'two failed polls, one not done, one done');

      fake.requests.length = 0;
      fake.pollsToComplete = 5;
      await rejectsUpstream(
        afterSubmit(generate(input(), contextFor(fake)), () => fake.failNext(3, 503)),
        { code: 'upstream_unavailable', retryable: true, status: 503 },
      );
    });

    it('a video URI that 404s is a retryable bad response; a done operation without samples too', async () => {
      fake.brokenVideoUri = true;
      await rejectsUpstream(generate(input(), contextFor(fake)), { code: 'upstream_bad_response', retryable: true, status: 404 });
      fake.brokenVideoUri = false;
      fake.requests.length = 0;
      const empty = { name: 'models/veo-3.1-fast-generate-preview/operations/x', done: true, response: { generateVideoResponse: { generatedSamples: [] } } };
      await rejectsUpstream(afterSubmit(generate(input(), contextFor(fake)), () => fake.failNext(1, 200, empty)), { code: 'upstream_bad_response', retryable: true });
      assert.equal(fake.downloads().length, 0);
    });

    it('junk at the video URI, or a video of the wrong length, comes back as it is for the modality to check', async () => {
      fake.garbage = true;
      const junk = await generate(input(), contextFor(fake));
      await assert.rejects(probeMedia(junk.data));
      fake.garbage = false;
      fake.wrongDuration = true;
      const short = await generate(input({ durationS: 8 }), contextFor(fake, { timeoutMs: 60_000 }));
      assert.ok(Math.abs((await probeMedia(short.data)).durationS - 6) < 0.2);
    });

    it('an operation still running when ctx.timeoutMs runs out is a retryable timeout', async () => {
      fake.pollsToComplete = 1_000_000;
      await rejectsUpstream(generate(input(), contextFor(fake, { timeoutMs: 150 })), { code: 'upstream_timeout', retryable: true });
      assert.ok(fake.polls().length >= 1);
    });

    it('an abort while polling fails non-retryably', async () => {
      fake.pollsToComplete = 1_000_000;
      const controller = new AbortController();
      const pending = generate(input(), contextFor(fake, { signal: controller.signal }));
      while (fake.polls().length < 2) await new Promise((resolve) => setImmediate(resolve));
      controller.abort();
      await rejectsUpstream(pending, { code: 'upstream_failed', retryable: false });
    });

    it('connection refused is retryable; a start answer without an operation name is a bad response', async () => {
      const url = await deadUrl();
      await rejectsUpstream(generate(input(), contextFor({ url, apiKey: fake.apiKey })), { code: 'upstream_unavailable', retryable: true }, [fake.apiKey]);
      fake.failNext(1, 200, { done: false });
      await rejectsUpstream(generate(input(), contextFor(fake)), { code: 'upstream_bad_response', retryable: true });
    });

    it('classifies the envelope and redacts the key', () => {
      const key = 'AIzaSecret';
      const quota = classifyGeminiError(429, JSON.stringify(googleError(429, `quota for ${key}`)), key);
      assert.equal(quota.code, 'upstream_rate_limited');
      assert.ok(!quota.message.includes(key));
      assert.equal(classifyGeminiError(403, JSON.stringify(googleError(403, 'denied'))).code, 'upstream_auth_failed');
      assert.equal(classifyGeminiError(400, JSON.stringify(googleError(400, 'API key not valid. Please pass a valid API key.'))).code, 'upstream_auth_failed');
      assert.equal(classifyGeminiError(400, '<html>bad</html>').code, 'upstream_invalid_request');
      assert.equal(classifyGeminiError(500, '').retryable, true);
    });
  });

  describe('the fake holds adapters to the contract', () => {
    const post = (body: unknown, key = fake.apiKey) =>
      fetch(`${fake.url}/v1beta/models/veo-3.1-generate-preview:predictLongRunning`, {
        method: 'POST',
        headers: { 'x-goog-api-key': key, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });

    it('refuses unknown fields, inlineData images, string durations and 1:1 with 400 INVALID_ARGUMENT', async () => {
      for (const body of [
        { instances: [{ prompt: 'x' }], parameters: { durationSeconds: '8' } },
        { instances: [{ prompt: 'x' }], parameters: { aspect_ratio: '16:9' } },
        { instances: [{ prompt: 'x' }], parameters: { aspectRatio: '1:1' } },
        { instances: [{ prompt: 'x', image: { inlineData: { mimeType: 'image/png', data: 'AAAA' } } }] },
        { instances: [{ text: 'x' }] },
        { instances: [] },
      ]) {
        const res = await post(body);
        assert.equal(res.status, 400, JSON.stringify(body));
        const err = ((await res.json()) as { error: { code: number; status: string; message: string } }).error;
        assert.equal(err.status, 'INVALID_ARGUMENT');
        assert.equal(err.code, 400);
      }
    });

    it('serves the video file only with the key', async () => {
      fake.pollsToComplete = 0;
      const { name } = (await (await post({ instances: [{ prompt: 'x' }], parameters: { durationSeconds: 4 } })).json()) as { name: string };
      const op = (await (await fetch(`${fake.url}/v1beta/${name}`, { headers: { 'x-goog-api-key': fake.apiKey } })).json()) as {
        done: boolean;
        response: { generateVideoResponse: { generatedSamples: Array<{ video: { uri: string } }> } };
      };
      assert.equal(op.done, true);
      const uri = op.response.generateVideoResponse.generatedSamples[0]!.video.uri;
      assert.equal((await fetch(uri)).status, 403);
      const ok = await fetch(uri, { headers: { 'x-goog-api-key': fake.apiKey } });
      assert.equal(ok.status, 200);
      assert.equal(ok.headers.get('content-type'), 'video/mp4');
    });
  });
});
