// Runs a speech or music operation, checks the bytes are audio of the asked format (and, for
// music, the asked length), and stores them.
import Type from 'typebox';
import { audioContentType, audioExtension, encodeAudio } from '../../media/audio.js';
import { NotMediaError, probeMedia, type MediaInfo } from '../../media/probe.js';
import { UpstreamError } from '../../providers/errors.js';
import type { ProducedMedia } from '../../providers/types.js';
import { storeMedia } from '../shared/store.js';
import type { ExecuteArgs, ExecuteResult } from '../types.js';
import type { AudioFormatName } from './params.js';
import { isSpeech, type AudioTaskInput } from './request.js';

export interface StoredAudio {
  path: string;
  format: AudioFormatName;
  duration_s: number;
  bytes: number;
  sample_rate: number;
}

export const AudioOutputSchema = Type.Object({
  audio: Type.Array(
    Type.Object({
      url: Type.String({ format: 'uri' }),
      format: Type.String({ examples: ['mp3', 'wav', 'opus', 'aac', 'flac'] }),
      duration_s: Type.Number(),
      bytes: Type.Integer(),
      sample_rate: Type.Integer(),
    }),
  ),
});

/** How far a music piece's length may be from the asked one. */
const MUSIC_TOLERANCE_S = 1;

/** The codec each format's file carries, as the probe names it. */
const CODEC: Record<AudioFormatName, RegExp> = { mp3: /^mp3/, opus: /^opus/, aac: /^aac/, flac: /^flac/, wav: /^pcm_/ };

export async function executeAudio(args: ExecuteArgs<AudioTaskInput>): Promise<ExecuteResult<{ audio: StoredAudio[] }>> {
  const { taskId, input, model, provider, ctx, storage } = args;
  const base = { taskId, model: model.id, upstreamModel: model.upstream_model };
  const produced: ProducedMedia = isSpeech(input)
    ? await provider.operations.speech!({ ...base, text: input.text, voice: input.voice, format: input.format, speed: input.speed, instructions: input.instructions }, ctx)
    : await provider.operations.music!({ ...base, prompt: input.prompt, durationS: input.duration, instrumental: input.instrumental, seed: input.seed, format: input.format }, ctx);

  let data = produced.data;
  let info = await probeAudio(data, ctx.signal);
  if (!CODEC[input.format].test(info.audio!.codec)) {
    // The upstream chose another encoding: give the client the format it asked for.
    data = (await encodeAudio(data, input.format, { signal: ctx.signal })).data;
    info = await probeAudio(data, ctx.signal);
  }
  if (!isSpeech(input) && Math.abs(info.durationS - input.duration) > MUSIC_TOLERANCE_S)
    throw new UpstreamError('upstream_bad_response', `music of ${info.durationS.toFixed(1)} s came back for ${input.duration} s`, {
      retryable: false,
      clientDetail: `The provider made ${info.durationS.toFixed(1)} s of music instead of the ${input.duration} s asked.`,
    });
  const audio: StoredAudio = {
    path: await storeMedia(storage, 'aud', audioExtension(input.format), data, audioContentType(input.format)),
    format: input.format,
    duration_s: Math.round(info.durationS * 1000) / 1000,
    bytes: data.length,
    sample_rate: info.audio!.sampleRate,
  };
  return { output: { audio: [audio] } };
}

async function probeAudio(data: Buffer, signal: AbortSignal): Promise<MediaInfo> {
  try {
    const info = await probeMedia(data, { signal });
    if (!info.audio || info.durationS <= 0) throw new NotMediaError('no audio stream');
    return info;
  } catch (err) {
    if (!(err instanceof NotMediaError)) throw err;
    throw new UpstreamError('upstream_bad_response', `the audio is not playable: ${err.message}`, { retryable: true, cause: err, clientDetail: 'The provider answered with something that is not audio.' });
  }
}
