// Runs an image model's operation and turns what came back into the promised pixel size and
// format, stored under /files.
import Type from 'typebox';
import type { ImageOpInput } from '../../providers/types.js';
import { UpstreamError } from '../../providers/errors.js';
import { CONTENT_TYPES } from '../../storage/types.js';
import { storeMedia } from '../shared/store.js';
import type { ExecuteArgs, ExecuteResult } from '../types.js';
import { normalizeImage } from './normalize.js';
import { imageParams, type ImageTaskInput } from './request.js';

export interface StoredImage {
  /** Path under the public file route, e.g. `/files/img_x.png`; made absolute when shown. */
  path: string;
  width: number;
  height: number;
  format: string;
  bytes: number;
  seed?: number;
}

export const StoredImageSchema = Type.Object({
  url: Type.String({ format: 'uri' }),
  width: Type.Integer(),
  height: Type.Integer(),
  format: Type.String({ examples: ['png', 'jpeg', 'webp'] }),
  bytes: Type.Integer(),
  seed: Type.Optional(Type.Integer()),
});

export const ImageOutputSchema = Type.Object({ images: Type.Array(StoredImageSchema) });

/** Converts each produced image to the exact size and format asked, and stores it. */
export async function storeImages(
  storage: ExecuteArgs<unknown>['storage'],
  produced: Array<{ data: Buffer; seed?: number }>,
  target: { width: number; height: number; format: ImageOpInput['outputFormat'] },
): Promise<StoredImage[]> {
  if (produced.length === 0) throw new UpstreamError('upstream_bad_response', 'The upstream answered without images.', { retryable: true });
  const images: StoredImage[] = [];
  for (const image of produced) {
    const out = await normalizeImage(image.data, target);
    const path = await storeMedia(storage, 'img', out.format, out.data, CONTENT_TYPES[out.format]!);
    images.push({ path, width: out.width, height: out.height, format: out.format, bytes: out.data.length, ...(image.seed !== undefined ? { seed: image.seed } : {}) });
  }
  return images;
}

export async function executeImage({ taskId, input, model, provider, ctx, storage }: ExecuteArgs<ImageTaskInput>): Promise<ExecuteResult<{ images: StoredImage[] }>> {
  const [width, height] = imageParams(model).size.values[input.size]!;
  const produced = await provider.operations.image!(
    {
      taskId,
      model: model.id,
      upstreamModel: model.upstream_model,
      prompt: input.prompt,
      size: input.size,
      width,
      height,
      renderingSpeed: input.rendering_speed,
      outputFormat: input.output_format,
      seed: input.seed,
      negativePrompt: input.negative_prompt,
    },
    ctx,
  );
  return { output: { images: await storeImages(storage, produced, { width, height, format: input.output_format }) } };
}
