// Runs a tool on the input image and checks the result is what the tool promises: an upscale of
// exactly the factor asked, a cut-out with a real alpha channel. Stored as PNG.
import sharp from 'sharp';
import { UpstreamError } from '../../providers/errors.js';
import { ImageOutputSchema, type StoredImage } from '../image/result.js';
import { fetchInputImage } from '../shared/input-image.js';
import { storeMedia } from '../shared/store.js';
import type { ExecuteArgs, ExecuteResult } from '../types.js';
import { toolParams, type ToolTaskInput } from './request.js';

export const ToolOutputSchema = ImageOutputSchema;

const notAsked = (message: string) =>
  new UpstreamError('upstream_bad_response', message, { retryable: false, clientDetail: `The tool's result was not what was asked: ${message}.` });

export async function executeTool(args: ExecuteArgs<ToolTaskInput>): Promise<ExecuteResult<{ images: StoredImage[] }>> {
  const { taskId, input, model, provider, ctx, storage } = args;
  const p = toolParams(model);
  const image = await fetchInputImage(input.image_url, args);
  if (image.width * image.height > p.max_input_pixels)
    throw new UpstreamError('upstream_invalid_request', 'input too large', { retryable: false, clientDetail: `The input image is ${image.width}x${image.height}; ${model.id} takes at most ${(p.max_input_pixels / 1e6).toFixed(1)} megapixels.` });
  const produced = await provider.operations.tool!({ taskId, model: model.id, upstreamModel: model.upstream_model, tool: p.tool, image, scale: input.scale }, ctx);
  if (produced.length === 0) throw new UpstreamError('upstream_bad_response', 'the tool answered without an image', { retryable: true });

  const images: StoredImage[] = [];
  for (const item of produced) {
    let pipeline = sharp(item.data, { failOn: 'error' });
    const meta = await pipeline.metadata().catch(() => undefined);
    if (!meta?.width || !meta.height) throw notAsked('the result is not an image');
    if (p.tool === 'upscale') {
      const want = { width: image.width * input.scale!, height: image.height * input.scale! };
      // An upstream may round a side by a pixel or two: deliver exactly the factor asked.
      if (Math.abs(meta.width / meta.height - want.width / want.height) > 0.02) throw notAsked(`a ${meta.width}x${meta.height} image for a ${want.width}x${want.height} upscale`);
      if (meta.width !== want.width || meta.height !== want.height) pipeline = pipeline.resize(want.width, want.height, { fit: 'fill', kernel: 'lanczos3' });
    } else if (!meta.hasAlpha) throw notAsked('a cut-out without transparency');
    const out = await pipeline.png({ compressionLevel: 6 }).toBuffer({ resolveWithObject: true });
    images.push({ path: await storeMedia(storage, 'img', 'png', out.data, 'image/png'), width: out.info.width, height: out.info.height, format: 'png', bytes: out.data.length });
  }
  const megapixels = images.reduce((sum, i) => sum + (i.width * i.height) / 1e6, 0);
  return { output: { images }, quantity: model.price.unit === 'megapixel' ? megapixels : 1 };
}
