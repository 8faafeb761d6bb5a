import { test } from 'node:test';
import assert from 'node:assert/strict';
import { composeMusic, renderMusic, TUNE_SAMPLE_RATE } from '../../src/providers/local/tune/index.js';
import { composeScore } from '../../src/providers/local/tune/compose.js';
import { readMood } from '../../src/providers/local/tune/mood.js';
import { coefficientOfVariation, decodeMono, probeAudio, rms, rmsEnvelope, sineTone, strongestNotes } from '../media/decode-audio.js';

const PROMPT = 'upbeat happy pop song with piano and drums';

test('a 10 s piece encoded as mp3 lasts 10 s, is stereo 44.1 kHz, and is music, not silence', async () => {
  const out = await composeMusic({ prompt: PROMPT, durationS: 10, seed: 42, format: 'mp3' });
  assert.equal(out.contentType, 'audio/mpeg');
  assert.equal(out.durationS, 10);
  const probe = await probeAudio(out.data);
  assert.deepEqual([probe.container, probe.codec, probe.sampleRate, probe.channels], ['mp3', 'mp3', 44100, 2]);
  assert.ok(Math.abs(probe.durationS - 10) < 0.5, `the probe reads 10 s, got ${probe.durationS}`);
  const rate = 22050;
  const pcm = await decodeMono(out.data, rate);
  assert.ok(Math.abs(pcm.length / rate - 10) < 0.5, `lasts 10 s, decoded ${pcm.length / rate} s`);
  assert.ok(rms(pcm) > 0.05, `not silent (rms ${rms(pcm)})`);

  // Rhythm: the loudness over 50 ms windows rises and falls (notes, drums), unlike a steady tone.
  const body = pcm.subarray(0, 8 * rate); // before the fade-out
  const cv = coefficientOfVariation(rmsEnvelope(body, rate, 0.05));
  const toneCv = coefficientOfVariation(rmsEnvelope(sineTone(440, 8, rate), rate, 0.05));
  assert.ok(cv > 0.15 && cv > 20 * toneCv, `loudness varies: cv ${cv} vs a steady tone's ${toneCv}`);

  // Melody and harmony: the strongest note changes from one quarter second to the next.
  const notes = strongestNotes(body, rate, 0.25);
  assert.ok(new Set(notes).size >= 4, `several pitches, got ${[...new Set(notes)].join(',')}`);
});

test('renders exactly the requested duration at 44.1 kHz', async () => {
  for (const durationS of [1.5, 3.33, 7.77]) {
    const { pcm } = await renderMusic({ prompt: 'calm piano', durationS, seed: 1 });
    assert.equal(pcm.sampleRate, TUNE_SAMPLE_RATE);
    assert.equal(pcm.left.length, Math.round(durationS * 44100));
    assert.equal(pcm.right.length, pcm.left.length);
    assert.ok(Math.abs(pcm.left.length / 44100 - durationS) < 0.05);
  }
});

test('the same prompt and seed give the same PCM; another seed or prompt another piece', async () => {
  const a = await renderMusic({ prompt: PROMPT, durationS: 6, seed: 7 });
  const b = await renderMusic({ prompt: PROMPT, durationS: 6, seed: 7 });
  const c = await renderMusic({ prompt: PROMPT, durationS: 6, seed: 8 });
  const d = await renderMusic({ prompt: 'a sad slow song in the rain', durationS: 6, seed: 7 });
  assert.deepEqual(a.pcm.left, b.pcm.left);
  assert.deepEqual(a.pcm.right, b.pcm.right);
  assert.notDeepEqual(a.pcm.left, c.pcm.left);
  assert.notDeepEqual(a.pcm.left, d.pcm.left);
  // Without a seed the prompt picks one, so the request is still repeatable.
  assert.equal((await renderMusic({ prompt: PROMPT, durationS: 1 })).seed, (await renderMusic({ prompt: PROMPT, durationS: 1 })).seed);
});

test('the stereo mix is really stereo, peaks below full scale and fades out at the end', async () => {
  const { pcm } = await renderMusic({ prompt: PROMPT, durationS: 8, seed: 3 });
  let diff = 0;
  let peak = 0;
  for (let i = 0; i < pcm.left.length; i++) {
    diff += Math.abs(pcm.left[i]! - pcm.right[i]!);
    peak = Math.max(peak, Math.abs(pcm.left[i]!), Math.abs(pcm.right[i]!));
  }
  assert.ok(diff / pcm.left.length > 0.001, 'left and right differ');
  assert.ok(peak <= 0.9 && peak > 0.5, `peak ${peak}`);
  const n = pcm.left.length;
  assert.ok(rms(pcm.left, n - 2205, n) < 0.2 * rms(pcm.left, 0, n - 44100), 'the last 50 ms are much quieter than the piece');
});

