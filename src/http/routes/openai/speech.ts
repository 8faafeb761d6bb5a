// POST /v1/audio/speech in OpenAI's shape: the answer is the audio itself. The task is an
// ordinary speech task (priced by the characters of `input`), waited for here.
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { invalidParam } from '../../../lib/app-error.js';
import { audioContentType } from '../../../media/audio.js';
import type { AudioFormat } from '../../../providers/types.js';
import { literals } from '../../../modalities/shared/fields.js';
import type { Platform } from '../../../platform.js';
import { IdempotencyHeaders, firstMedia, idempotencyKeyOf, readStored, submitOne, taskFailure, waitForEnd } from './tasks.js';

const WAIT_S = 300;

export const SpeechBody = Type.Object(
  {
    model: Type.String({ minLength: 1, maxLength: 200, description: 'A speech model id (GET /v1/models).' }),
    input: Type.String({ minLength: 1, maxLength: 100_000, description: 'The text to say (at most the model’s limit, 4096 for most).' }),
    voice: Type.String({ minLength: 1, maxLength: 100, description: 'One of the model’s voices (alloy, ash, coral, ...).' }),
    instructions: Type.Optional(Type.String({ maxLength: 4000, description: 'Voice style, where the model takes it.' })),
    response_format: Type.Optional(literals(['mp3', 'opus', 'aac', 'flac', 'wav', 'pcm'])),
    speed: Type.Optional(Type.Number({ minimum: 0.25, maximum: 4 })),
    stream_format: Type.Optional(literals(['audio', 'sse'])),
  },
  { additionalProperties: false },
);

type SpeechRequest = { model: string; input: string; voice: string; instructions?: string; response_format?: string; speed?: number; stream_format?: string };

export function speechRoutes(scope: FastifyInstance, platform: Platform): void {
  scope.post(
    '/audio/speech',
    { schema: { body: SpeechBody, headers: IdempotencyHeaders, summary: 'Text to speech (OpenAI shape): answers the audio bytes', tags: ['openai'] } },
    async (req, reply) => {
      const body = req.body as SpeechRequest;
      if (body.response_format === 'pcm') throw invalidParam('response_format', "'pcm' is not offered; use wav for uncompressed audio, or mp3, opus, aac, flac.", 'unsupported_parameter');
      if (body.stream_format === 'sse') throw invalidParam('stream_format', "stream_format 'sse' is not offered; the audio comes as one body.", 'unsupported_parameter');
      const model = platform.catalog.model(body.model);
      if (model?.type === 'audio' && (model.params as { kind?: string }).kind !== 'speech')
        throw invalidParam('model', `'${model.id}' makes music, not speech: use POST /api/v1/audio/generations with a prompt.`);
      const native: Record<string, unknown> = { model: body.model, text: body.input, voice: body.voice, format: body.response_format ?? 'mp3' };
      if (body.speed !== undefined && body.speed !== 1) native.speed = body.speed;
      if (body.instructions?.trim()) native.instructions = body.instructions;
      const task = await waitForEnd(platform, await submitOne(platform, req, 'audio', native, idempotencyKeyOf(req)), WAIT_S);
      if (task.status !== 'succeeded') throw taskFailure(task);
      const audio = firstMedia(task, 'audio');
      const data = await readStored(platform, audio.path);
      return reply.header('content-type', audioContentType(audio.format as AudioFormat)).header('aio-task-id', task.id).send(data);
    },
  );
}
