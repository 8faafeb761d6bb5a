// `aio-tune`: composes and renders a piece of music on this machine, deterministically from the
// prompt and the seed (key, mode and tempo from the prompt's words, the rest from the seed), at
// 44.1 kHz stereo and exactly the requested length, then encodes it.
import type { AudioFormat, MusicOpInput, Operation, ProducedMedia } from '../../types.js';
import { encodeAudio, wavHeader } from '../../../media/audio.js';
import { composeScore, hashString, type Score } from './compose.js';
import { renderScore, type StereoPcm } from './render.js';

export const TUNE_SAMPLE_RATE = 44100;
/** Memory grows with length (about 1 MB per second of music while rendering). */
export const MAX_DURATION_S = 600;

export interface MusicRequest {
  prompt: string;
  durationS: number;
  /** false adds a wordless sung lead ("ooh", "aah"). Default true. */
  instrumental?: boolean;
  /** Default: derived from the prompt, so the same prompt gives the same piece. */
  seed?: number;
  format: AudioFormat;
  signal?: AbortSignal;
}

export interface MusicResult {
  data: Buffer;
  contentType: string;
  durationS: number;
  sampleRate: number;
  seed: number;
}

export interface RenderedMusic {
  score: Score;
  pcm: StereoPcm;
  seed: number;
}

/** Composes and renders to PCM (no encoding): the deterministic part. */
export async function renderMusic(req: Omit<MusicRequest, 'format'>): Promise<RenderedMusic> {
  if (!(req.durationS > 0 && req.durationS <= MAX_DURATION_S)) throw new RangeError(`durationS must be within (0, ${MAX_DURATION_S}], got ${req.durationS}`);
  const seed = req.seed ?? hashString(req.prompt) % 2147483648;
  const score = composeScore({ prompt: req.prompt, durationS: req.durationS, instrumental: req.instrumental ?? true, seed });
  return { score, pcm: await renderScore(score, seed, TUNE_SAMPLE_RATE, req.signal), seed };
}

/** A 32-bit float stereo WAV of the two channels, interleaved straight into the file's buffer. */
export function stereoWav(pcm: StereoPcm): Buffer {
  const frames = pcm.left.length;
  const header = wavHeader({ sampleRate: pcm.sampleRate, channels: 2, sampleFormat: 'f32le', dataBytes: frames * 8 });
  const file = Buffer.allocUnsafeSlow(header.length + frames * 8); // its own ArrayBuffer: the view below is aligned
  header.copy(file, 0);
  const samples = new Float32Array(file.buffer, file.byteOffset + header.length, frames * 2);
  for (let n = 0; n < frames; n++) {
    samples[2 * n] = pcm.left[n]!;
    samples[2 * n + 1] = pcm.right[n]!;
  }
  return file;
}

export async function composeMusic(req: MusicRequest): Promise<MusicResult> {
  const { pcm, seed } = await renderMusic(req);
  const encoded = await encodeAudio(stereoWav(pcm), req.format, { signal: req.signal });
  return { ...encoded, durationS: pcm.left.length / pcm.sampleRate, seed };
}

/** The `music` operation of the local provider. */
export const composeLocally: Operation<MusicOpInput, ProducedMedia> = async (input, ctx) => {
  const r = await composeMusic({ prompt: input.prompt, durationS: input.durationS, instrumental: input.instrumental, seed: input.seed, format: input.format, signal: ctx.signal });
  return { data: r.data, contentType: r.contentType, seed: r.seed };
};
