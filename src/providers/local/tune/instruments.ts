// The synthesisers: each turns one note into mono samples (the note plus its release tail).
// Wavetable additive voices (pad, flute, square lead, bass, the sung vowel), two-operator FM
// (piano, electric piano, bell) and Karplus-Strong plucked strings (pluck, arpeggio).
import type { InstrumentName, Rng, Vowel } from './compose.js';

const SIN_SIZE = 4096;
const SIN = new Float32Array(SIN_SIZE + 1);
for (let i = 0; i <= SIN_SIZE; i++) SIN[i] = Math.sin((2 * Math.PI * i) / SIN_SIZE);

/** sin(2π·cycles), by table (cycles may be any real). */
function sinc(cycles: number): number {
  const x = (cycles - Math.floor(cycles)) * SIN_SIZE;
  const i = x | 0;
  const a = SIN[i]!;
  return a + (x - i) * (SIN[i + 1]! - a);
}

const TABLE_SIZE = 2048;

/** One cycle of a wave with the given harmonic amplitudes (index 0 = fundamental). */
function wavetable(harmonics: number[]): Float32Array {
  const t = new Float32Array(TABLE_SIZE + 1);
  let peak = 0;
  for (let i = 0; i < TABLE_SIZE; i++) {
    let v = 0;
    for (let k = 0; k < harmonics.length; k++) if (harmonics[k]) v += harmonics[k]! * SIN[((k + 1) * i * (SIN_SIZE / TABLE_SIZE)) % SIN_SIZE]!;
    t[i] = v;
    peak = Math.max(peak, Math.abs(v));
  }
  for (let i = 0; i < TABLE_SIZE; i++) t[i]! /= peak || 1;
  t[TABLE_SIZE] = t[0]!;
  return t;
}

interface Envelope {
  attack: number;
  /** Time constant of the fall from 1 to `sustain`, seconds. */
  decay: number;
  sustain: number;
  /** Time constant of the fall after note-off, seconds. */
  release: number;
}

/** An attack-decay-sustain-release gain curve over the note and its tail (to about -43 dB, then a 5 ms ramp to 0). */
function envelope(sr: number, noteS: number, e: Envelope): Float32Array {
  const noteFrames = Math.max(1, Math.round(noteS * sr));
  const total = noteFrames + Math.ceil(e.release * 5 * sr);
  const out = new Float32Array(total);
  const attackFrames = Math.max(1, Math.round(e.attack * sr));
  const kd = Math.exp(-1 / (e.decay * sr));
  const kr = Math.exp(-1 / (e.release * sr));
  let falling = 1;
  let level = 0;
  for (let n = 0; n < total; n++) {
    if (n < noteFrames) {
      if (n < attackFrames) level = n / attackFrames;
      else {
        falling *= kd;
        level = e.sustain + (1 - e.sustain) * falling;
      }
      // A note shorter than its attack is released from where the attack got to.
    } else level *= kr;
    out[n] = level;
  }
  const ramp = Math.min(total - noteFrames, Math.round(0.005 * sr));
  for (let i = 0; i < ramp; i++) out[total - 1 - i]! *= i / ramp;
  return out;
}

const midiHz = (m: number) => 440 * 2 ** ((m - 69) / 12);

// Vowel formants (frequency, bandwidth, gain) of a sung voice.
const FORMANTS: Record<Vowel, [number, number, number][]> = {
  ah: [[800, 80, 1], [1150, 90, 0.5], [2900, 120, 0.25], [3900, 130, 0.1]],
  oh: [[450, 70, 1], [800, 80, 0.45], [2830, 100, 0.15], [3800, 130, 0.08]],
  oo: [[325, 50, 1], [700, 60, 0.25], [2530, 170, 0.08], [3500, 180, 0.04]],
};

/** Harmonic amplitudes of a voice at `f0` singing `vowel`: a glottal slope shaped by resonances. */
function vowelHarmonics(f0: number, vowel: Vowel, sr: number): number[] {
  const out: number[] = [];
  for (let k = 1; k * f0 < Math.min(5000, sr * 0.45); k++) {
    const f = k * f0;
    let g = 0;
    for (const [fc, bw, gain] of FORMANTS[vowel]) g += gain / (1 + ((f - fc) / (bw / 2)) ** 2);
    out.push((g + 0.02) / k ** 0.7);
  }
  return out;
}

interface TableVoice {
  kind: 'table';
  harmonics: (f0: number) => number[];
  env: Envelope;
  /** Hz and semitones; the vibrato fades in over `delay` seconds. */
  vibrato?: { rate: number; depth: number; delay: number };
  /** Copies detuned by these cents, summed (a chorus). */
  detune?: number[];
  breath?: number;
}

