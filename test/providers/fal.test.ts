// The fal queue adapter over real HTTP against the fake fal queue.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { falProvider } from '../../src/providers/fal/index.js';
import { classifyFalError, falPollOptions } from '../../src/providers/fal/queue.js';
import type { ImageOpInput } from '../../src/providers/types.js';
import { contextFor, deadUrl, rejectsUpstream } from '../fakes/http-helpers.js';
import { type FakeFal, startFakeFal } from '../fakes/fal-server.js';

const generate = falProvider.operations.image!;

const input = (over: Partial<ImageOpInput> = {}): ImageOpInput => ({
  taskId: 'task_1',
  model: 'flux-dev',
  upstreamModel: 'fal-ai/flux/dev',
  prompt: 'A red fox in snow',
  size: '16:9',
  width: 1344,
  height: 768,
  renderingSpeed: 'BALANCED',
  outputFormat: 'png',
  ...over,
});

/** Resolves once the fake has seen `n` status polls. */
async function pollsSeen(fake: FakeFal, n: number): Promise<void> {
  while (fake.polls().length < n) await new Promise((resolve) => setImmediate(resolve));
}

describe('fal adapter', () => {
  let fake: FakeFal;
  const saved = { ...falPollOptions };
  before(async () => {
    Object.assign(falPollOptions, { initialMs: 2, maxMs: 10 });
    fake = await startFakeFal();
  });
  after(async () => {
    Object.assign(falPollOptions, saved);
    await fake.close();
  });
  beforeEach(() => {
    fake.reset();
    fake.requests.length = 0;
  });

  it('submits FLUX input to the queue, polls status_url until COMPLETED, downloads the images', async () => {
    const images = await generate(input({ seed: 7 }), contextFor(fake));

    const [submit] = fake.apiRequests();
    assert.equal(submit!.method, 'POST');
    assert.equal(submit!.path, '/fal-ai/flux/dev');
    assert.equal(submit!.headers.authorization, `Key ${fake.apiKey}`);
    assert.match(submit!.headers['content-type'] ?? '', /^application\/json/);
    assert.deepEqual(submit!.body, {
      prompt: 'A red fox in snow',
      image_size: { width: 1344, height: 768 },
      seed: 7,
      num_images: 1,
      output_format: 'png',
      enable_safety_checker: true,
    });

    // IN_QUEUE, IN_PROGRESS, then COMPLETED: three polls, at the app's queue URLs, with our key.
    const polls = fake.polls();
    assert.equal(polls.length, 3);
    for (const poll of polls) {
      assert.match(poll.path, /^\/fal-ai\/flux\/requests\/[0-9a-f-]+\/status$/);
      assert.equal(poll.headers.authorization, `Key ${fake.apiKey}`);
    }
    const result = fake.apiRequests().filter((r) => r.method === 'GET' && /\/requests\/[0-9a-f-]+$/.test(r.path));
    assert.equal(result.length, 1);
    assert.equal(result[0]!.headers.authorization, `Key ${fake.apiKey}`);
    assert.equal(fake.cancels().length, 0);

    assert.equal(images.length, 1);
    assert.equal(images[0]!.seed, 7);
    const meta = await sharp(images[0]!.data).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['png', 1344, 768]);
    const download = fake.requests.find((r) => r.file);
    assert.ok(download);
    assert.equal(download.headers.authorization, undefined, 'image URLs are fetched without our key');
  });

  it('asks for jpeg as jpeg and for webp as png, and reports the seed fal picked', async () => {
    const [jpeg] = await generate(input({ outputFormat: 'jpeg' }), contextFor(fake));
    assert.equal((fake.apiRequests()[0]!.body as { output_format: string }).output_format, 'jpeg');
    assert.equal((await sharp(jpeg!.data).metadata()).format, 'jpeg');
    assert.ok(Number.isInteger(jpeg!.seed), `seed ${jpeg!.seed}`);
    assert.equal('seed' in (fake.apiRequests()[0]!.body as object), false);

    fake.requests.length = 0;
    const [webp] = await generate(input({ outputFormat: 'webp' }), contextFor(fake));
    assert.equal((fake.apiRequests()[0]!.body as { output_format: string }).output_format, 'png');
    assert.equal((await sharp(webp!.data).metadata()).format, 'png');
  });

  it('rides out a couple of failed polls', async () => {
    fake.failNextPolls(2, 503);
    const [image] = await generate(input(), contextFor(fake));
    assert.equal((await sharp(image!.data).metadata()).width, 1344);
    assert.equal(fake.polls().length, 5);
  });

  describe('failures', () => {
    it('has_nsfw_concepts [true] is a non-retryable content policy violation', async () => {
      fake.unsafe = true;
      await rejectsUpstream(generate(input(), contextFor(fake)), { code: 'content_policy_violation', retryable: false });
      assert.equal(fake.requests.filter((r) => r.file).length, 0, 'the flagged image is not downloaded');
    });

    it("a content_policy_violation error at response_url is a content policy violation", async () => {
      fake.unsafe = true;
      fake.unsafeKind = 'error';
      await rejectsUpstream(generate(input(), contextFor(fake)), { code: 'content_policy_violation', retryable: false, status: 422 }, [fake.apiKey]);
    });

    it('a validation 422 at response_url is an invalid request, not a safety refusal', async () => {
      fake.failResult(422, { detail: [{ loc: ['body', 'image_size'], msg: 'width must be at most 14142', type: 'value_error' }] });
      const err = await rejectsUpstream(generate(input(), contextFor(fake)), { code: 'upstream_invalid_request', retryable: false, status: 422 });
      assert.match(err.message, /image_size/);
    });

    it('a request that failed on the runner (500 at response_url) is retryable', async () => {
      fake.failResult(500, { detail: 'Runner crashed', error_type: 'runner_disconnected' });
      await rejectsUpstream(generate(input(), contextFor(fake)), { code: 'upstream_unavailable', retryable: true, status: 500 });
    });

    it('an unknown status ends polling; the outcome at response_url decides', async () => {
      fake.pollsToComplete = 0;
      fake.statusOverride = 'FAILED';
      fake.failResult(422, { detail: [{ loc: ['body', 'prompt'], msg: 'flagged', type: 'content_policy_violation' }] });
      await rejectsUpstream(generate(input(), contextFor(fake)), { code: 'content_policy_violation', retryable: false });
      assert.equal(fake.polls().length, 1);
    });

    it('an unknown status whose request is not over is a non-retryable failure', async () => {
      fake.pollsToComplete = 100;
      fake.statusOverride = 'PAUSED';
      const err = await rejectsUpstream(generate(input(), contextFor(fake)), { code: 'upstream_invalid_request', retryable: false, status: 400 });
      assert.equal(fake.polls().length, 1);
      assert.match(err.message, /in progress/);
      assert.equal(fake.cancels().length, 1, 'a request that may still run is cancelled');
    });

    it('a wrong key is a non-retryable auth failure that names no key', async () => {
      const wrong = 'fal-key-wrong-0123456789';
      await rejectsUpstream(generate(input(), contextFor(fake, { apiKey: wrong })), { code: 'upstream_auth_failed', retryable: false, status: 401 }, [wrong, fake.apiKey]);
    });

    it('429 and 500 at submit are retryable', async () => {
      fake.rateLimit = true;
      await rejectsUpstream(generate(input(), contextFor(fake)), { code: 'upstream_rate_limited', retryable: true, status: 429 });
      fake.rateLimit = false;
      fake.failNext(1, 500);
      await rejectsUpstream(generate(input(), contextFor(fake)), { code: 'upstream_unavailable', retryable: true, status: 500 });
      assert.equal(fake.polls().length, 0);
    });

    it('polling that keeps failing gives up retryably and cancels the request', async () => {
      fake.failNextPolls(3, 502);
      await rejectsUpstream(generate(input(), contextFor(fake)), { code: 'upstream_unavailable', retryable: true, status: 502 });
      assert.equal(fake.cancels().length, 1);
    });

    it('a slow submit past ctx.timeoutMs is a retryable timeout', async () => {
      fake.slow(2000);
      await rejectsUpstream(generate(input(), contextFor(fake, { timeoutMs: 100 })), { code: 'upstream_timeout', retryable: true });
    });

    it('a request still queued when ctx.timeoutMs runs out is a retryable timeout, and is cancelled', async () => {
      fake.pollsToComplete = 1_000_000;
      await rejectsUpstream(generate(input(), contextFor(fake, { timeoutMs: 150 })), { code: 'upstream_timeout', retryable: true });
      assert.ok(fake.polls().length >= 1);
      const [cancel] = fake.cancels();
      assert.ok(cancel, 'PUT cancel_url was called');
      assert.equal(fake.cancels().length, 1);
      assert.match(cancel.path, /^\/fal-ai\/flux\/requests\/[0-9a-f-]+\/cancel$/);
    });

    it('an abort while queued cancels the request upstream and fails non-retryably', async () => {
      fake.pollsToComplete = 1_000_000;
      const controller = new AbortController();
      const pending = generate(input(), contextFor(fake, { signal: controller.signal }));
      await pollsSeen(fake, 2);
      controller.abort();
      await rejectsUpstream(pending, { code: 'upstream_failed', retryable: false });

      const [cancel] = fake.cancels();
      assert.ok(cancel, 'PUT cancel_url was called');
      assert.equal(cancel.headers.authorization, `Key ${fake.apiKey}`);
      const submitted = fake.apiRequests()[0]!;
      assert.equal(submitted.method, 'POST');
      // The request named in the cancel is the one polled.
      assert.equal(cancel.path.replace(/\/cancel$/, ''), fake.polls()[0]!.path.replace(/\/status$/, ''));
      // And fal took it: its response_url now answers an error.
      const res = await fetch(`${fake.url}${cancel.path.replace(/\/cancel$/, '')}`, { headers: { Authorization: `Key ${fake.apiKey}` } });
      assert.equal(res.status, 400);
    });

    it('connection refused is retryable', async () => {
      const url = await deadUrl();
      await rejectsUpstream(generate(input(), contextFor({ url, apiKey: fake.apiKey })), { code: 'upstream_unavailable', retryable: true }, [fake.apiKey]);
    });

    it('a submit answer that is not JSON, or lacks the queue URLs, is a bad response', async () => {
      fake.failNext(1, 200, 'not json at all');
      await rejectsUpstream(generate(input(), contextFor(fake)), { code: 'upstream_bad_response', retryable: true });
      fake.failNext(1, 200, { request_id: 'abc' });
      await rejectsUpstream(generate(input(), contextFor(fake)), { code: 'upstream_bad_response', retryable: true });
    });

    it('garbage image bytes come back as they are, for the worker to refuse', async () => {
      fake.garbage = true;
      const [image] = await generate(input(), contextFor(fake));
      await assert.rejects(sharp(image!.data).metadata());
    });

    it('classifies fal error bodies and redacts the key', () => {
      const key = 'fal-key-secret';
      const cpv = classifyFalError(422, JSON.stringify([{ loc: ['body', 'prompt'], msg: `flagged ${key}`, type: 'content_policy_violation' }]), key);
      assert.equal(cpv.code, 'content_policy_violation');
      assert.ok(!cpv.message.includes(key));
      assert.equal(classifyFalError(422, '{"detail":"bad"}').code, 'upstream_invalid_request');
      assert.equal(classifyFalError(504, '{"detail":"Request timed out","error_type":"request_timeout"}').retryable, true);
      assert.equal(classifyFalError(403, '').code, 'upstream_auth_failed');
    });
  });

  describe('the fake holds adapters to the contract', () => {
    it('refuses missing, wrong and Bearer keys with 401', async () => {
      for (const auth of ['', 'Key nope', `Bearer ${fake.apiKey}`, fake.apiKey]) {
        const res = await fetch(`${fake.url}/fal-ai/flux/dev`, { method: 'POST', headers: { Authorization: auth, 'Content-Type': 'application/json' }, body: '{"prompt":"x"}' });
        assert.equal(res.status, 401, auth);
      }
    });

    it('checks the input when the request runs: webp is a 422 at response_url', async () => {
      fake.pollsToComplete = 0;
      const headers = { Authorization: `Key ${fake.apiKey}`, 'Content-Type': 'application/json' };
      const submit = await fetch(`${fake.url}/fal-ai/flux/dev`, { method: 'POST', headers, body: JSON.stringify({ prompt: 'x', output_format: 'webp' }) });
      const queued = (await submit.json()) as { status_url: string; response_url: string; cancel_url: string };
      assert.equal(submit.status, 200);
      assert.equal(((await (await fetch(queued.status_url, { headers })).json()) as { status: string }).status, 'COMPLETED');
      const result = await fetch(queued.response_url, { headers });
      assert.equal(result.status, 422);
      const detail = ((await result.json()) as { detail: Array<{ loc: string[]; type: string }> }).detail;
      assert.deepEqual(detail[0]!.loc, ['body', 'output_format']);
      assert.equal((await fetch(queued.cancel_url, { method: 'PUT', headers })).status, 400, 'a completed request can no longer be cancelled');
    });
  });
});
