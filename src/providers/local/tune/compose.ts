// The composer: turns a prompt and a seed into a score (notes and drum hits in seconds). Pure and
// deterministic: the same prompt, seed, duration and `instrumental` give the same score.
//
// Form: an optional intro of chords, then phrases of 4 chords (A, A', B, A', ...) over two
// progressions, each phrase with a melody built from a one-bar motif that returns as a sequence,
// a cadence at the phrase end, a bass line, chords (pad or electric piano), an arpeggio and drums
// with a fill before each new phrase; the last bar rests on the tonic while the piece fades out.
import { readMood, type Energy, type LeadInstrument, type Mode } from './mood.js';

export type Rng = () => number;

/** mulberry32: a small, fast, good-enough deterministic generator. */
export function makeRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function hashString(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

export type Vowel = 'ah' | 'oo' | 'oh';
export type InstrumentName = LeadInstrument | 'pad' | 'epiano' | 'bass' | 'vocal' | 'arp';
export type DrumKind = 'kick' | 'snare' | 'hat' | 'openhat' | 'crash';

export interface Note {
  time: number;
  dur: number;
  midi: number;
  vel: number;
  vowel?: Vowel;
}

export interface Track {
  name: string;
  instrument: InstrumentName;
  /** -1 (left) .. 1 (right). */
  pan: number;
  gain: number;
  /** How much goes to the reverb. */
  send: number;
  notes: Note[];
}

export interface DrumHit {
  kind: DrumKind;
  time: number;
  vel: number;
}

export interface Score {
  durationS: number;
  bpm: number;
  /** Pitch class of the tonic, 0 = C. */
  key: number;
  mode: Mode;
  energy: Energy;
  progressions: number[][];
  tracks: Track[];
  drums: DrumHit[];
}

export interface ComposeInput {
  prompt: string;
  durationS: number;
  instrumental: boolean;
  seed: number;
}

const SCALES: Record<Mode, number[]> = { major: [0, 2, 4, 5, 7, 9, 11], minor: [0, 2, 3, 5, 7, 8, 10] };

// Progressions as scale degrees (0 = tonic), four chords each.
const PROGRESSIONS: Record<Mode, number[][]> = {
  major: [[0, 4, 5, 3], [0, 5, 3, 4], [5, 3, 0, 4], [0, 3, 5, 4], [0, 2, 3, 4], [3, 4, 2, 5], [0, 3, 0, 4]],
  minor: [[0, 5, 2, 6], [0, 3, 6, 2], [0, 6, 5, 6], [0, 3, 4, 0], [0, 5, 3, 4], [5, 6, 0, 0], [0, 2, 5, 4]],
};

// One bar of melody rhythm in beats; a negative length is a rest.
const RHYTHMS: Record<Energy, number[][]> = {
  0: [[2, 2], [3, 1], [1, 1, 2], [2, 1, 1], [1.5, 0.5, 2], [-1, 1, 2], [1, 3]],
  1: [[1, 1, 1, 1], [1.5, 0.5, 1, 1], [1, 0.5, 0.5, 2], [0.5, 0.5, 1, 2], [2, 1, 1], [1, 1, 2], [-1, 1, 1, 1], [1.5, 1.5, 1]],
  2: [[0.5, 0.5, 1, 0.5, 0.5, 1], [1, 0.5, 0.5, 1, 1], [0.5, 0.5, 0.5, 0.5, 1, 1], [1.5, 0.5, 1, 1], [-0.5, 0.5, 0.5, 0.5, 1, 1], [1, 1, 0.5, 0.5, 1]],
};
const CADENCES = [[2, 2], [1, 1, 2], [3, -1], [4], [1, 3]];

// Bass patterns per bar: [beat, length, which tone] (r root, f fifth, o octave).
type BassStep = [number, number, 'r' | 'f' | 'o'];
const BASS: Record<Energy, BassStep[][]> = {
  0: [[[0, 4, 'r']], [[0, 2, 'r'], [2, 2, 'f']], [[0, 3, 'r'], [3, 1, 'f']]],
  1: [
    [[0, 1.5, 'r'], [1.5, 0.5, 'r'], [2, 1, 'f'], [3, 1, 'r']],
    [[0, 2, 'r'], [2, 1, 'f'], [3, 0.5, 'o'], [3.5, 0.5, 'f']],
    [[0, 1, 'r'], [1, 1, 'r'], [2, 1, 'f'], [3, 1, 'o']],
  ],
  2: [
    [[0, 0.5, 'r'], [0.5, 0.5, 'r'], [1, 0.5, 'o'], [1.5, 0.5, 'r'], [2, 0.5, 'r'], [2.5, 0.5, 'r'], [3, 0.5, 'o'], [3.5, 0.5, 'f']],
    [[0, 0.75, 'r'], [0.75, 0.75, 'r'], [1.5, 0.5, 'o'], [2, 0.75, 'r'], [2.75, 0.75, 'f'], [3.5, 0.5, 'o']],
  ],
};

// Drum patterns on a 16-step grid.
interface DrumPattern {
  kick: number[];
  snare: number[];
  hat: number[];
  openhat: number[];
}
const DRUMS: Record<Energy, DrumPattern[]> = {
  0: [
    { kick: [0, 8], snare: [8], hat: [0, 4, 8, 12], openhat: [] },
    { kick: [0, 7, 10], snare: [4, 12], hat: [0, 2, 4, 6, 8, 10, 12, 14], openhat: [] },
  ],
  1: [
    { kick: [0, 8, 10], snare: [4, 12], hat: [0, 2, 4, 6, 8, 10, 12, 14], openhat: [] },
    { kick: [0, 6, 8], snare: [4, 12], hat: [0, 2, 4, 6, 8, 10, 12, 14], openhat: [14] },
  ],
  2: [
    { kick: [0, 4, 8, 12], snare: [4, 12], hat: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15], openhat: [] },
    { kick: [0, 4, 8, 12], snare: [4, 12], hat: [0, 4, 8, 12], openhat: [2, 6, 10, 14] },
    { kick: [0, 3, 8, 10], snare: [4, 12], hat: [0, 2, 4, 6, 8, 10, 12, 14], openhat: [6, 14] },
  ],
};

