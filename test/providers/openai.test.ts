// The OpenAI Images adapter over real HTTP against the fake OpenAI API.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { openaiProvider } from '../../src/providers/openai/index.js';
import type { ImageOpInput } from '../../src/providers/types.js';
import { contextFor, deadUrl, rejectsUpstream } from '../fakes/http-helpers.js';
import { type FakeOpenAI, startFakeOpenAI } from '../fakes/openai-server.js';

const generate = openaiProvider.operations.image!;

const gptImage = (over: Partial<ImageOpInput> = {}): ImageOpInput => ({
  taskId: 'task_1',
  model: 'gpt-image-1',
  upstreamModel: 'gpt-image-1',
  prompt: 'A lighthouse at dawn',
  size: '1:1',
  width: 1024,
  height: 1024,
  renderingSpeed: 'BALANCED',
  outputFormat: 'png',
  ...over,
});
const dalle = (over: Partial<ImageOpInput> = {}) => gptImage({ model: 'dall-e-3', upstreamModel: 'dall-e-3', ...over });

describe('openai adapter', () => {
  let fake: FakeOpenAI;
  before(async () => {
    fake = await startFakeOpenAI();
  });
  after(() => fake.close());
  beforeEach(() => {
    fake.reset();
    fake.requests.length = 0;
  });

  const body = () => fake.apiRequests()[0]!.body as Record<string, unknown>;

  it('gpt-image-1: Bearer JSON request with the nearest size, quality and format; base64 image decoded', async () => {
    const images = await generate(gptImage({ size: '16:9', width: 1536, height: 864, outputFormat: 'webp', seed: 3 }), contextFor(fake));

    const call = fake.apiRequests()[0]!;
    assert.equal(fake.apiRequests().length, 1);
    assert.equal(call.method, 'POST');
    assert.equal(call.path, '/v1/images/generations');
    assert.equal(call.headers.authorization, `Bearer ${fake.apiKey}`);
    assert.match(call.headers['content-type'] ?? '', /^application\/json/);
    assert.deepEqual(call.body, { model: 'gpt-image-1', prompt: 'A lighthouse at dawn', n: 1, size: '1536x1024', quality: 'medium', output_format: 'webp' });

    assert.equal(images.length, 1);
    assert.equal(images[0]!.seed, undefined, 'OpenAI reports no seed');
    const meta = await sharp(images[0]!.data).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['webp', 1536, 1024]);
  });

  it('gpt-image-1: sizes by ratio and quality by rendering speed', async () => {
    const cases: Array<[Partial<ImageOpInput>, string, string]> = [
      [{ width: 1024, height: 1024, renderingSpeed: 'TURBO' }, '1024x1024', 'low'],
      [{ width: 864, height: 1536, renderingSpeed: 'QUALITY' }, '1024x1536', 'high'],
      [{ width: 1536, height: 1024, renderingSpeed: 'BALANCED' }, '1536x1024', 'medium'],
      [{ width: 1344, height: 576 }, '1536x1024', 'medium'],
      [{ width: 768, height: 1024, outputFormat: 'jpeg' }, '1024x1536', 'medium'],
    ];
    for (const [over, size, quality] of cases) {
      fake.requests.length = 0;
      const [image] = await generate(gptImage(over), contextFor(fake));
      assert.equal(body().size, size, JSON.stringify(over));
      assert.equal(body().quality, quality, JSON.stringify(over));
      assert.equal(body().output_format, over.outputFormat ?? 'png');
      assert.equal((await sharp(image!.data).metadata()).format, over.outputFormat ?? 'png');
    }
  });

  it('dall-e-3: its own sizes, hd only for QUALITY, base64 asked for', async () => {
    const cases: Array<[Partial<ImageOpInput>, string, string]> = [
      [{ width: 1792, height: 1008, renderingSpeed: 'QUALITY' }, '1792x1024', 'hd'],
      [{ width: 1008, height: 1792, renderingSpeed: 'BALANCED' }, '1024x1792', 'standard'],
      [{ width: 1024, height: 1024, renderingSpeed: 'TURBO' }, '1024x1024', 'standard'],
    ];
    for (const [over, size, quality] of cases) {
      fake.requests.length = 0;
      const [image] = await generate(dalle(over), contextFor(fake));
      assert.deepEqual(body(), { model: 'dall-e-3', prompt: 'A lighthouse at dawn', n: 1, size, quality, response_format: 'b64_json' });
      const meta = await sharp(image!.data).metadata();
      assert.equal(`${meta.width}x${meta.height}`, size);
    }
  });

  it('dall-e-3: a url answer is downloaded at once, without our key', async () => {
    fake.preferUrl = true;
    const [image] = await generate(dalle({ width: 1792, height: 1008 }), contextFor(fake));
    const download = fake.requests.find((r) => r.file);
    assert.ok(download, 'the image URL was fetched');
    assert.equal(download.headers.authorization, undefined);
    const meta = await sharp(image!.data).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['png', 1792, 1024]);
  });

  it('refuses a model it does not know without calling OpenAI', async () => {
    await rejectsUpstream(generate(gptImage({ upstreamModel: 'dall-e-2' }), contextFor(fake)), { code: 'upstream_invalid_request', retryable: false });
    assert.equal(fake.apiRequests().length, 0);
  });

  describe('failures', () => {
    it('content_policy_violation (dall-e-3) and moderation_blocked (gpt-image-1) are non-retryable content policy violations', async () => {
      fake.unsafe = true;
      const a = await rejectsUpstream(generate(dalle(), contextFor(fake)), { code: 'content_policy_violation', retryable: false, status: 400 });
      assert.match(a.message, /content_policy_violation/);
      const b = await rejectsUpstream(generate(gptImage(), contextFor(fake)), { code: 'content_policy_violation', retryable: false, status: 400 });
      assert.match(b.message, /moderation_blocked/);
    });

    it('another 400 is a non-retryable invalid request', async () => {
      fake.failNext(1, 400, { error: { message: "Invalid value: '999x999'.", type: 'invalid_request_error', param: 'size', code: 'invalid_value' } });
      await rejectsUpstream(generate(gptImage(), contextFor(fake)), { code: 'upstream_invalid_request', retryable: false, status: 400 });
    });

    it('a wrong key is a non-retryable auth failure that names no key, not even masked', async () => {
      const wrong = 'sk-proj-wrongwrongwrong0123456789';
      const err = await rejectsUpstream(generate(gptImage(), contextFor(fake, { apiKey: wrong })), { code: 'upstream_auth_failed', retryable: false, status: 401 }, [
        wrong,
        fake.apiKey,
        wrong.slice(0, 8),
      ]);
      assert.doesNotMatch(err.message, /\*\*\*/);
    });

    it('429 is retryable', async () => {
      fake.rateLimit = true;
      await rejectsUpstream(generate(gptImage(), contextFor(fake)), { code: 'upstream_rate_limited', retryable: true, status: 429 });
    });

    it('500 and 503 are retryable', async () => {
      for (const status of [500, 503]) {
        fake.failNext(1, status);
        await rejectsUpstream(generate(gptImage(), contextFor(fake)), { code: 'upstream_unavailable', retryable: true, status }, [fake.apiKey]);
      }
    });

    it('a slow answer past ctx.timeoutMs is a retryable timeout', async () => {
      fake.slow(2000);
      await rejectsUpstream(generate(gptImage(), contextFor(fake, { timeoutMs: 100 })), { code: 'upstream_timeout', retryable: true });
    });

    it('connection refused is retryable', async () => {
      const url = await deadUrl();
      await rejectsUpstream(generate(gptImage(), contextFor({ url, apiKey: fake.apiKey })), { code: 'upstream_unavailable', retryable: true }, [fake.apiKey]);
    });

    it('bodies that are not JSON, or hold no image, are bad responses', async () => {
      fake.failNext(1, 200, 'upstream connect error or disconnect/reset before headers');
      await rejectsUpstream(generate(gptImage(), contextFor(fake)), { code: 'upstream_bad_response', retryable: true });
      fake.failNext(1, 200, { created: 1, data: [] });
      await rejectsUpstream(generate(gptImage(), contextFor(fake)), { code: 'upstream_bad_response', retryable: true });
      fake.failNext(1, 200, { created: 1, data: [{ revised_prompt: 'x' }] });
      await rejectsUpstream(generate(dalle(), contextFor(fake)), { code: 'upstream_bad_response', retryable: true });
    });

    it('garbage image bytes come back as they are, for the worker to refuse', async () => {
      fake.garbage = true;
      const [image] = await generate(gptImage(), contextFor(fake));
      assert.ok(image!.data.length > 0);
      await assert.rejects(sharp(image!.data).metadata());
    });
  });

  describe('the fake holds adapters to the contract', () => {
    const post = (payload: unknown, auth = `Bearer ${fake.apiKey}`) =>
      fetch(`${fake.url}/v1/images/generations`, { method: 'POST', headers: { Authorization: auth, 'Content-Type': 'application/json' }, body: JSON.stringify(payload) });

    it('refuses missing, wrong and non-Bearer keys with 401 and an OpenAI error object', async () => {
      for (const auth of ['', 'Bearer nope', `Key ${fake.apiKey}`, fake.apiKey]) {
        const res = await post({ model: 'gpt-image-1', prompt: 'x' }, auth);
        assert.equal(res.status, 401, auth);
        const err = ((await res.json()) as { error: { message: string; type: string } }).error;
        assert.equal(err.type, 'invalid_request_error');
      }
    });

    it("refuses parameters the model does not take and values outside each model's lists", async () => {
      for (const payload of [
        { model: 'gpt-image-1', prompt: 'x', response_format: 'b64_json' },
        { model: 'gpt-image-1', prompt: 'x', size: '1792x1024' },
        { model: 'gpt-image-1', prompt: 'x', quality: 'hd' },
        { model: 'gpt-image-1', prompt: 'x', output_format: 'gif' },
        { model: 'dall-e-3', prompt: 'x', n: 2 },
        { model: 'dall-e-3', prompt: 'x', size: '1536x1024' },
        { model: 'dall-e-3', prompt: 'x', quality: 'high' },
        { model: 'dall-e-3', prompt: 'x', output_format: 'png' },
        { model: 'dall-e-2', prompt: 'x' },
        { model: 'gpt-image-1' },
      ]) {
        const res = await post(payload);
        assert.equal(res.status, 400, JSON.stringify(payload));
        assert.ok(((await res.json()) as { error?: { message?: string } }).error?.message);
      }
      const form = new FormData();
      form.set('model', 'gpt-image-1');
      form.set('prompt', 'x');
      const multipart = await fetch(`${fake.url}/v1/images/generations`, { method: 'POST', headers: { Authorization: `Bearer ${fake.apiKey}` }, body: form });
      assert.equal(multipart.status, 400);
    });

    it('dall-e-3 answers a url by default', async () => {
      const res = await post({ model: 'dall-e-3', prompt: 'x' });
      const json = (await res.json()) as { data: Array<{ url?: string; revised_prompt?: string }> };
      assert.ok(json.data[0]!.url?.startsWith(fake.url));
      assert.ok(json.data[0]!.revised_prompt);
    });
  });
});
