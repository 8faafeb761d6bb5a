// FLUX (and other text-to-image endpoints) on fal's queue: `{prompt, image_size:{width,height}}`
// in, `{images:[{url,...}], seed, has_nsfw_concepts}` out.
import type { ImageOpInput, Operation, ProducedMedia } from '../types.js';
import { UpstreamError } from '../errors.js';
import { downloadResults } from '../http.js';
import { FAL, type FalFile, runFalRequest } from './queue.js';

interface FalImageOutput {
  images?: FalFile[];
  seed?: number;
  has_nsfw_concepts?: boolean[];
}

export function buildImageInput(input: ImageOpInput): Record<string, unknown> {
  return {
    prompt: input.prompt,
    image_size: { width: input.width, height: input.height },
    ...(input.seed !== undefined ? { seed: input.seed } : {}),
    num_images: 1,
    // fal gives png or jpeg; the worker converts to webp.
    output_format: input.outputFormat === 'jpeg' ? 'jpeg' : 'png',
    enable_safety_checker: true,
  };
}

export const generateImage: Operation<ImageOpInput, ProducedMedia[]> = async (input, ctx) => {
  const output = await runFalRequest<FalImageOutput>(
    { path: input.upstreamModel, input: buildImageInput(input), taskId: input.taskId, isOutput: (o) => Array.isArray(o.images) },
    ctx,
  );
  if (Array.isArray(output.has_nsfw_concepts) && output.has_nsfw_concepts.some(Boolean))
    throw new UpstreamError('content_policy_violation', `${FAL}'s safety checker flagged the generated image`, { retryable: false });
  const images = Array.isArray(output.images) ? output.images : [];
  // Image URLs are public CDN links: never send them our key.
  const media = await downloadResults(FAL, images.map((i) => i?.url), ctx);
  const seed = typeof output.seed === 'number' ? output.seed : undefined;
  return media.map((m) => ({ ...m, seed }));
};