const TEMPO: Record<Energy, [number, number]> = { 0: [66, 84], 1: [90, 112], 2: [118, 136] };
const LEADS: Record<Energy, LeadInstrument[]> = { 0: ['piano', 'flute', 'bell', 'pluck'], 1: ['piano', 'pluck', 'flute', 'bell', 'square'], 2: ['square', 'pluck', 'piano', 'bell'] };

const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
const mod = (n: number, m: number) => ((n % m) + m) % m;

interface Chord {
  degree: number;
  /** Semitones above the tonic (pitch classes, 0..11), root first. */
  tones: number[];
}

function makeChord(degree: number, mode: Mode, seventh: boolean, harmonicV: boolean): Chord {
  const scale = SCALES[mode];
  const idx = seventh ? [0, 2, 4, 6] : [0, 2, 4];
  const tones = idx.map((i) => scale[mod(degree + i, 7)]!);
  // Minor keys borrow the major V (raised leading tone) for a stronger pull home.
  if (mode === 'minor' && degree === 4 && harmonicV) tones[1] = 11;
  return { degree, tones };
}

interface Section {
  kind: 'intro' | 'A' | 'A2' | 'B' | 'end';
  startBar: number;
  bars: number;
}

interface MelodyNote {
  beat: number;
  dur: number;
  /** Index in the scale: 0 = tonic, 7 = an octave up. */
  idx: number;
  vel: number;
}

