// Drum sounds, synthesised once per piece: a kick (a falling sine), a snare (tone and noise),
// closed and open hi-hats and a crash (high-passed noise of different lengths).
import type { DrumKind, Rng } from './compose.js';

export type DrumKit = Record<DrumKind, Float32Array>;

function highPassedNoise(rng: Rng, frames: number, passes: number): Float32Array {
  const out = new Float32Array(frames);
  for (let n = 0; n < frames; n++) out[n] = rng() * 2 - 1;
  for (let p = 0; p < passes; p++) {
    let prev = 0;
    for (let n = 0; n < frames; n++) {
      const x = out[n]!;
      out[n] = x - prev;
      prev = x;
    }
  }
  return out;
}

function decaying(noise: Float32Array, sr: number, tau: number, gain: number): Float32Array {
  const k = Math.exp(-1 / (tau * sr));
  let g = gain;
  for (let n = 0; n < noise.length; n++) {
    noise[n]! *= g;
    g *= k;
  }
  return noise;
}

export function makeDrumKit(sr: number, rng: Rng): DrumKit {
  const kick = new Float32Array(Math.round(0.5 * sr));
  let phase = 0;
  for (let n = 0; n < kick.length; n++) {
    const t = n / sr;
    phase += (45 + 110 * Math.exp(-t / 0.045)) / sr;
    const attack = Math.min(1, n / (0.001 * sr));
    kick[n] = attack * Math.sin(2 * Math.PI * phase) * Math.exp(-t / 0.26) + 0.25 * (rng() * 2 - 1) * Math.exp(-t / 0.004);
  }

  const snare = decaying(highPassedNoise(rng, Math.round(0.35 * sr), 1), sr, 0.12, 0.55);
  for (let n = 0; n < snare.length; n++) {
    const t = n / sr;
    snare[n]! += 0.6 * Math.sin(2 * Math.PI * 185 * t) * Math.exp(-t / 0.06) + 0.3 * Math.sin(2 * Math.PI * 330 * t) * Math.exp(-t / 0.03);
  }

  return {
    kick,
    snare,
    hat: decaying(highPassedNoise(rng, Math.round(0.15 * sr), 2), sr, 0.022, 0.35),
    openhat: decaying(highPassedNoise(rng, Math.round(0.7 * sr), 2), sr, 0.17, 0.3),
    crash: decaying(highPassedNoise(rng, Math.round(2.5 * sr), 1), sr, 0.8, 0.32),
  };
}

/** Where each drum sits in the stereo field and how much of it goes to the reverb. */
export const DRUM_PLACEMENT: Record<DrumKind, { pan: number; gain: number; send: number }> = {
  kick: { pan: 0, gain: 0.65, send: 0.03 },
  snare: { pan: 0.05, gain: 0.4, send: 0.25 },
  hat: { pan: 0.3, gain: 0.3, send: 0.05 },
  openhat: { pan: 0.3, gain: 0.28, send: 0.1 },
  crash: { pan: -0.35, gain: 0.28, send: 0.3 },
};