interface FmVoice {
  kind: 'fm';
  ratio: number;
  /** Modulation index from `index` falling to `indexEnd` with time constant `indexDecay`. */
  index: number;
  indexEnd: number;
  indexDecay: number;
  env: Envelope;
  /** A quiet high partial struck at the start (an electric piano's tine). */
  tine?: number;
}

interface PluckVoice {
  kind: 'pluck';
  /** Seconds to fall by 60 dB. */
  t60: number;
  /** 0..1: how bright the pluck is. */
  brightness: number;
  env: Envelope;
}

type Voice = TableVoice | FmVoice | PluckVoice;

const nyquistCut = (f0: number, sr: number, amps: number[]) => amps.filter((_, k) => (k + 1) * f0 < sr * 0.45);

const VOICES: Record<Exclude<InstrumentName, 'vocal'>, Voice> = {
  piano: { kind: 'fm', ratio: 1, index: 1.7, indexEnd: 0.2, indexDecay: 0.35, env: { attack: 0.004, decay: 1.1, sustain: 0, release: 0.12 }, tine: 0.05 },
  epiano: { kind: 'fm', ratio: 1, index: 1.1, indexEnd: 0.15, indexDecay: 0.5, env: { attack: 0.003, decay: 1.6, sustain: 0.05, release: 0.18 }, tine: 0.2 },
  bell: { kind: 'fm', ratio: 3.5, index: 2.4, indexEnd: 0.1, indexDecay: 1.1, env: { attack: 0.002, decay: 1.5, sustain: 0, release: 0.5 } },
  pluck: { kind: 'pluck', t60: 2.2, brightness: 0.7, env: { attack: 0.001, decay: 10, sustain: 1, release: 0.08 } },
  arp: { kind: 'pluck', t60: 0.9, brightness: 0.55, env: { attack: 0.001, decay: 10, sustain: 1, release: 0.05 } },
  flute: {
    kind: 'table',
    harmonics: () => [1, 0.22, 0.08, 0.03],
    env: { attack: 0.07, decay: 0.25, sustain: 0.85, release: 0.09 },
    vibrato: { rate: 5, depth: 0.12, delay: 0.25 },
    breath: 0.05,
  },
  square: {
    kind: 'table',
    harmonics: () => Array.from({ length: 15 }, (_, i) => ((i + 1) % 2 === 1 ? 1 / (i + 1) ** 1.15 : 0.04 / (i + 1))),
    env: { attack: 0.01, decay: 0.15, sustain: 0.6, release: 0.07 },
    vibrato: { rate: 5.5, depth: 0.08, delay: 0.3 },
  },
  pad: {
    kind: 'table',
    harmonics: () => Array.from({ length: 10 }, (_, i) => 1 / (i + 1) ** 1.3),
    env: { attack: 0.35, decay: 1, sustain: 0.85, release: 0.3 },
    detune: [-7, 0, 6],
  },
  bass: { kind: 'table', harmonics: () => [1, 0.5, 0.22, 0.1, 0.05], env: { attack: 0.006, decay: 0.35, sustain: 0.55, release: 0.05 } },
};

const VOCAL: Omit<TableVoice, 'harmonics'> = {
  kind: 'table',
  env: { attack: 0.09, decay: 0.4, sustain: 0.9, release: 0.16 },
  vibrato: { rate: 5.3, depth: 0.3, delay: 0.35 },
  breath: 0.03,
};

export interface SynthContext {
  sampleRate: number;
  rng: Rng;
  /** Wavetables already built, by instrument and note. */
  tables: Map<string, Float32Array>;
}

// Trims that make the instruments about equally loud at the same velocity.
const LEVEL: Record<InstrumentName, number> = { piano: 1, epiano: 0.9, bell: 0.5, pluck: 1.8, arp: 2, flute: 0.6, square: 0.55, pad: 1, bass: 1, vocal: 1 };

/** One note of `instrument`: mono samples, the note followed by its release tail. */
export function renderNote(instrument: InstrumentName, midi: number, durS: number, vel: number, ctx: SynthContext, vowel: Vowel = 'ah'): Float32Array {
  return synthesize(instrument, midi, durS, vel * LEVEL[instrument], ctx, vowel);
}

function synthesize(instrument: InstrumentName, midi: number, durS: number, vel: number, ctx: SynthContext, vowel: Vowel): Float32Array {
  const f0 = midiHz(midi);
  const sr = ctx.sampleRate;
  if (instrument === 'vocal') {
    return renderTable({ ...VOCAL, harmonics: (f) => vowelHarmonics(f, vowel, sr) }, `vocal:${vowel}:${midi}`, f0, durS, vel, ctx);
  }
  const voice = VOICES[instrument];
  if (voice.kind === 'table') return renderTable(voice, `${instrument}:${midi}`, f0, durS, vel, ctx);
  if (voice.kind === 'fm') return renderFm(voice, f0, durS, vel, sr);
  return renderPluck(voice, f0, durS, vel, ctx);
}

