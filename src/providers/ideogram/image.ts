// Ideogram's generate API (v4 and v3): `Api-Key` header, multipart form, synchronous answer
// holding temporary image URLs that we download at once. Ideogram documents no idempotency header.
import type { ImageOpInput, Operation, ProducedMedia } from '../types.js';
import { UpstreamError } from '../errors.js';
import { downloadResults, readJson, upstreamFetch } from '../http.js';
import { nearestByRatio } from '../sizes.js';

const NAME = 'Ideogram';

/** The 2K resolutions Ideogram 4.0 accepts. */
export const V4_RESOLUTIONS = [
  '2048x2048', '1440x2880', '2880x1440', '1664x2496', '2496x1664', '1792x2240', '2240x1792', '1440x2560', '2560x1440', '1600x2560',
  '2560x1600', '1728x2304', '2304x1728', '1296x3168', '3168x1296', '1152x2944', '2944x1152', '1248x3328', '3328x1248', '1280x3072', '3072x1280',
];

/** Ideogram 3.0's aspect ratio names. */
export const V3_ASPECT_RATIOS = ['1x1', '16x9', '9x16', '3x4', '4x3', '3x2', '2x3', '1x3', '3x1', '1x2', '2x1', '10x16', '16x10', '4x5', '5x4'];

const SPEEDS: Record<ImageOpInput['renderingSpeed'], string> = { TURBO: 'TURBO', BALANCED: 'DEFAULT', QUALITY: 'QUALITY' };

interface IdeogramResponse {
  data?: Array<{ url?: string | null; is_image_safe?: boolean; seed?: number; resolution?: string }>;
}

export function buildForm(input: ImageOpInput): FormData {
  const form = new FormData();
  const v4 = input.upstreamModel === 'ideogram-v4';
  form.set(v4 ? 'text_prompt' : 'prompt', input.prompt);
  form.set('rendering_speed', SPEEDS[input.renderingSpeed]);
  if (input.seed !== undefined) form.set('seed', String(input.seed));
  if (v4) {
    form.set('resolution', nearestByRatio(V4_RESOLUTIONS, input.width, input.height, 'x'));
  } else {
    form.set('aspect_ratio', nearestByRatio(V3_ASPECT_RATIOS, input.width, input.height, 'x'));
    form.set('num_images', '1');
    if (input.negativePrompt) form.set('negative_prompt', input.negativePrompt);
  }
  return form;
}

export const generateImage: Operation<ImageOpInput, ProducedMedia[]> = async (input, ctx) => {
  const url = `${ctx.credentials.baseUrl}/v1/${input.upstreamModel}/generate`;
  const res = await upstreamFetch(NAME, url, { method: 'POST', headers: { 'Api-Key': ctx.credentials.apiKey ?? '' }, body: buildForm(input) }, ctx);
  const body = await readJson<IdeogramResponse>(NAME, res);
  const images = Array.isArray(body?.data) ? body.data : [];
  if (images.some((image) => image.is_image_safe === false || !image.url))
    throw new UpstreamError('content_policy_violation', `${NAME} judged the generated image unsafe and withheld it`, { retryable: false });
  // The temporary URLs are signed: fetch them without our key.
  const media = await downloadResults(NAME, images.map((image) => image.url), ctx);
  return media.map((m, i) => ({ ...m, seed: images[i]!.seed }));
};
