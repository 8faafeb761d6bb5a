// Image tools on fal's queue: background removal (`fal-ai/birefnet/v2`, a transparent PNG back)
// and upscaling (`fal-ai/clarity-upscaler`). Both take the input image as `image_url` (a data URI)
// and answer `{image:{url,...}}` (clarity adds the seed it used).
import type { Operation, ProducedMedia, ToolOpInput } from '../types.js';
import { downloadResults } from '../http.js';
import { FAL, type FalFile, runFalRequest, toDataUri } from './queue.js';

interface FalToolOutput {
  image?: FalFile;
  seed?: number;
}

/** birefnet's default variant; the catalog may not name another. */
export const BIREFNET_MODEL = 'General Use (Light)';

export function buildToolInput(input: ToolOpInput): Record<string, unknown> {
  const image_url = toDataUri(input.image);
  if (input.tool === 'remove-background') return { image_url, model: BIREFNET_MODEL };
  return {
    image_url,
    upscale_factor: input.scale ?? 2,
    ...(input.prompt ? { prompt: input.prompt } : {}),
    ...(input.seed !== undefined ? { seed: input.seed } : {}),
  };
}

export const runTool: Operation<ToolOpInput, ProducedMedia[]> = async (input, ctx) => {
  const output = await runFalRequest<FalToolOutput>(
    { path: input.upstreamModel, input: buildToolInput(input), taskId: input.taskId, isOutput: (o) => typeof o.image === 'object' && o.image !== null },
    ctx,
  );
  const [image] = await downloadResults(FAL, output.image ? [output.image.url] : [], ctx);
  return [{ data: image!.data, contentType: output.image?.content_type ?? image!.contentType, seed: typeof output.seed === 'number' ? output.seed : undefined }];
};
