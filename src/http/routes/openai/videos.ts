// /v1/videos in the OpenAI Videos shape that gateways keep for every video model: create (JSON or
// multipart/form-data, as the `openai` client sends it), retrieve, list, content, delete. A video
// is an ordinary video task: billing, limits and idempotency are the native ones.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { AppError, invalidParam } from '../../../lib/app-error.js';
import { MAX_PROMPT, literals } from '../../../modalities/shared/fields.js';
import { videoParams } from '../../../modalities/video/request.js';
import type { Platform } from '../../../platform.js';
import { TERMINAL, type TaskRow } from '../../../services/tasks.js';
import { CONTENT_TYPES } from '../../../storage/types.js';
import { parseLimit } from '../tasks.js';
import { IdempotencyHeaders, firstMedia, idempotencyKeyOf, readStored, submitOne } from './tasks.js';
import { nearestRatio, readSize } from './sizes.js';
import { videoObject } from './video-object.js';

const CANCEL_WAIT_S = 5;
const SHORT_SIDE = { '720p': 720, '1080p': 1080 } as const;

export const VideoCreateBody = Type.Object(
  {
    model: Type.String({ minLength: 1, maxLength: 200, description: 'A video model id (GET /v1/models).' }),
    prompt: Type.String({ minLength: 1, maxLength: MAX_PROMPT }),
    seconds: Type.Optional(Type.Union([Type.String({ pattern: '^[0-9]{1,3}$' }), Type.Integer({ minimum: 1, maximum: 600 })], { description: 'Length in seconds, as a string ("8"); one the model offers.' })),
    size: Type.Optional(Type.String({ maxLength: 20, description: 'WIDTHxHEIGHT (e.g. 1280x720): the closest shape and resolution the model has; or a ratio such as 16:9.' })),
    input_reference: Type.Optional(Type.String({ minLength: 1, description: 'The first frame: an image URL or data: URL in JSON, an image file in multipart/form-data (models with image-to-video).' })),
  },
  { additionalProperties: false },
);

type VideoCreate = { model: string; prompt: string; seconds?: string | number; size?: string; input_reference?: string };

const VideoId = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
const ListQuery = Type.Object({
  limit: Type.Optional(Type.String({ description: '1 to 100, default 20' })),
  after: Type.Optional(Type.String({ maxLength: 100, description: 'A video id: the page after it' })),
  order: Type.Optional(literals(['desc'])),
});
const ContentQuery = Type.Object({ variant: Type.Optional(literals(['video', 'thumbnail', 'spritesheet'])) });

/** The native video request (POST /api/v1/videos/generations) for this OpenAI one. */
function nativeBody(platform: Platform, body: VideoCreate): Record<string, unknown> {
  const native: Record<string, unknown> = { model: body.model, prompt: body.prompt };
  const model = platform.catalog.model(body.model);
  const params = model?.type === 'video' ? videoParams(model) : undefined;
  if (body.seconds !== undefined) {
    const seconds = Number(body.seconds);
    if (params && !params.durations.includes(seconds)) throw invalidParam('seconds', `${model!.id} makes videos of ${params.durations.join(', ')} seconds, not ${body.seconds}.`);
    native.duration = seconds;
  }
  if (body.size !== undefined) {
    const size = readSize(body.size);
    if (size.kind === 'ratio') native.aspect_ratio = size.ratio;
    else if (size.kind === 'pixels' && params) {
      native.aspect_ratio = nearestRatio(size.width, size.height, params.aspect_ratios);
      const short = Math.min(size.width, size.height);
      native.resolution = [...params.resolutions].sort((a, b) => Math.abs(SHORT_SIDE[a] - short) - Math.abs(SHORT_SIDE[b] - short))[0];
    }
  }
  if (body.input_reference !== undefined) native.image_url = body.input_reference;
  return native;
}

/** multipart/form-data as the `openai` client sends it: text fields as strings, the reference image as a data: URL. */
async function formFields(contentType: string, body: Buffer): Promise<Record<string, unknown>> {
  const form = await new Response(new Uint8Array(body), { headers: { 'content-type': contentType } }).formData().catch(() => {
    throw new AppError(400, 'invalid_request_body', 'The multipart/form-data body could not be read.');
  });
  const fields: Record<string, unknown> = {};
  for (const [name, value] of form) {
    if (typeof value === 'string') fields[name] = value;
    else {
      if (!value.type.startsWith('image/')) throw invalidParam(name, `'${name}' must be an image file (image/png, image/jpeg, image/webp), not ${value.type || 'an untyped file'}.`);
      fields[name] = `data:${value.type};base64,${Buffer.from(await value.arrayBuffer()).toString('base64')}`;
    }
  }
  return fields;
}