function renderTable(v: TableVoice, cacheKey: string, f0: number, durS: number, vel: number, ctx: SynthContext): Float32Array {
  const sr = ctx.sampleRate;
  let table = ctx.tables.get(cacheKey);
  if (!table) {
    table = wavetable(nyquistCut(f0 * 1.02, sr, v.harmonics(f0)));
    ctx.tables.set(cacheKey, table);
  }
  const env = envelope(sr, durS, v.env);
  const out = new Float32Array(env.length);
  const copies = (v.detune ?? [0]).map((cents) => ({ inc: (f0 * 2 ** (cents / 1200) * TABLE_SIZE) / sr, phase: (ctx.rng() * TABLE_SIZE) | 0 }));
  const vib = v.vibrato;
  const depth = vib ? (vib.depth * Math.LN2) / 12 : 0;
  const gain = vel / copies.length;
  for (let n = 0; n < out.length; n++) {
    let bend = 1;
    if (vib) {
      const t = n / sr;
      bend = 1 + depth * (t < vib.delay ? t / vib.delay : 1) * sinc(vib.rate * t);
    }
    let sum = 0;
    for (const c of copies) {
      c.phase += c.inc * bend;
      if (c.phase >= TABLE_SIZE) c.phase -= TABLE_SIZE;
      const i = c.phase | 0;
      const a = table[i]!;
      sum += a + (c.phase - i) * (table[i + 1]! - a);
    }
    out[n] = gain * env[n]! * sum;
  }
  if (v.breath) {
    // Breath: soft low-passed noise that follows the envelope.
    let lp = 0;
    for (let n = 0; n < out.length; n++) {
      lp += 0.15 * (ctx.rng() * 2 - 1 - lp);
      out[n]! += v.breath * vel * env[n]! * lp * 3;
    }
  }
  return out;
}

function renderFm(v: FmVoice, f0: number, durS: number, vel: number, sr: number): Float32Array {
  // Lower notes ring longer, as on a real instrument.
  const decayScale = Math.min(2.2, Math.max(0.45, (262 / f0) ** 0.4));
  const env = envelope(sr, durS, { ...v.env, decay: v.env.decay * decayScale });
  const out = new Float32Array(env.length);
  const kI = Math.exp(-1 / (v.indexDecay * sr));
  const kT = Math.exp(-1 / (0.04 * sr));
  let idx = v.index - v.indexEnd;
  let tine = v.tine ?? 0;
  const brightness = 0.6 + 0.4 * vel;
  for (let n = 0; n < out.length; n++) {
    const t = n / sr;
    const carrier = f0 * t;
    let s = sinc(carrier + ((v.indexEnd + idx) * brightness * sinc(carrier * v.ratio)) / (2 * Math.PI));
    if (tine > 1e-4) {
      s += tine * sinc(carrier * 14);
      tine *= kT;
    }
    idx *= kI;
    out[n] = vel * env[n]! * s;
  }
  return out;
}

function renderPluck(v: PluckVoice, f0: number, durS: number, vel: number, ctx: SynthContext): Float32Array {
  const sr = ctx.sampleRate;
  const env = envelope(sr, durS, v.env);
  const length = Math.min(env.length, Math.round((durS + v.t60) * sr));
  const out = new Float32Array(length);
  const period = sr / f0;
  const delay = period - 0.5; // the two-point average adds half a sample
  const loss = 10 ** (-3 / (v.t60 * f0)); // per trip round the loop
  const burst = Math.round(period);
  let lp = 0;
  let mean = 0;
  const noise = new Float32Array(burst);
  // The string's shape when let go (plucked a fifth of the way along), roughened by a little noise.
  const at = Math.max(1, Math.round(burst * 0.2));
  for (let n = 0; n < burst; n++) {
    lp += v.brightness * (ctx.rng() * 2 - 1 - lp);
    const shape = n < at ? n / at : (burst - n) / (burst - at);
    noise[n] = shape + 0.5 * lp;
    mean += noise[n]! / burst;
  }
  const tap = (x: number) => {
    if (x < 0) return 0;
    const i = x | 0;
    return out[i]! + (x - i) * ((out[i + 1] ?? 0) - out[i]!);
  };
  for (let n = 0; n < length; n++) {
    const fb = n >= delay ? 0.5 * loss * (tap(n - delay) + tap(n - delay - 1)) : 0;
    out[n] = (n < burst ? noise[n]! - mean : 0) + fb;
  }
  // How loud a plucked string rings depends on its random burst: level each note by its first periods.
  let peak = 0;
  for (let n = 0; n < Math.min(length, burst * 6); n++) peak = Math.max(peak, Math.abs(out[n]!));
  const gain = peak > 0 ? vel / peak : 0;
  for (let n = 0; n < length; n++) out[n]! *= gain * env[n]!;
  return out;
}
