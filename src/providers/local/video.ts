// aio-motion: the animated poster as the local video operation, at the exact shape and length.
import type { Operation, ProducedMedia, VideoOpInput } from '../types.js';
import { renderMotion } from './motion.js';
import { seedFor } from './seed.js';

export const animateLocally: Operation<VideoOpInput, ProducedMedia> = async (input, ctx) => {
  const seed = input.seed ?? seedFor(input.prompt);
  const data = await renderMotion({ prompt: input.prompt, seed, width: input.width, height: input.height, durationS: input.durationS, signal: ctx.signal });
  return { data, contentType: 'video/mp4', seed };
};
