// aio-poster: the poster renderer as the local image operation.
import type { ImageOpInput, Operation, ProducedMedia } from '../types.js';
import { renderPoster } from './poster/index.js';
import { seedFor } from './seed.js';

export const drawLocally: Operation<ImageOpInput, ProducedMedia[]> = async (input) => {
  const seed = input.seed ?? seedFor(input.prompt);
  const data = await renderPoster({ prompt: input.prompt, seed, width: input.width, height: input.height });
  return [{ data, contentType: 'image/png', seed }];
};
