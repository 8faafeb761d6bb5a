// OpenAI text-to-speech over real HTTP against the fake OpenAI API: JSON in, audio bytes out.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openaiProvider } from '../../src/providers/openai/index.js';
import type { SpeechOpInput } from '../../src/providers/types.js';
import { probeMedia } from '../../src/media/probe.js';
import { contextFor, deadUrl, rejectsUpstream } from '../fakes/http-helpers.js';
import { type FakeOpenAI, startFakeOpenAI } from '../fakes/openai-server.js';

const speak = openaiProvider.operations.speech!;
const TEXT = 'The quick brown fox jumps over the lazy dog, twice.';

const input = (over: Partial<SpeechOpInput> = {}): SpeechOpInput => ({
  taskId: 'task_s1',
  model: 'gpt-4o-mini-tts',
  upstreamModel: 'gpt-4o-mini-tts',
  text: TEXT,
  voice: 'coral',
  format: 'mp3',
  speed: 1,
  ...over,
});

describe('openai speech adapter', () => {
  let fake: FakeOpenAI;
  before(async () => {
    fake = await startFakeOpenAI();
  });
  after(() => fake.close());
  beforeEach(() => {
    fake.reset();
    fake.requests.length = 0;
  });

  it('posts the speech body with Bearer auth and returns the audio bytes with their type', async () => {
    const audio = await speak(input({ instructions: 'Cheerful and quick.' }), contextFor(fake));
    const [call] = fake.apiRequests();
    assert.equal(call!.path, '/v1/audio/speech');
    assert.equal(call!.headers.authorization, `Bearer ${fake.apiKey}`);
    assert.deepEqual(call!.body, { model: 'gpt-4o-mini-tts', input: TEXT, voice: 'coral', response_format: 'mp3', speed: 1, instructions: 'Cheerful and quick.' });
    assert.equal(audio.contentType, 'audio/mpeg');
    const info = await probeMedia(audio.data);
    assert.equal(info.audio?.codec, 'mp3');
    assert.ok(info.durationS > 2 && info.durationS < 5, `duration ${info.durationS}`);
  });

  it('every format we offer comes back as that format; no instructions unless given (tts-1 refuses them)', async () => {
    const codecs = { mp3: 'mp3', opus: 'opus', aac: 'aac', flac: 'flac', wav: 'pcm_s16le' } as const;
    for (const [format, codec] of Object.entries(codecs) as Array<[SpeechOpInput['format'], string]>) {
      fake.requests.length = 0;
      const audio = await speak(input({ model: 'tts-1', upstreamModel: 'tts-1', format, speed: 1.5 }), contextFor(fake));
      const body = fake.apiRequests()[0]!.body as Record<string, unknown>;
      assert.equal(body.response_format, format);
      assert.equal(body.speed, 1.5);
      assert.equal('instructions' in body, false);
      assert.equal((await probeMedia(audio.data)).audio?.codec, codec, format);
    }
  });

  describe('failures', () => {
    it("OpenAI's 400 (a voice it does not have) is a non-retryable invalid request naming the parameter", async () => {
      const err = await rejectsUpstream(speak(input({ voice: 'nobody' }), contextFor(fake)), { code: 'upstream_invalid_request', retryable: false, status: 400 });
      assert.match(err.message, /Supported values/);
    });

    it('a wrong key is a non-retryable auth failure naming no key', async () => {
      const wrong = 'sk-proj-wrongwrongwrong0123456789';
      await rejectsUpstream(speak(input(), contextFor(fake, { apiKey: wrong })), { code: 'upstream_auth_failed', retryable: false, status: 401 }, [wrong, fake.apiKey, wrong.slice(0, 8)]);
    });

    it('429 and 503 are retryable', async () => {
      fake.rateLimit = true;
      await rejectsUpstream(speak(input(), contextFor(fake)), { code: 'upstream_rate_limited', retryable: true, status: 429 });
      fake.rateLimit = false;
      fake.failNext(1, 503);
      await rejectsUpstream(speak(input(), contextFor(fake)), { code: 'upstream_unavailable', retryable: true, status: 503 });
    });

    it('a 200 carrying JSON or text instead of audio is a bad response', async () => {
      fake.failNext(1, 200, { error: null });
      await rejectsUpstream(speak(input(), contextFor(fake)), { code: 'upstream_bad_response', retryable: true });
      fake.failNext(1, 200, '');
      await rejectsUpstream(speak(input(), contextFor(fake)), { code: 'upstream_bad_response', retryable: true });
    });

    it('junk labelled as audio comes back as it is, for the modality to refuse', async () => {
      fake.garbage = true;
      const audio = await speak(input(), contextFor(fake));
      await assert.rejects(probeMedia(audio.data));
    });

    it('a slow answer past ctx.timeoutMs is a retryable timeout; connection refused is retryable', async () => {
      fake.slow(2000);
      await rejectsUpstream(speak(input(), contextFor(fake, { timeoutMs: 100 })), { code: 'upstream_timeout', retryable: true });
      const url = await deadUrl();
      await rejectsUpstream(speak(input(), contextFor({ url, apiKey: fake.apiKey })), { code: 'upstream_unavailable', retryable: true });
    });
  });

  describe('the fake holds adapters to the contract', () => {
    const post = (body: unknown) =>
      fetch(`${fake.url}/v1/audio/speech`, { method: 'POST', headers: { Authorization: `Bearer ${fake.apiKey}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

    it('refuses what the speech endpoint does not take', async () => {
      for (const [body, param] of [
        [{ model: 'tts-1', input: 'x', voice: 'alloy', instructions: 'calm' }, 'instructions'],
        [{ model: 'tts-2', input: 'x', voice: 'alloy' }, 'model'],
        [{ model: 'tts-1', input: 'x'.repeat(4097), voice: 'alloy' }, 'input'],
        [{ model: 'tts-1', input: 'x', voice: 'alloy', speed: 5 }, 'speed'],
        [{ model: 'tts-1', input: 'x', voice: 'alloy', response_format: 'ogg' }, 'response_format'],
        [{ model: 'tts-1', input: 'x', voice: 'alloy', format: 'mp3' }, 'format'],
      ] as const) {
        const res = await post(body);
        assert.equal(res.status, 400, JSON.stringify(body).slice(0, 80));
        assert.equal(((await res.json()) as { error: { param: string } }).error.param, param);
      }
    });
  });
});