export function composeScore(input: ComposeInput): Score {
  const rng = makeRng(hashString(input.prompt) ^ Math.imul(input.seed >>> 0, 0x9e3779b1));
  const mood = readMood(input.prompt);
  const mode: Mode = mood.mode ?? (rng() < 0.55 ? 'major' : 'minor');
  const energy: Energy = mood.energy ?? pick(rng, [0, 1, 1, 2] as Energy[]);
  const [lo, hi] = TEMPO[energy];
  const bpm = Math.round(lo + rng() * (hi - lo));
  const key = Math.floor(rng() * 12);
  const scale = SCALES[mode];
  const beatS = 60 / bpm;
  const barS = 4 * beatS;
  const swing = mood.swing ? 0.16 : 0;
  const at = (beat: number) => {
    const frac = beat - Math.floor(beat);
    return (beat + (Math.abs(frac - 0.5) < 1e-9 ? swing : 0)) * beatS;
  };

  const progA = pick(rng, PROGRESSIONS[mode]);
  let progB = pick(rng, PROGRESSIONS[mode]);
  if (progB === progA) progB = PROGRESSIONS[mode][(PROGRESSIONS[mode].indexOf(progA) + 1) % PROGRESSIONS[mode].length]!;
  const sevenths = energy === 0 || mood.swing || rng() < 0.25;
  const harmonicV = rng() < 0.6;
  const chordBars = energy === 0 && rng() < 0.6 ? 2 : 1;
  const phraseBars = 4 * chordBars;

  // The plan of bars: intro, phrases, and the tonic ending.
  const totalBars = Math.max(1, Math.ceil(input.durationS / barS - 1e-9));
  // The last bar that starts at least a second before the end holds the final tonic.
  let endBar = totalBars - 1;
  while (endBar > 0 && endBar * barS > input.durationS - 1) endBar--;
  const introBars = endBar >= 3 * phraseBars ? 2 * chordBars : endBar >= phraseBars + 2 ? chordBars : 0;
  const sections: Section[] = [];
  if (introBars > 0) sections.push({ kind: 'intro', startBar: 0, bars: introBars });
  const order: Section['kind'][] = ['A', 'A2', 'B', 'A2'];
  for (let bar = introBars, i = 0; bar < endBar; bar += phraseBars, i++) {
    sections.push({ kind: order[i % order.length]!, startBar: bar, bars: Math.min(phraseBars, endBar - bar) });
  }
  sections.push({ kind: 'end', startBar: endBar, bars: totalBars - endBar });

  const chordOf = (s: Section, barInSection: number): Chord => {
    if (s.kind === 'end') return makeChord(0, mode, false, false);
    const prog = s.kind === 'B' ? progB : progA;
    return makeChord(prog[Math.floor(barInSection / chordBars) % 4]!, mode, sevenths, harmonicV);
  };

  // Melodies: A ends on a half cadence, A' and B end home.
  const rhythms = RHYTHMS[energy];
  const motifRhythm = pick(rng, rhythms);
  const melodyA = phrase(rng, progA, 2, 'half');
  const melodyA2 = phrase(rng, progA, 2, 'tonic');
  const melodyB = phrase(rng, progB, 4, 'tonic');

  function phrase(r: Rng, prog: number[], center: number, end: 'tonic' | 'half'): MelodyNote[] {
    const notes: MelodyNote[] = [];
    const alt = pick(r, rhythms);
    let pos = center;
    let motif: number[] = [];
    for (let bar = 0; bar < phraseBars; bar++) {
      const chord = makeChord(prog[Math.floor(bar / chordBars) % 4]!, mode, sevenths, harmonicV);
      const last = bar === phraseBars - 1;
      const sequence = bar % 4 === 2 && motif.length > 0;
      const rhythm = last ? pick(r, CADENCES) : bar % 2 === 0 ? motifRhythm : r() < 0.6 ? alt : pick(r, rhythms);
      const lastSounding = rhythm.length - 1 - [...rhythm].reverse().findIndex((d) => d > 0);
      let beat = 0;
      let k = 0;
      for (const [j, d] of rhythm.entries()) {
        if (d < 0) {
          beat -= d;
          continue;
        }
        const strong = beat === 0 || beat === 2 || d >= 2;
        const finalNote = last && j === lastSounding;
        if (sequence && k < motif.length) {
          // The motif again, moved to fit this chord: same shape, new starting note.
          pos = k === 0 ? nearestChordTone(pos, chord) : notes[notes.length - k]!.idx + (motif[k]! - motif[0]!);
        } else {
          // Mostly steps, now and then a leap on a strong beat, drawn towards an arch that peaks
          // in the middle of the phrase.
          let step = strong && r() < 0.15 ? pick(r, [-4, -3, 3, 4]) : pick(r, [-2, -1, -1, 0, 1, 1, 2]);
          const target = center + Math.round(3 * Math.sin((Math.PI * (bar * 4 + beat)) / (phraseBars * 4)));
          if (Math.abs(target - pos) > 1 && r() < 0.5) step += Math.sign(target - pos);
          pos += step;
          if (strong) pos = nearestChordTone(pos, chord);
        }
        if (pos < center - 4) pos += 2;
        if (pos > center + 6) pos -= 2;
        if (finalNote) pos = end === 'tonic' ? Math.round(pos / 7) * 7 : nearestChordTone(pos, chord);
        if (bar === 0) motif.push(pos);
        notes.push({ beat: bar * 4 + beat, dur: d, idx: pos, vel: strong ? 0.9 : 0.72 + r() * 0.1 });
        beat += d;
        k++;
      }
      if (bar === 0 && motif.length < 2) motif = [];
    }
    return notes;
  }

  function nearestChordTone(idx: number, chord: Chord): number {
    for (let delta = 0; delta < 7; delta++) {
      for (const c of [idx - delta, idx + delta]) {
        if (chord.tones.includes(scale[mod(c, 7)]!)) return c;
      }
    }
    return idx;
  }

  const tonicMidi = key < 2 ? 72 + key : 60 + key; // the melody's tonic: D4..C#5
  const idxToMidi = (idx: number, chord: Chord) => {
    let semis = 12 * Math.floor(idx / 7) + scale[mod(idx, 7)]!;
    // Over a borrowed major V the melody takes the raised leading tone too.
    if (mod(semis, 12) === 10 && chord.tones.includes(11)) semis += 1;
    return tonicMidi + semis;
  };

  const leadInstrument = mood.lead ?? pick(rng, LEADS[energy]);
  const lead: Track = { name: 'lead', instrument: leadInstrument, pan: 0.12, gain: 0.5, send: 0.3, notes: [] };
  const vocal: Track = { name: 'vocal', instrument: 'vocal', pan: -0.05, gain: 0.3, send: 0.4, notes: [] };
  const padInstrument = energy === 1 ? 'epiano' : 'pad';
  const chords: Track = { name: 'chords', instrument: padInstrument, pan: -0.2, gain: 0.2, send: 0.45, notes: [] };
  const arp: Track = { name: 'arp', instrument: 'arp', pan: 0.45, gain: 0.3, send: 0.35, notes: [] };
  const bass: Track = { name: 'bass', instrument: 'bass', pan: 0, gain: 0.42, send: 0.05, notes: [] };
  const drums: DrumHit[] = [];
  const withDrums = mood.drums ?? true;
  const withArp = energy > 0 || !withDrums || rng() < 0.5;
  const bassPattern = pick(rng, BASS[energy]);
  const drumPattern = pick(rng, DRUMS[energy]);
  const compPattern = pick(rng, [[[0, 4]], [[0, 1.5], [1.5, 2.5]], [[0, 2], [2.5, 1.5]]] as [number, number][][]);
  const legato = leadInstrument === 'pluck' || leadInstrument === 'bell' ? 1 : 0.92;
  let voicing: number[] = [];

  for (const s of sections) {
    // A piece too short for A' or B gets the arpeggio in its only phrase.
    const lastPhrase = sections.filter((x) => x.kind !== 'intro' && x.kind !== 'end').length <= 1;
    const melody = s.kind === 'A' ? melodyA : s.kind === 'A2' ? melodyA2 : s.kind === 'B' ? melodyB : undefined;
    const vowel: Vowel = s.kind === 'B' ? 'ah' : s.kind === 'A2' ? 'oh' : 'oo';
    if (melody) {
      for (const n of melody) {
        if (n.beat >= s.bars * 4) continue;
        const bar = s.startBar + Math.floor(n.beat / 4);
        const chord = chordOf(s, Math.floor(n.beat / 4));
        const midi = idxToMidi(n.idx, chord);
        const time = at(s.startBar * 4 + n.beat);
        const dur = Math.min(n.dur, s.bars * 4 - n.beat) * beatS;
        if (bar >= totalBars) continue;
        if (input.instrumental) lead.notes.push({ time, dur: dur * legato, midi, vel: n.vel });
        else {
          // Sung "ooh"/"aah" an octave lower where the tune sits high; the lead doubles it in B.
          vocal.notes.push({ time, dur: dur * 0.97, midi: midi > 74 ? midi - 12 : midi, vel: n.vel, vowel });
          if (s.kind === 'B') lead.notes.push({ time, dur: dur * legato, midi, vel: n.vel * 0.45 });
        }
      }
    }
    for (let b = 0; b < s.bars; b++) {
      const bar = s.startBar + b;
      const chord = chordOf(s, b);
      const barStart = bar * 4;
      const rootMidi = (() => {
        const m = 36 + mod(key + chord.tones[0]!, 12);
        return m > 45 ? m - 12 : m;
      })();
      // Chords: voice each tone near where the last chord had it, so the harmony moves smoothly.
      const newChord = b % chordBars === 0;
      if (newChord) {
        voicing = chord.tones.map((t, i) => {
          const pc = mod(key + t, 12);
          const target = voicing[i] ?? 60 + (i * 4 - 2);
          let best = 48 + pc;
          for (let m = 48 + pc; m <= 74; m += 12) if (Math.abs(m - target) < Math.abs(best - target)) best = m;
          return best;
        });
        const spanBeats = s.kind === 'end' ? 4 * s.bars : 4 * Math.min(chordBars, s.bars - b);
        const sustained = chords.instrument === 'pad' || s.kind === 'end';
        // A pad holds the chord; the electric piano plays the comping rhythm in every bar.
        const hits: [number, number][] = sustained ? [[0, spanBeats]] : Array.from({ length: spanBeats / 4 }, (_, r) => compPattern.map(([on, len]): [number, number] => [r * 4 + on, len])).flat();
        for (const [on, len] of hits) {
          for (const m of voicing) chords.notes.push({ time: at(barStart + on), dur: len * beatS, midi: m, vel: 0.7 });
        }
      }
      if (s.kind === 'end') {
        bass.notes.push({ time: at(barStart), dur: 4 * s.bars * beatS, midi: rootMidi, vel: 0.9 });
        if (input.instrumental || lead.notes.length > 0) lead.notes.push({ time: at(barStart), dur: 4 * s.bars * beatS, midi: tonicMidi, vel: 0.7 });
        if (!input.instrumental) vocal.notes.push({ time: at(barStart), dur: 4 * s.bars * beatS, midi: tonicMidi > 69 ? tonicMidi - 12 : tonicMidi, vel: 0.8, vowel: 'ah' });
        if (withDrums) drums.push({ kind: 'kick', time: at(barStart), vel: 0.9 }, { kind: 'crash', time: at(barStart), vel: 0.7 });
        break;
      }
      // Bass (the intro keeps it to a held root).
      if (s.kind === 'intro') bass.notes.push({ time: at(barStart), dur: 4 * beatS, midi: rootMidi, vel: 0.6 });
      else {
        for (const [on, len, tone] of bassPattern) {
          const m = rootMidi + (tone === 'f' ? 7 : tone === 'o' ? 12 : 0);
          bass.notes.push({ time: at(barStart + on), dur: len * beatS * 0.9, midi: m, vel: on === 0 ? 0.95 : 0.8 });
        }
      }
      // Arpeggio: eighths up and down the chord, from the A' and B sections on (throughout without drums).
      if (withArp && (s.kind === 'A2' || s.kind === 'B' || !withDrums || (s.kind === 'A' && lastPhrase))) {
        const tones = [...voicing.map((m) => m + 12)].sort((x, y) => x - y);
        const cycle = [...tones, ...tones.slice(1, -1).reverse()];
        for (let e = 0; e < 8; e++) arp.notes.push({ time: at(barStart + e / 2), dur: beatS * 0.45, midi: cycle[e % cycle.length]!, vel: e % 2 === 0 ? 0.8 : 0.6 });
      }
      // Drums: hats alone in the intro; a crash opens each phrase; a fill closes it.
      if (!withDrums) continue;
      const fill = s.kind !== 'intro' && b === s.bars - 1 && s.bars === phraseBars;
      const step = (n: number) => at(barStart + n / 4);
      if (s.kind !== 'intro' && b === 0) drums.push({ kind: 'crash', time: step(0), vel: s.kind === 'A' ? 0.5 : 0.7 });
      for (const n of drumPattern.hat) drums.push({ kind: 'hat', time: step(n), vel: (n % 4 === 0 ? 0.55 : 0.38) + rng() * 0.1 });
      if (s.kind === 'intro') continue;
      for (const n of drumPattern.openhat) drums.push({ kind: 'openhat', time: step(n), vel: 0.4 });
      for (const n of drumPattern.kick) if (!(fill && n >= 12)) drums.push({ kind: 'kick', time: step(n), vel: n === 0 ? 1 : 0.85 });
      for (const n of drumPattern.snare) if (!(fill && n >= 12)) drums.push({ kind: 'snare', time: step(n), vel: energy === 0 && drumPattern.snare.length === 1 ? 0.45 : 0.8 });
      if (fill) for (const n of [12, 13, 14, 15]) drums.push({ kind: 'snare', time: step(n), vel: 0.45 + (n - 12) * 0.15 });
    }
  }

  const tracks = [lead, vocal, chords, arp, bass].filter((t) => t.notes.length > 0);
  return { durationS: input.durationS, bpm, key, mode, energy, progressions: [progA, progB], tracks, drums };
}
