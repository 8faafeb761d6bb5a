// Images: one picture per task, priced per image.
import type { Modality } from '../types.js';
import { ImageParamsSchema, checkImageParams, type ImageParams } from './params.js';
import { imageRequestSchema, parseImageRequest, type ImageTaskInput } from './request.js';
import { ImageOutputSchema, executeImage, type StoredImage } from './result.js';
import { imageExample, imageParameters, imageSizes } from './view.js';

export const imageModality: Modality<ImageTaskInput, { images: StoredImage[] }> = {
  type: 'image',
  endpoint: '/api/v1/images/generations',
  summary: 'Create an image generation task',
  paramsSchema: ImageParamsSchema,
  checkParams: (params) => checkImageParams(params as ImageParams),
  units: ['image'],
  outputSchema: ImageOutputSchema,
  requestSchema: imageRequestSchema,
  parse: parseImageRequest,
  operation: () => 'image',
  quote: () => ({ quantity: 1 }),
  parameters: imageParameters,
  example: imageExample,
  describe: (model) => ({ sizes: imageSizes(model) }),
  execute: executeImage,
};