export function videoRoutes(scope: FastifyInstance, platform: Platform): void {
  const getVideo = async (req: FastifyRequest<{ Params: { id: string } }>): Promise<TaskRow> => {
    const { user, key } = req.apiAuth;
    const task = await platform.tasks.getOwned(req.params.id, user.id, key.livemode === 1);
    if (task.type !== 'video') throw new AppError(404, 'task_not_found', `No video with id '${req.params.id}'.`, { param: 'id' });
    return task;
  };

  if (scope.hasContentTypeParser('multipart/form-data')) scope.removeContentTypeParser('multipart/form-data');
  scope.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit: platform.settings.maxInputBytes }, async (req: FastifyRequest, body: Buffer) =>
    formFields(String(req.headers['content-type']), body),
  );

  scope.post(
    '/videos',
    { schema: { body: VideoCreateBody, headers: IdempotencyHeaders, summary: 'Create a video (OpenAI Videos shape; JSON or multipart/form-data)', tags: ['openai'] } },
    async (req) => videoObject(await submitOne(platform, req, 'video', nativeBody(platform, req.body as VideoCreate), idempotencyKeyOf(req))),
  );

  scope.get<{ Params: { id: string } }>('/videos/:id', { schema: { params: VideoId, summary: 'Retrieve a video (OpenAI Videos shape)', tags: ['openai'] } }, async (req) => videoObject(await getVideo(req)));

  scope.get<{ Querystring: { limit?: string; after?: string } }>(
    '/videos',
    { schema: { querystring: ListQuery, summary: 'List videos, newest first (OpenAI cursor list)', tags: ['openai'] } },
    async (req) => {
      const { user, key } = req.apiAuth;
      const limit = parseLimit(req.query.limit);
      const rows = await platform.tasks.list(user.id, { limit: limit + 1, before: req.query.after, type: 'video', livemode: key.livemode === 1 });
      const data = rows.slice(0, limit).map(videoObject);
      return { object: 'list', data, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, has_more: rows.length > limit };
    },
  );

  scope.get<{ Params: { id: string }; Querystring: { variant?: string } }>(
    '/videos/:id/content',
    { schema: { params: VideoId, querystring: ContentQuery, summary: 'The video file (variant=video, MP4) or its thumbnail (variant=thumbnail)', tags: ['openai'] } },
    async (req, reply) => {
      const variant = req.query.variant ?? 'video';
      if (variant === 'spritesheet') throw invalidParam('variant', "variant 'spritesheet' is not offered; use video or thumbnail.", 'unsupported_parameter');
      const task = await getVideo(req);
      if (task.status !== 'succeeded')
        throw new AppError(409, 'video_not_ready', `Video ${task.id} is ${videoObject(task).status}; its content exists once it is completed.`, { param: 'id' });
      const video = firstMedia(task, 'videos');
      const path = String(variant === 'thumbnail' ? video.thumbnail_path : video.path);
      const data = await readStored(platform, path);
      return reply.header('content-type', CONTENT_TYPES[path.slice(path.lastIndexOf('.') + 1)] ?? 'application/octet-stream').send(data);
    },
  );

  scope.delete<{ Params: { id: string } }>(
    '/videos/:id',
    { schema: { params: VideoId, summary: 'Cancel a video that has not finished (refunded); finished videos are kept', tags: ['openai'] } },
    async (req) => {
      const { user, key } = req.apiAuth;
      const task = await getVideo(req);
      if (TERMINAL.includes(task.status))
        throw new AppError(409, 'video_not_deletable', `Video ${task.id} has ${task.status === 'succeeded' ? 'completed; finished videos are kept' : 'already ended; nothing is stored for it'}. Only a video that has not finished can be deleted (canceled).`, { param: 'id' });
      let canceled = await platform.tasks.cancel(task.id, user.id, key.livemode === 1);
      // A running task is dropped by its worker, and only while the upstream has not started it.
      if (!TERMINAL.includes(canceled.status)) canceled = await platform.waitForTask(canceled, CANCEL_WAIT_S);
      if (canceled.status !== 'canceled') {
        await platform.tasks.withdrawCancel(task.id);
        throw new AppError(409, 'task_not_cancelable', `Video ${task.id} is already being generated and can no longer be canceled.`, { param: 'id' });
      }
      return { id: task.id, object: 'video.deleted', deleted: true };
    },
  );
}
