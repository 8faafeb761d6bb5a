// `aio-tune`: composes and renders a piece of music on this machine, deterministically from the
// prompt and the seed (key, mode and tempo from the prompt's words, the rest from the seed), at
// 44.1 kHz stereo and exactly the requested length, then encodes it.
import type { AudioFormat, MusicOpInput, Operation, ProducedMedia } from '../../types.js';
import { encodeAudio, pcmToWav } from '../../../media/audio.js';
import { composeScore, hashString, type Score } from './compose.js';
import { renderScore, type StereoPcm } from './render.js';

export const TUNE_SAMPLE_RATE = 44100;

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
export function renderMusic(req: Omit<MusicRequest, 'format' | 'signal'>): RenderedMusic {
  if (!(req.durationS > 0 && req.durationS <= 600)) throw new RangeError(`durationS must be within (0, 600], got ${req.durationS}`);
  const seed = req.seed ?? hashString(req.prompt) % 2147483648;
  const score = composeScore({ prompt: req.prompt, durationS: req.durationS, instrumental: req.instrumental ?? true, seed });
  return { score, pcm: renderScore(score, seed, TUNE_SAMPLE_RATE), seed };
}

/** Interleaves two channels into L R L R ... */
export function interleave(left: Float32Array, right: Float32Array): Float32Array {
  const out = new Float32Array(left.length * 2);
  for (let n = 0; n < left.length; n++) {
    out[2 * n] = left[n]!;
    out[2 * n + 1] = right[n]!;
  }
  return out;
}

export async function composeMusic(req: MusicRequest): Promise<MusicResult> {
  req.signal?.throwIfAborted();
  const { pcm, seed } = renderMusic(req);
  req.signal?.throwIfAborted();
  const wav = pcmToWav(interleave(pcm.left, pcm.right), { sampleRate: pcm.sampleRate, channels: 2 });
  const encoded = await encodeAudio(wav, req.format, { signal: req.signal });
  return { ...encoded, durationS: pcm.left.length / pcm.sampleRate, seed };
}

/** The `music` operation of the local provider. */
export const composeLocally: Operation<MusicOpInput, ProducedMedia> = async (input, ctx) => {
  const r = await composeMusic({ prompt: input.prompt, durationS: input.durationS, instrumental: input.instrumental, seed: input.seed, format: input.format, signal: ctx.signal });
  return { data: r.data, contentType: r.contentType, seed: r.seed };
};
