// Renders a score to stereo Float32 PCM: every note through its synthesiser, panned into the mix,
// a share sent to a reverb; then the master is levelled and faded out at the end.
// Rendering takes a while (about 10-20 ms of CPU per second of music) and may share its process
// with the HTTP server, so it gives the event loop a turn every few milliseconds and stops when
// `signal` aborts.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { makeRng, type Score } from './compose.js';
import { DRUM_PLACEMENT, makeDrumKit } from './drums.js';
import { renderNote, type SynthContext } from './instruments.js';

export interface StereoPcm {
  sampleRate: number;
  left: Float32Array;
  right: Float32Array;
}

/** Equal-power pan gains for -1 (left) .. 1 (right). */
function panGains(pan: number): [number, number] {
  const a = ((pan + 1) * Math.PI) / 4;
  return [Math.cos(a), Math.sin(a)];
}

/** An awaitable that yields to the event loop when the caller has held it for a while. */
function cooperative(signal?: AbortSignal): () => Promise<void> {
  let since = performance.now();
  return async () => {
    if (performance.now() - since < 15) return;
    await nextTurn();
    signal?.throwIfAborted();
    since = performance.now();
  };
}

export async function renderScore(score: Score, seed: number, sampleRate = 44100, signal?: AbortSignal): Promise<StereoPcm> {
  signal?.throwIfAborted();
  const pause = cooperative(signal);
  const frames = Math.round(score.durationS * sampleRate);
  const left = new Float32Array(frames);
  const right = new Float32Array(frames);
  const send = new Float32Array(frames);
  const ctx: SynthContext = { sampleRate, rng: makeRng(seed ^ 0x5bd1e995), tables: new Map() };

  const mix = (samples: Float32Array, start: number, gain: number, pan: number, sendGain: number) => {
    const [gl, gr] = panGains(pan);
    const end = Math.min(frames, start + samples.length);
    for (let n = Math.max(0, start); n < end; n++) {
      const s = samples[n - start]! * gain;
      left[n]! += s * gl;
      right[n]! += s * gr;
      send[n]! += s * sendGain;
    }
  };

  for (const track of score.tracks) {
    for (const note of track.notes) {
      const start = Math.round(note.time * sampleRate);
      if (start >= frames) continue;
      mix(renderNote(track.instrument, note.midi, note.dur, note.vel, ctx, note.vowel), start, track.gain, track.pan, track.send);
      await pause();
    }
  }
  const kit = makeDrumKit(sampleRate, ctx.rng);
  for (const hit of score.drums) {
    const place = DRUM_PLACEMENT[hit.kind];
    mix(kit[hit.kind], Math.round(hit.time * sampleRate), place.gain * hit.vel, place.pan, place.send);
  }
  await pause();

  await addReverb(send, left, right, sampleRate, pause);
  master(left, right, sampleRate, score.durationS);
  signal?.throwIfAborted();
  return { sampleRate, left, right };
}

const COMBS = [1116, 1188, 1277, 1356, 1422, 1557];
const ALLPASSES = [556, 441, 341, 225];
const STEREO_SPREAD = 23;
const WET = 0.35;
const BLOCK = 8192;

interface Delay {
  buf: Float32Array;
  idx: number;
  store: number;
}

/**
 * A small Schroeder/Freeverb-style room: parallel damped combs then allpasses, one set per
 * channel (the right one slightly longer), fed by `send` and added into left and right.
 */
async function addReverb(send: Float32Array, left: Float32Array, right: Float32Array, sr: number, pause: () => Promise<void>): Promise<void> {
  const scale = sr / 44100;
  const delays = (tunings: number[], spread: number): Delay[] =>
    tunings.map((t) => ({ buf: new Float32Array(Math.round((t + spread) * scale)), idx: 0, store: 0 }));
  const channels = [
    { out: left, combs: delays(COMBS, 0), allpasses: delays(ALLPASSES, 0) },
    { out: right, combs: delays(COMBS, STEREO_SPREAD), allpasses: delays(ALLPASSES, STEREO_SPREAD) },
  ];
  const wet = new Float32Array(BLOCK);
  for (let from = 0; from < send.length; from += BLOCK) {
    const to = Math.min(send.length, from + BLOCK);
    for (const ch of channels) {
      wet.fill(0);
      for (const c of ch.combs) {
        const { buf } = c;
        let { idx, store } = c;
        for (let n = from; n < to; n++) {
          const y = buf[idx]!;
          store = y * 0.75 + store * 0.25; // damping: highs die sooner
          buf[idx] = send[n]! * 0.05 + store * 0.82;
          wet[n - from]! += y;
          if (++idx === buf.length) idx = 0;
        }
        c.idx = idx;
        c.store = store;
      }
      for (const a of ch.allpasses) {
        const { buf } = a;
        let { idx } = a;
        for (let i = 0; i < to - from; i++) {
          const b = buf[idx]!;
          const x = wet[i]!;
          buf[idx] = x + b * 0.5;
          wet[i] = b - x;
          if (++idx === buf.length) idx = 0;
        }
        a.idx = idx;
      }
      for (let n = from; n < to; n++) ch.out[n]! += WET * wet[n - from]!;
    }
    await pause();
  }
}

/** Levels the mix to -1 dBFS peak, softens the very start and fades the end out. */
function master(left: Float32Array, right: Float32Array, sr: number, durationS: number): void {
  let peak = 0;
  for (let n = 0; n < left.length; n++) peak = Math.max(peak, Math.abs(left[n]!), Math.abs(right[n]!));
  const gain = peak > 0 ? 0.89 / peak : 0;
  const fadeIn = Math.round(0.005 * sr);
  const fadeOut = Math.round(Math.min(durationS / 2, Math.max(0.5, Math.min(4, durationS * 0.12))) * sr);
  const total = left.length;
  for (let n = 0; n < total; n++) {
    let g = gain;
    if (n < fadeIn) g *= n / fadeIn;
    const fromEnd = total - n;
    if (fromEnd <= fadeOut) {
      const u = 1 - fromEnd / fadeOut;
      g *= (1 - u) * (1 - u);
    }
    left[n]! *= g;
    right[n]! *= g;
  }
}
