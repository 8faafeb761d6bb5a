// Videos: one clip per task, priced per second (at the audio rate when sound is asked for).
import type { Modality } from '../types.js';
import { VideoParamsSchema, checkVideoParams, type VideoParams } from './params.js';
import { parseVideoRequest, videoRequestSchema, type VideoTaskInput } from './request.js';
import { VideoOutputSchema, executeVideo, type StoredVideo } from './result.js';
import { videoExample, videoParameters, videoSizes } from './view.js';

export const videoModality: Modality<VideoTaskInput, { videos: StoredVideo[] }> = {
  type: 'video',
  endpoint: '/api/v1/videos/generations',
  summary: 'Create a video generation task',
  paramsSchema: VideoParamsSchema,
  checkParams: (params) => checkVideoParams(params as VideoParams),
  units: ['second'],
  outputSchema: VideoOutputSchema,
  requestSchema: videoRequestSchema,
  parse: parseVideoRequest,
  operation: () => 'video',
  quote: (input) => ({ quantity: input.duration, ...(input.audio ? { rate: 'audio' } : {}) }),
  parameters: videoParameters,
  example: videoExample,
  describe: (model) => ({ sizes: videoSizes(model) }),
  execute: executeVideo,
};
