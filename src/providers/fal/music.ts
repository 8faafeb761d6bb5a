// ElevenLabs Music behind fal's queue (`fal-ai/elevenlabs/music`): ElevenLabs' own fields in the
// JSON body, `{audio:{url,content_type,...}}` out. The contract gives no output-format field on
// fal (ElevenLabs takes it as a query parameter on its own API): fal's default (mp3) comes back
// and the audio modality converts to the format asked for.
import type { MusicOpInput, Operation, ProducedMedia } from '../types.js';
import { downloadResults } from '../http.js';
import { FAL, type FalFile, runFalRequest } from './queue.js';

interface FalMusicOutput {
  audio?: FalFile;
}

export function buildMusicInput(input: MusicOpInput): Record<string, unknown> {
  return {
    prompt: input.prompt,
    music_length_ms: Math.round(input.durationS * 1000),
    force_instrumental: input.instrumental,
    ...(input.seed !== undefined ? { seed: input.seed } : {}),
  };
}

export const generateMusic: Operation<MusicOpInput, ProducedMedia> = async (input, ctx) => {
  const output = await runFalRequest<FalMusicOutput>(
    { path: input.upstreamModel, input: buildMusicInput(input), taskId: input.taskId, isOutput: (o) => typeof o.audio === 'object' && o.audio !== null },
    ctx,
  );
  const [audio] = await downloadResults(FAL, output.audio ? [output.audio.url] : [], ctx);
  return { data: audio!.data, contentType: output.audio?.content_type ?? audio!.contentType };
};
