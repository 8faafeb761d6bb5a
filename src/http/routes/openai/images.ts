// POST /v1/images/generations in OpenAI's shape. Each of the `n` images is its own task, priced,
// charged and refunded on its own; the answer waits for all of them.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { AppError } from '../../../lib/app-error.js';
import { toCredits } from '../../../lib/credits.js';
import { MAX_PROMPT, NegativePromptField, SeedField, literals } from '../../../modalities/shared/fields.js';
import { imageParams } from '../../../modalities/image/request.js';
import type { Platform } from '../../../platform.js';
import { unitPriceMicro } from '../../../services/pricing.js';
import type { TaskRow } from '../../../services/tasks.js';
import { baseUrl } from '../../present.js';
import { IdempotencyHeaders, firstMedia, idempotencyKeyOf, readStored, submitOne, taskFailure, unixSeconds, waitForEnd } from './tasks.js';
import { nearestRatio, readSize } from './sizes.js';

const WAIT_S = 300;

/** OpenAI's quality names (gpt-image-1's, dall-e-3's) as our rendering speeds. */
const SPEED_OF_QUALITY: Record<string, string | undefined> = { auto: undefined, low: 'TURBO', medium: 'BALANCED', standard: 'BALANCED', high: 'QUALITY', hd: 'QUALITY' };

export const ImagesBody = Type.Object(
  {
    model: Type.String({ minLength: 1, maxLength: 200, description: 'An image model id (GET /v1/models).' }),
    prompt: Type.String({ minLength: 1, maxLength: MAX_PROMPT }),
    n: Type.Optional(Type.Integer({ minimum: 1, maximum: 4, description: 'Images to make, 1 to 4; each is its own task, charged only if it succeeds. Default 1.' })),
    size: Type.Optional(Type.String({ maxLength: 20, description: 'WIDTHxHEIGHT (mapped to the closest shape the model has), a ratio such as 16:9, or auto.' })),
    quality: Type.Optional(literals(Object.keys(SPEED_OF_QUALITY))),
    response_format: Type.Optional(literals(['url', 'b64_json'])),
    output_format: Type.Optional(literals(['png', 'jpeg', 'jpg', 'webp'])),
    user: Type.Optional(Type.String({ maxLength: 256, description: 'Accepted for compatibility; not used.' })),
    seed: Type.Optional(SeedField),
    negative_prompt: Type.Optional(NegativePromptField),
  },
  { additionalProperties: false },
);

type ImagesRequest = {
  model: string;
  prompt: string;
  n?: number;
  size?: string;
  quality?: string;
  response_format?: 'url' | 'b64_json';
  output_format?: string;
  seed?: number;
  negative_prompt?: string;
};

/** The native image request (POST /api/v1/images/generations) for this OpenAI one. */
function nativeBody(platform: Platform, body: ImagesRequest): Record<string, unknown> {
  const native: Record<string, unknown> = { model: body.model, prompt: body.prompt };
  if (body.size !== undefined) {
    const size = readSize(body.size);
    const model = platform.catalog.model(body.model);
    if (size.kind === 'ratio') native.size = size.ratio;
    else if (size.kind === 'pixels' && model?.type === 'image') native.size = nearestRatio(size.width, size.height, Object.keys(imageParams(model).size.values));
  }
  const speed = body.quality === undefined ? undefined : SPEED_OF_QUALITY[body.quality];
  if (speed) native.rendering_speed = speed;
  for (const field of ['output_format', 'seed', 'negative_prompt'] as const) if (body[field] !== undefined) native[field] = body[field];
  return native;
}

/**
 * For n > 1 on a live key: whether all n images can be paid for, checked before any task is made,
 * so that a request is refused whole rather than half made (each task still holds its own price).
 */
async function checkAffordable(platform: Platform, req: FastifyRequest, modelId: string, n: number): Promise<void> {
  const { user, key } = req.apiAuth;
  const model = platform.catalog.model(modelId);
  if (n < 2 || key.livemode !== 1 || model?.type !== 'image') return;
  const total = n * unitPriceMicro(model);
  if (key.credit_limit !== null && key.spent + total > key.credit_limit)
    throw new AppError(402, 'key_credit_limit_reached', `${n} images cost ${toCredits(total)} credits, beyond what this API key may still spend (${toCredits(Math.max(0, key.credit_limit - key.spent))}).`, { param: 'n' });
  const { balance } = await platform.ledger.balances(user.id);
  if (total > balance) throw new AppError(402, 'insufficient_credits', `${n} images cost ${toCredits(total)} credits and the account has ${toCredits(balance)}. Top up, or ask for fewer.`, { param: 'n' });
}

/** Makes the n tasks; if one is still refused (a concurrent spend), the ones already made are canceled and refunded. */
async function createAll(platform: Platform, req: FastifyRequest, native: Record<string, unknown>, n: number): Promise<TaskRow[]> {
  await checkAffordable(platform, req, String(native.model), n);
  const idem = idempotencyKeyOf(req);
  const made: TaskRow[] = [];
  try {
    for (let i = 0; i < n; i++) made.push(await submitOne(platform, req, 'image', native, idem && `${idem}#image${i}`));
    return made;
  } catch (err) {
    const { user, key } = req.apiAuth;
    await Promise.all(made.map((t) => platform.tasks.cancel(t.id, user.id, key.livemode === 1).catch(() => undefined)));
    throw err;
  }
}

export function imageRoutes(scope: FastifyInstance, platform: Platform): void {
  scope.post(
    '/images/generations',
    { schema: { body: ImagesBody, headers: IdempotencyHeaders, summary: 'Create images (OpenAI shape): waits for them', tags: ['openai'] } },
    async (req, reply) => {
      const body = req.body as ImagesRequest;
      const tasks = await createAll(platform, req, nativeBody(platform, body), body.n ?? 1);
      const ended = await Promise.all(tasks.map((t) => waitForEnd(platform, t, WAIT_S)));
      reply.header('aio-task-ids', ended.map((t) => t.id).join(','));
      // Images that succeeded are delivered (and charged); when none did, the first failure is the answer.
      const done = ended.filter((t) => t.status === 'succeeded');
      if (done.length === 0) throw taskFailure(ended[0]!);
      const base = baseUrl(req, platform.settings.publicUrl);
      const images = done.map((t) => firstMedia(t, 'images'));
      const data = await Promise.all(
        images.map(async (image) => (body.response_format === 'b64_json' ? { b64_json: (await readStored(platform, image.path)).toString('base64') } : { url: `${base}${image.path}` })),
      );
      const first = images[0]!;
      return { created: unixSeconds(done[0]!.created_at), data, output_format: first.format, size: `${first.width}x${first.height}` };
    },
  );
}
