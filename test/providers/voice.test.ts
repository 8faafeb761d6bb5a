import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AUDIO_FORMATS } from '../../src/media/audio.js';
import { VOICES, splitScriptRuns, synthesizeSpeech, voiceStyle } from '../../src/providers/local/voice.js';
import { decodeMono, probeAudio, rms, rmsEnvelope } from '../media/decode-audio.js';

const ACCEPTANCE = '你好，欢迎使用 API in One. Hello and welcome.';
const RATE = 16000;

/** Seconds of audio louder than -40 dBFS, counted in 50 ms windows: how much is actually spoken. */
function voicedSeconds(pcm: Float32Array): number {
  return rmsEnvelope(pcm, RATE, 0.05).filter((r) => r > 0.01).length * 0.05;
}

test('splitScriptRuns cuts Han script from the rest and keeps digits and punctuation in place', () => {
  assert.deepEqual(splitScriptRuns(ACCEPTANCE), [
    { lang: 'zh', text: '你好，欢迎使用' },
    { lang: 'en', text: 'API in One. Hello and welcome.' },
  ]);
  assert.deepEqual(splitScriptRuns('2024年，我有3个 apples, version 2.0 好。'), [
    { lang: 'zh', text: '2024年，我有3个' },
    { lang: 'en', text: 'apples, version 2.0' },
    { lang: 'zh', text: '好。' },
  ]);
  assert.deepEqual(splitScriptRuns('  ...  '), [{ lang: 'en', text: '...' }]);
  assert.deepEqual(splitScriptRuns('   '), []);
});

test('every voice name has its own style; unknown names get a stable one', () => {
  const styles = new Set(VOICES.map((v) => JSON.stringify(voiceStyle(v))));
  assert.equal(VOICES.length, 13);
  assert.equal(styles.size, VOICES.length);
  assert.deepEqual(voiceStyle('someone-new'), voiceStyle('someone-new'));
  assert.deepEqual(voiceStyle('ALLOY'), voiceStyle('alloy'));
});

test('speaks the mixed Chinese and English sentence: over a second of real sound, both parts voiced', async () => {
  const mixed = await synthesizeSpeech({ text: ACCEPTANCE, voice: 'alloy', format: 'wav' });
  const pcm = await decodeMono(mixed.data, RATE);
  assert.ok(pcm.length / RATE > 1, `longer than 1 s, got ${pcm.length / RATE}`);
  assert.ok(Math.abs(mixed.durationS - pcm.length / RATE) < 0.05, 'durationS matches the file');
  assert.ok(rms(pcm) > 0.03, `not silence (rms ${rms(pcm)})`);
  // The Chinese half is really spoken: the whole sentence has clearly more voiced time than its English half alone.
  const english = await decodeMono((await synthesizeSpeech({ text: 'API in One. Hello and welcome.', voice: 'alloy', format: 'wav' })).data, RATE);
  assert.ok(voicedSeconds(pcm) > voicedSeconds(english) + 0.6, `mixed ${voicedSeconds(pcm)} s voiced vs English alone ${voicedSeconds(english)} s`);
});

test('speaks Chinese-only text, longer for more characters', async () => {
  const long = await synthesizeSpeech({ text: '今天天气很好，我们一起去公园散步吧。', voice: 'nova', format: 'wav' });
  const short = await synthesizeSpeech({ text: '好。', voice: 'nova', format: 'wav' });
  const longPcm = await decodeMono(long.data, RATE);
  const shortPcm = await decodeMono(short.data, RATE);
  assert.ok(rms(longPcm) > 0.03, 'not silence');
  assert.ok(voicedSeconds(shortPcm) > 0.1, 'one character is voiced too');
  assert.ok(voicedSeconds(longPcm) > 4 * voicedSeconds(shortPcm), `17 characters (${voicedSeconds(longPcm)} s) vs 1 (${voicedSeconds(shortPcm)} s)`);
});

for (const format of AUDIO_FORMATS) {
  test(`speech as ${format} is a real ${format} file`, async () => {
    const out = await synthesizeSpeech({ text: 'Testing one two three.', voice: 'echo', format });
    const probe = await probeAudio(out.data);
    const want = { mp3: ['mp3', 'mp3'], opus: ['ogg', 'opus'], aac: ['aac', 'aac'], flac: ['flac', 'flac'], wav: ['wav', 'pcm_s16le'] }[format];
    assert.deepEqual([probe.container, probe.codec], want);
    assert.equal(probe.sampleRate, out.sampleRate);
    assert.equal(out.sampleRate, format === 'opus' ? 48000 : 24000);
    assert.ok(Math.abs(probe.durationS - out.durationS) < 0.15, `probed ${probe.durationS} s, said ${out.durationS} s`);
    assert.ok(rms(await decodeMono(out.data, RATE)) > 0.03, 'not silence');
  });
}

test('speed 2 is about half as long as speed 1, speed 0.5 about twice', async () => {
  const text = 'The quick brown fox jumps over the lazy dog.';
  const [slow, normal, fast] = await Promise.all([0.5, 1, 2].map((speed) => synthesizeSpeech({ text, voice: 'onyx', format: 'wav', speed })));
  const ratioFast = fast!.durationS / normal!.durationS;
  const ratioSlow = slow!.durationS / normal!.durationS;
  assert.ok(ratioFast < 0.65 && ratioFast > 0.35, `speed 2: ${fast!.durationS} s vs ${normal!.durationS} s`);
  assert.ok(ratioSlow > 1.6 && ratioSlow < 2.6, `speed 0.5: ${slow!.durationS} s vs ${normal!.durationS} s`);
  // The extremes go beyond eSpeak's own rate range and are finished by atempo.
  const fastest = await synthesizeSpeech({ text, voice: 'onyx', format: 'wav', speed: 4 });
  assert.ok(fastest.durationS < fast!.durationS * 0.7, `speed 4: ${fastest.durationS} s vs speed 2: ${fast!.durationS} s`);
});

test('voices sound different, and the same request gives the same audio', async () => {
  const text = 'Hello there.';
  const [a, b, a2] = await Promise.all([
    synthesizeSpeech({ text, voice: 'shimmer', format: 'wav' }),
    synthesizeSpeech({ text, voice: 'onyx', format: 'wav' }),
    synthesizeSpeech({ text, voice: 'shimmer', format: 'wav' }),
  ]);
  assert.ok(!a!.data.equals(b!.data), 'shimmer and onyx differ');
  assert.ok(a!.data.equals(a2!.data), 'deterministic');
});

test('rejects bad input and stops when aborted', async () => {
  await assert.rejects(synthesizeSpeech({ text: '  ', voice: 'alloy', format: 'mp3' }), RangeError);
  await assert.rejects(synthesizeSpeech({ text: 'hi', voice: 'alloy', format: 'mp3', speed: 5 }), RangeError);
  const controller = new AbortController();
  const pending = synthesizeSpeech({ text: 'This will not finish.', voice: 'alloy', format: 'mp3', signal: controller.signal });
  controller.abort(new Error('client went away'));
  await assert.rejects(pending, /client went away/);
});
