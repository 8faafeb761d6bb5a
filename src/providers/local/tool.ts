// aio-upscale and aio-cutout as the local tool operation.
import type { Operation, ProducedMedia, ToolOpInput } from '../types.js';
import { removeBackground } from './cutout.js';
import { upscaleImage, type UpscaleFactor } from './upscale.js';

export const toolLocally: Operation<ToolOpInput, ProducedMedia[]> = async (input) => {
  const data = input.tool === 'upscale' ? await upscaleImage(input.image.data, (input.scale ?? 2) as UpscaleFactor) : await removeBackground(input.image.data);
  return [{ data, contentType: 'image/png' }];
};
