// The Ideogram adapter over real HTTP against the fake Ideogram API.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { ideogramProvider } from '../../src/providers/ideogram/index.js';
import type { ImageOpInput } from '../../src/providers/types.js';
import { normalizeImage } from '../../src/modalities/image/normalize.js';
import { contextFor, deadUrl, rejectsUpstream } from '../fakes/http-helpers.js';
import { type FakeIdeogram, startFakeIdeogram } from '../fakes/ideogram-server.js';

const generate = ideogramProvider.operations.image!;

const input = (over: Partial<ImageOpInput> = {}): ImageOpInput => ({
  taskId: 'task_1',
  model: 'ideogram-v4',
  upstreamModel: 'ideogram-v4',
  prompt: 'A poster reading "HELLO"',
  size: '1:1',
  width: 2048,
  height: 2048,
  renderingSpeed: 'BALANCED',
  outputFormat: 'png',
  ...over,
});

describe('ideogram adapter', () => {
  let fake: FakeIdeogram;
  before(async () => {
    fake = await startFakeIdeogram();
  });
  after(() => fake.close());
  beforeEach(() => {
    fake.reset();
    fake.requests.length = 0;
  });

  it('sends a v4 multipart form with Ideogram names and values, downloads the image, keeps the seed', async () => {
    const images = await generate(input({ size: '16:9', width: 2560, height: 1440, seed: 42 }), contextFor(fake));

    const [call] = fake.apiRequests();
    assert.equal(fake.apiRequests().length, 1);
    assert.equal(call!.method, 'POST');
    assert.equal(call!.path, '/v1/ideogram-v4/generate');
    assert.equal(call!.headers['api-key'], fake.apiKey);
    assert.equal(call!.headers.authorization, undefined);
    assert.match(call!.headers['content-type'] ?? '', /^multipart\/form-data; boundary=/);
    assert.deepEqual(call!.fields, { text_prompt: 'A poster reading "HELLO"', rendering_speed: 'DEFAULT', seed: '42', resolution: '2560x1440' });

    assert.equal(images.length, 1);
    assert.equal(images[0]!.seed, 42);
    const meta = await sharp(images[0]!.data).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['png', 2560, 1440]);
    // The temporary URL was fetched without our key.
    const download = fake.requests.find((r) => r.file);
    assert.ok(download, 'the image URL was downloaded');
    assert.equal(download.headers['api-key'], undefined);
  });

  it('maps every catalog size to its 2K resolution, 21:9 and 9:21 to 12:5 and 5:12', async () => {
    const cases: Array<[string, number, number, string]> = [
      ['1:1', 2048, 2048, '2048x2048'],
      ['16:9', 2560, 1440, '2560x1440'],
      ['9:16', 1440, 2560, '1440x2560'],
      ['3:4', 1728, 2304, '1728x2304'],
      ['4:3', 2304, 1728, '2304x1728'],
      ['3:2', 2496, 1664, '2496x1664'],
      ['2:3', 1664, 2496, '1664x2496'],
      ['21:9', 2987, 1280, '3072x1280'],
      ['9:21', 1280, 2987, '1280x3072'],
    ];
    for (const [size, width, height, resolution] of cases) {
      fake.requests.length = 0;
      const [image] = await generate(input({ size, width, height }), contextFor(fake));
      assert.equal(fake.apiRequests()[0]!.fields!.resolution, resolution, size);
      const meta = await sharp(image!.data).metadata();
      assert.equal(`${meta.width}x${meta.height}`, resolution, size);
    }
  });

  it('maps TURBO and QUALITY through unchanged and reports the seed Ideogram picked', async () => {
    for (const speed of ['TURBO', 'QUALITY'] as const) {
      fake.requests.length = 0;
      const [image] = await generate(input({ renderingSpeed: speed }), contextFor(fake));
      const fields = fake.apiRequests()[0]!.fields!;
      assert.equal(fields.rendering_speed, speed);
      assert.equal(fields.seed, undefined);
      assert.ok(Number.isInteger(image!.seed) && image!.seed! >= 0 && image!.seed! <= 2147483647, `seed ${image!.seed}`);
    }
  });

  it('sends 3.0 its own fields', async () => {
    const [image] = await generate(
      input({ model: 'ideogram-v3', upstreamModel: 'ideogram-v3', size: '16:9', width: 1312, height: 736, negativePrompt: 'blur', seed: 7 }),
      contextFor(fake),
    );
    const call = fake.apiRequests()[0]!;
    assert.equal(call.path, '/v1/ideogram-v3/generate');
    assert.deepEqual(call.fields, { prompt: 'A poster reading "HELLO"', rendering_speed: 'DEFAULT', seed: '7', aspect_ratio: '16x9', num_images: '1', negative_prompt: 'blur' });
    assert.equal(image!.seed, 7);
    assert.equal((await sharp(image!.data).metadata()).format, 'png');
  });

  describe('failures', () => {
    it('500 is retryable', async () => {
      fake.failNext(1, 500);
      await rejectsUpstream(generate(input(), contextFor(fake)), { code: 'upstream_unavailable', retryable: true, status: 500 }, [fake.apiKey]);
    });

    it('a prompt failing the safety check (422) is a non-retryable content policy violation', async () => {
      fake.unsafePrompt = true;
      await rejectsUpstream(generate(input(), contextFor(fake)), { code: 'content_policy_violation', retryable: false, status: 422 }, [fake.apiKey]);
    });

    it('an image judged unsafe is a content policy violation, not a success', async () => {
      fake.unsafe = true;
      await rejectsUpstream(generate(input(), contextFor(fake)), { code: 'content_policy_violation', retryable: false });
      assert.equal(fake.requests.filter((r) => r.file).length, 0);
    });

    it('a wrong key is a non-retryable auth failure that names neither key', async () => {
      const wrong = 'ideo_wrong_key_0123456789';
      await rejectsUpstream(generate(input(), contextFor(fake, { apiKey: wrong })), { code: 'upstream_auth_failed', retryable: false, status: 401 }, [
        wrong,
        fake.apiKey,
      ]);
    });

    it('429 is retryable', async () => {
      fake.rateLimit = true;
      await rejectsUpstream(generate(input(), contextFor(fake)), { code: 'upstream_rate_limited', retryable: true, status: 429 });
    });

    it('a slow answer past ctx.timeoutMs is a retryable timeout', async () => {
      fake.slow(2000);
      await rejectsUpstream(generate(input(), contextFor(fake, { timeoutMs: 100 })), { code: 'upstream_timeout', retryable: true });
    });

    it('connection refused is retryable', async () => {
      const url = await deadUrl();
      await rejectsUpstream(generate(input(), contextFor({ url, apiKey: fake.apiKey })), { code: 'upstream_unavailable', retryable: true }, [fake.apiKey]);
    });

    it('a 200 body that is not JSON is a bad response', async () => {
      fake.failNext(1, 200, '<html>upstream proxy page</html>');
      await rejectsUpstream(generate(input(), contextFor(fake)), { code: 'upstream_bad_response', retryable: true });
    });

    it('an aborted task stops with a non-retryable error', async () => {
      fake.slow(2000);
      const controller = new AbortController();
      const pending = generate(input(), contextFor(fake, { signal: controller.signal }));
      controller.abort();
      await rejectsUpstream(pending, { code: 'upstream_failed', retryable: false });
    });

    it('garbage image bytes come back as they are and the worker refuses them', async () => {
      fake.garbage = true;
      const [image] = await generate(input(), contextFor(fake));
      await assert.rejects(sharp(image!.data).metadata());
      await rejectsUpstream(normalizeImage(image!.data, { width: 2048, height: 2048, format: 'png' }), { code: 'upstream_bad_response', retryable: true });
    });
  });

  describe('the fake holds adapters to the contract', () => {
    const post = (body: BodyInit, headers: Record<string, string> = {}, path = '/v1/ideogram-v4/generate') =>
      fetch(`${fake.url}${path}`, { method: 'POST', headers: { 'Api-Key': fake.apiKey, ...headers }, body });
    const form = (fields: Record<string, string>) => {
      const f = new FormData();
      for (const [k, v] of Object.entries(fields)) f.set(k, v);
      return f;
    };

    it('refuses missing, wrong and Bearer keys with 401', async () => {
      const body = form({ text_prompt: 'x' });
      assert.equal((await fetch(`${fake.url}/v1/ideogram-v4/generate`, { method: 'POST', body })).status, 401);
      assert.equal((await post(body, { 'Api-Key': 'nope' })).status, 401);
      const bearer = await fetch(`${fake.url}/v1/ideogram-v4/generate`, { method: 'POST', headers: { Authorization: `Bearer ${fake.apiKey}` }, body });
      assert.equal(bearer.status, 401);
    });

    it('refuses JSON bodies, BALANCED, FLASH, off-list resolutions, 4.0-less fields and unknown fields', async () => {
      assert.equal((await post(JSON.stringify({ text_prompt: 'x' }), { 'Content-Type': 'application/json' })).status, 400);
      const refused: Array<Record<string, string>> = [
        { text_prompt: 'x', rendering_speed: 'BALANCED' },
        { text_prompt: 'x', rendering_speed: 'FLASH' },
        { text_prompt: 'x', resolution: '2987x1280' },
        { text_prompt: 'x', resolution: '1024x1024' },
        { text_prompt: 'x', negative_prompt: 'y' },
        { text_prompt: 'x', aspect_ratio: '1x1' },
        { text_prompt: 'x', num_images: '1' },
        { text_prompt: 'x', style_type: 'AUTO' },
        { text_prompt: 'x', colour: 'red' },
        { text_prompt: 'x', seed: '-1' },
        { text_prompt: 'x', seed: '2147483648' },
        { text_prompt: 'x', json_prompt: '{"a":1}' },
        { prompt: 'x' },
      ];
      for (const fields of refused) assert.equal((await post(form(fields))).status, 400, JSON.stringify(fields));
      assert.equal((await post(form({ text_prompt: 'x', resolution: '3072x1280', rendering_speed: 'TURBO', seed: '5' }))).status, 200);
    });

    it('checks 3.0 per its own list', async () => {
      const v3 = (fields: Record<string, string>) => post(form(fields), {}, '/v1/ideogram-v3/generate');
      const refused: Array<Record<string, string>> = [
        { prompt: 'x', aspect_ratio: '21x9' },
        { prompt: 'x', aspect_ratio: '1x1', resolution: '1024x1024' },
        { prompt: 'x', num_images: '9' },
        { prompt: 'x', style_type: 'ANIME' },
        { prompt: 'x', magic_prompt: 'MAYBE' },
        { text_prompt: 'x' },
      ];
      for (const fields of refused) assert.equal((await v3(fields)).status, 400, JSON.stringify(fields));
      const ok = await v3({ prompt: 'x', aspect_ratio: '4x3', num_images: '2', rendering_speed: 'FLASH', style_type: 'AUTO', magic_prompt: 'OFF' });
      assert.equal(ok.status, 200);
      const body = (await ok.json()) as { response_type?: string; data: Array<{ style_type: string }> };
      assert.equal(body.response_type, undefined);
      assert.deepEqual(
        body.data.map((d) => d.style_type),
        ['GENERAL', 'GENERAL'],
      );
    });
  });
});
