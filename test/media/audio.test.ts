import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AUDIO_FORMATS, atempoChain, changeSpeed, encodeAudio, pcmToWav, wavInfo } from '../../src/media/audio.js';
import type { AudioFormat } from '../../src/providers/types.js';
import { decodeMono, probeAudio, rms, sineTone, strongestNotes } from './decode-audio.js';

const RATE = 22050;
const toneWav = (seconds: number, freq = 440) => pcmToWav(sineTone(freq, seconds, RATE), { sampleRate: RATE, channels: 1 });

test('pcmToWav writes a header FFmpeg and wavInfo both read (float32 and int16)', async () => {
  const float = toneWav(0.5);
  const info = wavInfo(float);
  assert.deepEqual([info.sampleRate, info.channels, info.sampleFormat, info.data.length], [RATE, 1, 'f32le', Math.round(0.5 * RATE) * 4]);
  const probe = await probeAudio(float);
  assert.deepEqual([probe.container, probe.codec, probe.sampleRate, probe.channels], ['wav', 'pcm_f32le', RATE, 1]);

  const ints = Int16Array.from(sineTone(440, 0.25, 8000), (v) => Math.round(v * 32767));
  const stereo = new Int16Array(ints.length * 2).map((_, i) => ints[i >> 1]!);
  const wav16 = pcmToWav(stereo, { sampleRate: 8000, channels: 2 });
  assert.equal(wavInfo(wav16).sampleFormat, 's16le');
  const p16 = await probeAudio(wav16);
  assert.deepEqual([p16.codec, p16.sampleRate, p16.channels], ['pcm_s16le', 8000, 2]);
  const decoded = await decodeMono(pcmToWav(ints, { sampleRate: 8000, channels: 1 }), 8000);
  assert.equal(decoded.length, ints.length);
  assert.ok(Math.abs(rms(decoded) - 0.5 / Math.SQRT2) < 0.01, 'the samples survive the round trip');
});

test('wavInfo refuses what is not a WAV file', () => {
  assert.throws(() => wavInfo(Buffer.from('ID3 not a wav at all')), /not a WAV/);
});

const EXPECTED: Record<AudioFormat, { container: string; codec: string; contentType: string }> = {
  mp3: { container: 'mp3', codec: 'mp3', contentType: 'audio/mpeg' },
  opus: { container: 'ogg', codec: 'opus', contentType: 'audio/ogg' },
  aac: { container: 'aac', codec: 'aac', contentType: 'audio/aac' },
  flac: { container: 'flac', codec: 'flac', contentType: 'audio/flac' },
  wav: { container: 'wav', codec: 'pcm_s16le', contentType: 'audio/wav' },
};

for (const format of AUDIO_FORMATS) {
  test(`encodeAudio makes a real ${format} file that decodes to the same tone`, async () => {
    const out = await encodeAudio(toneWav(1), format, { sampleRate: 24000 });
    const want = EXPECTED[format];
    assert.equal(out.contentType, want.contentType);
    assert.equal(out.sampleRate, format === 'opus' ? 48000 : 24000);
    const probe = await probeAudio(out.data);
    assert.deepEqual([probe.container, probe.codec, probe.sampleRate, probe.channels], [want.container, want.codec, out.sampleRate, 1]);
    assert.ok(Math.abs(probe.durationS - 1) < 0.1, `the probe reads about 1 s, got ${probe.durationS}`);
    const pcm = await decodeMono(out.data, RATE);
    assert.ok(Math.abs(pcm.length / RATE - 1) < 0.08, `decodes to about 1 s, got ${pcm.length / RATE}`);
    assert.ok(rms(pcm) > 0.3, 'not silent');
    assert.equal(strongestNotes(pcm, RATE, 0.5)[0], 69, 'still an A4');
  });
}

test('encodeAudio takes raw PCM when told its layout, and can change the channel count', async () => {
  const mono = sineTone(220, 0.5, 16000);
  const raw = Buffer.from(mono.buffer, mono.byteOffset, mono.byteLength);
  const out = await encodeAudio(raw, 'flac', { pcm: { sampleRate: 16000, channels: 1, sampleFormat: 'f32le' }, channels: 2 });
  const probe = await probeAudio(out.data);
  assert.deepEqual([probe.codec, probe.sampleRate, probe.channels], ['flac', 16000, 2]);
});

test('encodeAudio converts any audio FFmpeg reads, reporting the rate it really encoded at', async () => {
  const mp3 = await encodeAudio(toneWav(1), 'mp3');
  assert.equal(mp3.sampleRate, RATE, 'keeps the input rate when none is asked');
  const wav = await encodeAudio(mp3.data, 'wav');
  assert.equal(wav.sampleRate, RATE);
  const probe = await probeAudio(wav.data);
  assert.deepEqual([probe.codec, probe.sampleRate], ['pcm_s16le', RATE]);
  assert.equal(strongestNotes(await decodeMono(wav.data, RATE), RATE, 0.5)[0], 69);
  // MP3 has no 96 kHz: FFmpeg picks a rate the encoder has, and that is the one reported.
  const hiRes = await encodeAudio(pcmToWav(sineTone(440, 0.5, 96000), { sampleRate: 96000, channels: 1 }), 'mp3');
  assert.equal(hiRes.sampleRate, (await probeAudio(hiRes.data)).sampleRate);
  assert.ok(hiRes.sampleRate <= 48000);
  await assert.rejects(encodeAudio(Buffer.from('not audio at all'), 'mp3'), /ffmpeg/);
});

test('atempoChain splits a speed into factors atempo handles well', () => {
  for (const speed of [0.25, 0.3, 0.5, 0.8, 1, 1.5, 2, 3.7, 4]) {
    const chain = atempoChain(speed);
    assert.ok(chain.every((f) => f >= 0.5 - 1e-9 && f <= 2 + 1e-9), `${speed}: ${chain}`);
    assert.ok(Math.abs(chain.reduce((a, b) => a * b, 1) - speed) < 1e-9, `${speed}: product of ${chain}`);
  }
  assert.deepEqual(atempoChain(4), [2, 2]);
});

test('changeSpeed changes the duration and keeps the pitch', async () => {
  const wav = toneWav(2);
  const fast = wavInfo(await changeSpeed(wav, 2));
  assert.ok(Math.abs(fast.data.length / 2 / RATE - 1) < 0.05, `2 s at speed 2 lasts about 1 s, got ${fast.data.length / 2 / RATE}`);
  const slow = await changeSpeed(wav, 0.25);
  const slowInfo = wavInfo(slow);
  assert.equal(slowInfo.sampleRate, RATE);
  assert.ok(Math.abs(slowInfo.data.length / 2 / RATE - 8) < 0.2, `2 s at speed 0.25 lasts about 8 s, got ${slowInfo.data.length / 2 / RATE}`);
  const pcm = await decodeMono(slow, RATE);
  assert.equal(strongestNotes(pcm.subarray(RATE, 3 * RATE), RATE, 1)[0], 69, 'the A4 stays an A4');
  assert.equal(await changeSpeed(wav, 1), wav);
  await assert.rejects(changeSpeed(wav, 5), RangeError);
});
