// ElevenLabs music on fal over real HTTP against the fake fal queue.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { falProvider } from '../../src/providers/fal/index.js';
import { falPollOptions } from '../../src/providers/fal/queue.js';
import type { MusicOpInput } from '../../src/providers/types.js';
import { probeMedia } from '../../src/media/probe.js';
import { contextFor, rejectsUpstream } from '../fakes/http-helpers.js';
import { type FakeFal, startFakeFal } from '../fakes/fal-server.js';

const generate = falProvider.operations.music!;

const input = (over: Partial<MusicOpInput> = {}): MusicOpInput => ({
  taskId: 'task_m1',
  model: 'elevenlabs-music',
  upstreamModel: 'fal-ai/elevenlabs/music',
  prompt: 'A calm piano loop for a rainy afternoon',
  durationS: 12,
  instrumental: true,
  format: 'mp3',
  ...over,
});

describe('fal music adapter (ElevenLabs)', () => {
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

  it('sends ElevenLabs fields in milliseconds and downloads an mp3 of that length', async () => {
    const audio = await generate(input({ seed: 99 }), contextFor(fake, { timeoutMs: 30_000 }));
    const [submit] = fake.submits();
    assert.equal(submit!.path, '/fal-ai/elevenlabs/music');
    assert.deepEqual(submit!.body, { prompt: 'A calm piano loop for a rainy afternoon', music_length_ms: 12000, force_instrumental: true, seed: 99 });
    for (const poll of fake.polls()) assert.match(poll.path, /^\/fal-ai\/elevenlabs\/requests\/[0-9a-f-]+\/status$/);

    assert.equal(audio.contentType, 'audio/mpeg');
    const info = await probeMedia(audio.data);
    assert.equal(info.audio?.codec, 'mp3');
    assert.equal(info.video, undefined);
    assert.ok(Math.abs(info.durationS - 12) < 0.3, `duration ${info.durationS}`);
  });

  it('songs with vocals, fractional seconds rounded to whole milliseconds, no seed unless given', async () => {
    await generate(input({ instrumental: false, durationS: 3.25 }), contextFor(fake, { timeoutMs: 30_000 }));
    assert.deepEqual(fake.submits()[0]!.body, { prompt: 'A calm piano loop for a rainy afternoon', music_length_ms: 3250, force_instrumental: false });
  });

  describe('failures', () => {
    it('a length fal refuses (under 3 s) is a non-retryable invalid request naming the field', async () => {
      const err = await rejectsUpstream(generate(input({ durationS: 2 }), contextFor(fake)), { code: 'upstream_invalid_request', retryable: false, status: 422 });
      assert.match(err.message, /music_length_ms/);
    });

    it('a refused prompt is a content policy violation', async () => {
      fake.unsafe = true;
      await rejectsUpstream(generate(input(), contextFor(fake)), { code: 'content_policy_violation', retryable: false, status: 422 });
    });

    it('infrastructure errors while polling are ridden out, then give up retryably', async () => {
      fake.pollsToComplete = 2;
      fake.failNextPolls(2, 503, { detail: 'Runner connection timeout', error_type: 'runner_connection_timeout' });
      const audio = await generate(input(), contextFor(fake, { timeoutMs: 30_000 }));
      assert.ok(audio.data.length > 0);
      fake.requests.length = 0;
      fake.failNextPolls(3, 503, { detail: 'Runner connection timeout', error_type: 'runner_connection_timeout' });
      await rejectsUpstream(generate(input(), contextFor(fake)), { code: 'upstream_unavailable', retryable: true, status: 503 });
      assert.equal(fake.cancels().length, 1, 'the abandoned request is cancelled');
    });

    it('an audio URL that 404s, or an answer without audio, is a retryable bad response', async () => {
      fake.brokenMediaUrl = true;
      await rejectsUpstream(generate(input(), contextFor(fake)), { code: 'upstream_bad_response', retryable: true, status: 404 });
      fake.brokenMediaUrl = false;
      fake.failResult(200, { audio: null });
      await rejectsUpstream(generate(input(), contextFor(fake)), { code: 'upstream_bad_response', retryable: true });
    });

    it('junk at the audio URL comes back as it is, for the modality to refuse', async () => {
      fake.garbage = true;
      const audio = await generate(input(), contextFor(fake));
      await assert.rejects(probeMedia(audio.data));
    });
  });

  it('the fake refuses a model_id other than music_v1 and a non-boolean force_instrumental', async () => {
    const headers = { Authorization: `Key ${fake.apiKey}`, 'Content-Type': 'application/json' };
    fake.pollsToComplete = 0;
    for (const [body, field] of [
      [{ prompt: 'x', model_id: 'music_v2' }, 'model_id'],
      [{ prompt: 'x', force_instrumental: 'true' }, 'force_instrumental'],
      [{ prompt: 'x', music_length_ms: 300001 }, 'music_length_ms'],
    ] as const) {
      const queued = (await (await fetch(`${fake.url}/fal-ai/elevenlabs/music`, { method: 'POST', headers, body: JSON.stringify(body) })).json()) as { status_url: string; response_url: string };
      await fetch(queued.status_url, { headers });
      const result = await fetch(queued.response_url, { headers });
      assert.equal(result.status, 422);
      assert.deepEqual(((await result.json()) as { detail: Array<{ loc: string[] }> }).detail[0]!.loc, ['body', field]);
    }
  });
});
