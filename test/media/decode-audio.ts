// Test helpers: what FFmpeg says an audio file is, its decoded samples, and simple measures of them.
import { runFfmpeg } from '../../src/media/ffmpeg.js';
import { probeMedia } from '../../src/media/probe.js';

export interface AudioProbe {
  /** Container: mp3, wav, ogg, aac (ADTS), flac. */
  container: string;
  codec: string;
  sampleRate: number;
  channels: number;
  durationS: number;
}

/** What the platform's own probe (src/media/probe.ts) says the file is. */
export async function probeAudio(data: Buffer): Promise<AudioProbe> {
  const info = await probeMedia(data);
  if (!info.audio) throw new Error(`no audio stream in this ${info.container}`);
  return { container: info.container, codec: info.audio.codec, sampleRate: info.audio.sampleRate, channels: info.audio.channels, durationS: info.durationS };
}

/** The file decoded to mono float samples at `sampleRate`. */
export async function decodeMono(data: Buffer, sampleRate: number): Promise<Float32Array> {
  const { stdout } = await runFfmpeg(['-i', 'pipe:0', '-ac', '1', '-ar', String(sampleRate), '-f', 'f32le', '-c:a', 'pcm_f32le', 'pipe:1'], { input: data });
  const copy = Buffer.from(stdout); // aligned for the Float32Array view
  return new Float32Array(copy.buffer, copy.byteOffset, copy.length / 4);
}

export function rms(x: Float32Array, from = 0, to = x.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += x[i]! * x[i]!;
  return Math.sqrt(sum / Math.max(1, to - from));
}

/** RMS of consecutive windows of `windowS` seconds. */
export function rmsEnvelope(x: Float32Array, sampleRate: number, windowS: number): number[] {
  const w = Math.round(windowS * sampleRate);
  const out: number[] = [];
  for (let i = 0; i + w <= x.length; i += w) out.push(rms(x, i, i + w));
  return out;
}

/** Standard deviation over mean. */
export function coefficientOfVariation(values: number[]): number {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
  return Math.sqrt(variance) / mean;
}

/** Energy of x at `freq` (Goertzel). */
function goertzel(x: Float32Array, from: number, to: number, freq: number, sampleRate: number): number {
  const c = 2 * Math.cos((2 * Math.PI * freq) / sampleRate);
  let s1 = 0;
  let s2 = 0;
  for (let i = from; i < to; i++) {
    const s0 = x[i]! + c * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return s1 * s1 + s2 * s2 - c * s1 * s2;
}

/** The strongest MIDI note (of lo..hi) in each segment of `segmentS` seconds. */
export function strongestNotes(x: Float32Array, sampleRate: number, segmentS: number, lo = 40, hi = 90): number[] {
  const w = Math.round(segmentS * sampleRate);
  const out: number[] = [];
  for (let i = 0; i + w <= x.length; i += w) {
    let best = lo;
    let bestEnergy = -1;
    for (let m = lo; m <= hi; m++) {
      const e = goertzel(x, i, i + w, 440 * 2 ** ((m - 69) / 12), sampleRate);
      if (e > bestEnergy) {
        bestEnergy = e;
        best = m;
      }
    }
    out.push(best);
  }
  return out;
}

/** A sine tone as Float32 samples. */
export function sineTone(freq: number, seconds: number, sampleRate: number, amplitude = 0.5): Float32Array {
  const out = new Float32Array(Math.round(seconds * sampleRate));
  for (let i = 0; i < out.length; i++) out[i] = amplitude * Math.sin((2 * Math.PI * freq * i) / sampleRate);
  return out;
}
