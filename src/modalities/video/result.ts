// Runs a video model's operation, checks what came back is the video asked for (H.264, the
// shape, the length), and stores it with a thumbnail.
import Type from 'typebox';
import { makeThumbnail, verifyVideo } from '../../media/video.js';
import { fetchInputImage } from '../shared/input-image.js';
import { storeMedia } from '../shared/store.js';
import type { ExecuteArgs, ExecuteResult } from '../types.js';
import { videoSize } from './params.js';
import type { VideoTaskInput } from './request.js';

export interface StoredVideo {
  path: string;
  width: number;
  height: number;
  duration_s: number;
  format: 'mp4';
  bytes: number;
  thumbnail_path: string;
}

export const VideoOutputSchema = Type.Object({
  videos: Type.Array(
    Type.Object({
      url: Type.String({ format: 'uri' }),
      width: Type.Integer(),
      height: Type.Integer(),
      duration_s: Type.Number(),
      format: Type.Literal('mp4'),
      bytes: Type.Integer(),
      thumbnail_url: Type.String({ format: 'uri' }),
    }),
  ),
});

export async function executeVideo(args: ExecuteArgs<VideoTaskInput>): Promise<ExecuteResult<{ videos: StoredVideo[] }>> {
  const { taskId, input, model, provider, ctx, storage } = args;
  const { width, height } = videoSize(input.aspect_ratio, input.resolution);
  const image = input.image_url ? await fetchInputImage(input.image_url, args) : undefined;
  const produced = await provider.operations.video!(
    {
      taskId,
      model: model.id,
      upstreamModel: model.upstream_model,
      prompt: input.prompt,
      durationS: input.duration,
      aspectRatio: input.aspect_ratio,
      resolution: input.resolution,
      width,
      height,
      image,
      negativePrompt: input.negative_prompt,
      seed: input.seed,
      audio: input.audio,
    },
    ctx,
  );
  const info = await verifyVideo(produced.data, { aspectRatio: input.aspect_ratio, durationS: input.duration });
  const thumbnail = await makeThumbnail(produced.data, { signal: ctx.signal });
  const video: StoredVideo = {
    path: await storeMedia(storage, 'vid', 'mp4', produced.data, 'video/mp4'),
    width: info.video!.width,
    height: info.video!.height,
    duration_s: Math.round(info.durationS * 1000) / 1000,
    format: 'mp4',
    bytes: produced.data.length,
    thumbnail_path: await storeMedia(storage, 'vid', 'jpg', thumbnail, 'image/jpeg'),
  };
  return { output: { videos: [video] } };
}