test('the prompt sets mode and tempo: sad is minor, happy major, energetic faster than calm', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    assert.equal(composeScore({ prompt: 'a sad dark melancholy piece', durationS: 10, instrumental: true, seed }).mode, 'minor');
    assert.equal(composeScore({ prompt: 'happy bright sunny morning', durationS: 10, instrumental: true, seed }).mode, 'major');
    const calm = composeScore({ prompt: 'calm slow relaxing', durationS: 10, instrumental: true, seed });
    const fast = composeScore({ prompt: 'energetic fast dance party', durationS: 10, instrumental: true, seed });
    assert.ok(calm.bpm < 90 && fast.bpm >= 118, `calm ${calm.bpm} bpm, energetic ${fast.bpm} bpm`);
  }
  assert.equal(readMood('悲伤的夜晚').mode, 'minor');
  assert.equal(readMood('欢快的舞曲').energy, 2);
  assert.equal(readMood('a train ride').mode, undefined, '"rain" inside "train" does not count');
  assert.equal(readMood('guitar ballad').lead, 'pluck');
});

test('the score has a melody in the scale, a bass line, chords and drums', () => {
  const score = composeScore({ prompt: PROMPT, durationS: 20, instrumental: true, seed: 11 });
  const scale = (score.mode === 'major' ? [0, 2, 4, 5, 7, 9, 11] : [0, 2, 3, 5, 7, 8, 10, 11]).map((s) => (s + score.key) % 12);
  const lead = score.tracks.find((t) => t.name === 'lead')!;
  assert.ok(lead.notes.length > 8);
  assert.ok(lead.notes.every((n) => scale.includes(n.midi % 12)), 'every melody note is in the key');
  assert.ok(new Set(lead.notes.map((n) => n.midi)).size >= 4, 'the melody moves');
  assert.ok(score.tracks.some((t) => t.name === 'bass' && t.notes.length > 4));
  assert.ok(score.tracks.some((t) => t.name === 'chords' && t.notes.length > 4));
  for (const kind of ['kick', 'snare', 'hat'] as const) assert.ok(score.drums.some((d) => d.kind === kind), `has ${kind}`);
  assert.ok(score.tracks.every((t) => t.notes.every((n) => n.time < 20)));
});

test('instrumental: false adds a sung vowel lead, and changes the audio', async () => {
  const sung = await renderMusic({ prompt: PROMPT, durationS: 6, seed: 5, instrumental: false });
  const plain = await renderMusic({ prompt: PROMPT, durationS: 6, seed: 5, instrumental: true });
  const vocal = sung.score.tracks.find((t) => t.instrument === 'vocal');
  assert.ok(vocal && vocal.notes.length > 0 && vocal.notes.every((n) => n.vowel), 'a vocal track singing vowels');
  assert.ok(!plain.score.tracks.some((t) => t.instrument === 'vocal'));
  assert.notDeepEqual(sung.pcm.left, plain.pcm.left);
});

test('other formats encode too, and an aborted request stops', async () => {
  const out = await composeMusic({ prompt: 'calm ambient', durationS: 3, seed: 2, format: 'opus' });
  const probe = await probeAudio(out.data);
  assert.deepEqual([probe.container, probe.codec, probe.channels, out.contentType], ['ogg', 'opus', 2, 'audio/ogg']);
  // Raw AAC (ADTS) has no duration in its headers: the probe must measure it, and get it right.
  const aac = await composeMusic({ prompt: 'energetic rock', durationS: 12, seed: 2, format: 'aac' });
  const aacProbe = await probeAudio(aac.data);
  assert.deepEqual([aacProbe.container, aacProbe.codec, aac.contentType], ['aac', 'aac', 'audio/aac']);
  assert.ok(Math.abs(aacProbe.durationS - 12) < 0.2, `aac lasts 12 s, probed ${aacProbe.durationS}`);
  const controller = new AbortController();
  controller.abort(new Error('stop'));
  await assert.rejects(composeMusic({ prompt: 'x', durationS: 3, format: 'wav', signal: controller.signal }), /stop/);
  await assert.rejects(renderMusic({ prompt: 'x', durationS: 0 }), RangeError);
  // Rendering gives the event loop turns, so an abort lands while it is under way.
  const midway = new AbortController();
  const long = composeMusic({ prompt: PROMPT, durationS: 60, format: 'mp3', signal: midway.signal });
  setTimeout(() => midway.abort(new Error('client canceled')), 20);
  await assert.rejects(long, /client canceled/);
});
