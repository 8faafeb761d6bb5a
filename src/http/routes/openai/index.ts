// The OpenAI-compatible media routes under /v1 (chat has its own module): OpenAI's request and
// answer shapes, its error envelope with our stable codes in `code` (also for a missing key and
// for unknown /v1 routes), and the native submit use case underneath. Register inside the API-key
// scope.
import type { FastifyInstance } from 'fastify';
import { chatErrorShape } from '../../chat-errors.js';
import type { HttpDeps } from '../../deps.js';
import { apiNotFound } from '../../errors.js';
import { imageRoutes } from './images.js';
import { modelListRoutes } from './models.js';
import { speechRoutes } from './speech.js';
import { videoRoutes } from './videos.js';

export async function openAiRoutes(api: FastifyInstance, { platform }: HttpDeps): Promise<void> {
  await api.register(
    async (scope) => {
      chatErrorShape(scope, 'openai');
      scope.setNotFoundHandler((req) => {
        throw apiNotFound(req.method, req.url);
      });
      imageRoutes(scope, platform);
      speechRoutes(scope, platform);
      modelListRoutes(scope, platform);
      await scope.register(async (videos) => videoRoutes(videos, platform));
    },
    { prefix: '/v1' },
  );
}
