// Kling video on fal's queue. The catalog's upstream model is the text-to-video endpoint (e.g.
// `fal-ai/kling-video/v2.6/pro/text-to-video`); with a first frame, its `image-to-video` sibling.
// `duration` is a string ("5" / "10") on v2.6; the output is `{video:{url,content_type,...}}`.
// Kling on fal takes no seed (the contract lists none): a requested seed is not passed on.
import type { Operation, ProducedMedia, VideoOpInput } from '../types.js';
import { downloadResults } from '../http.js';
import { FAL, type FalFile, runFalRequest, toDataUri } from './queue.js';

interface FalVideoOutput {
  video?: FalFile;
}

/** The endpoint for this input: the catalog's text-to-video path, or its image-to-video sibling. */
export function videoEndpoint(input: VideoOpInput): string {
  if (!input.image) return input.upstreamModel;
  return input.upstreamModel.replace(/[^/]+$/, 'image-to-video');
}

export function buildVideoInput(input: VideoOpInput): Record<string, unknown> {
  return {
    prompt: input.prompt,
    duration: String(input.durationS),
    aspect_ratio: input.aspectRatio,
    ...(input.image ? { image_url: toDataUri(input.image) } : {}),
    ...(input.negativePrompt ? { negative_prompt: input.negativePrompt } : {}),
    // The contract names the audio switch only "probably" `generate_audio` (Kling's own docs and
    // third-party references agree): unknown fields are ignored by fal, so a wrong name would
    // silently fall back to fal's default rather than fail.
    ...(input.audio !== undefined ? { generate_audio: input.audio } : {}),
  };
}

export const generateVideo: Operation<VideoOpInput, ProducedMedia> = async (input, ctx) => {
  const output = await runFalRequest<FalVideoOutput>(
    { path: videoEndpoint(input), input: buildVideoInput(input), taskId: input.taskId, isOutput: (o) => typeof o.video === 'object' && o.video !== null },
    ctx,
  );
  const [video] = await downloadResults(FAL, output.video ? [output.video.url] : [], ctx);
  return { data: video!.data, contentType: output.video?.content_type ?? video!.contentType };
};
