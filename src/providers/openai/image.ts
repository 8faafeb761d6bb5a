// OpenAI's Images API (gpt-image-1, dall-e-3): Bearer key, JSON body, synchronous answer holding
// base64 images (gpt-image-1 always; dall-e-3 when asked) or temporary URLs we download at once.
import type { ImageOpInput, Operation, ProducedMedia } from '../types.js';
import { UpstreamError } from '../errors.js';
import { type Base64Json, parseBase64Json } from '../base64-json.js';
import { downloadMedia, noResultError, readBytes, upstreamFetch } from '../http.js';
import { NAME, openaiHeaders } from './client.js';
import { nearestByRatio } from '../sizes.js';

/** The sizes each model accepts; our exact size maps to the nearest ratio, the worker crops. */
export const OPENAI_SIZES = {
  'gpt-image-1': ['1024x1024', '1536x1024', '1024x1536'],
  'dall-e-3': ['1024x1024', '1792x1024', '1024x1792'],
} as const;

const GPT_IMAGE_QUALITY: Record<ImageOpInput['renderingSpeed'], string> = { TURBO: 'low', BALANCED: 'medium', QUALITY: 'high' };

interface OpenAIResponse {
  data?: Array<{ b64_json?: string | null; url?: string | null; revised_prompt?: string }>;
}

/** The generations body for our input. gpt-image-* models share gpt-image-1's parameters. */
export function buildBody(input: ImageOpInput): Record<string, unknown> {
  const { upstreamModel: model, prompt } = input;
  if (model === 'dall-e-3') {
    const size = nearestByRatio(OPENAI_SIZES['dall-e-3'], input.width, input.height, 'x');
    return { model, prompt, n: 1, size, quality: input.renderingSpeed === 'QUALITY' ? 'hd' : 'standard', response_format: 'b64_json' };
  }
  if (model.startsWith('gpt-image-')) {
    const size = nearestByRatio(OPENAI_SIZES['gpt-image-1'], input.width, input.height, 'x');
    return { model, prompt, n: 1, size, quality: GPT_IMAGE_QUALITY[input.renderingSpeed], output_format: input.outputFormat };
  }
  throw new UpstreamError('upstream_invalid_request', `${NAME} adapter does not know the image model '${model}'`, { retryable: false });
}

export const generateImage: Operation<ImageOpInput, ProducedMedia[]> = async (input, ctx) => {
  const url = `${ctx.credentials.baseUrl}/v1/images/generations`;
  const res = await upstreamFetch(NAME, url, { method: 'POST', headers: openaiHeaders(ctx), body: JSON.stringify(buildBody(input)) }, ctx);
  const raw = await readBytes(NAME, res, ctx);
  let parsed: Base64Json<OpenAIResponse | null>;
  try {
    // The images are decoded straight from the body's bytes (see base64-json.ts).
    parsed = parseBase64Json<OpenAIResponse | null>(raw, 'b64_json', (json) => (Array.isArray(json?.data) ? json.data.map((d) => d?.b64_json) : []));
  } catch {
    throw new UpstreamError('upstream_bad_response', `${NAME} answered with a body that is not JSON`, { retryable: true, status: res.status });
  }
  const body = parsed.json;
  const images = Array.isArray(body?.data) ? body.data : [];
  if (images.length === 0) throw noResultError(NAME);
  const out: ProducedMedia[] = [];
  for (const image of images) {
    // The URL is a signed storage link: fetch it without our key.
    if (image.b64_json) out.push({ data: parsed.bytes(image.b64_json)! });
    else if (image.url) out.push(await downloadMedia(NAME, image.url, ctx));
    else throw new UpstreamError('upstream_bad_response', `${NAME} answered with an image entry holding no image`, { retryable: true });
  }
  return out;
};
