// Renders a score to stereo Float32 PCM: every note through its synthesiser, panned into the mix,
// a share sent to a reverb; then the master is levelled and faded out at the end.
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

export function renderScore(score: Score, seed: number, sampleRate = 44100, raw = false): StereoPcm {
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
    }
  }
  const kit = makeDrumKit(sampleRate, ctx.rng);
  for (const hit of score.drums) {
    const place = DRUM_PLACEMENT[hit.kind];
    mix(kit[hit.kind], Math.round(hit.time * sampleRate), place.gain * hit.vel, place.pan, place.send);
  }

  const [wetL, wetR] = reverb(send, sampleRate);
  for (let n = 0; n < frames; n++) {
    left[n]! += 0.35 * wetL[n]!;
    right[n]! += 0.35 * wetR[n]!;
  }
  if (!raw) master(left, right, sampleRate, score.durationS);
  return { sampleRate, left, right };
}

/** A small Schroeder/Freeverb-style room: parallel damped combs, then allpasses, per channel. */
function reverb(input: Float32Array, sr: number): [Float32Array, Float32Array] {
  const scale = sr / 44100;
  const channel = (spread: number) => {
    const out = new Float32Array(input.length);
    for (const tuning of [1116, 1188, 1277, 1356, 1422, 1557]) {
      const size = Math.round((tuning + spread) * scale);
      const buf = new Float32Array(size);
      let idx = 0;
      let store = 0;
      for (let n = 0; n < input.length; n++) {
        const y = buf[idx]!;
        store = y * 0.75 + store * 0.25; // damping: highs die sooner
        buf[idx] = input[n]! * 0.05 + store * 0.82;
        out[n]! += y;
        if (++idx === size) idx = 0;
      }
    }
    for (const tuning of [556, 441, 341, 225]) {
      const size = Math.round((tuning + spread) * scale);
      const buf = new Float32Array(size);
      let idx = 0;
      for (let n = 0; n < out.length; n++) {
        const b = buf[idx]!;
        const x = out[n]!;
        buf[idx] = x + b * 0.5;
        out[n] = b - x;
        if (++idx === size) idx = 0;
      }
    }
    return out;
  };
  return [channel(0), channel(23)];
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
