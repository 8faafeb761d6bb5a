// GET /v1/models in OpenAI's list shape: every enabled model of the catalog, chat ones included.
// `created` is when the catalog file was last written (the catalog has no per-model dates).
import { statSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import type { ModelConfig } from '../../../config/catalog-schema.js';
import { AppError } from '../../../lib/app-error.js';
import type { Platform } from '../../../platform.js';

const ModelId = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) });

export function modelListRoutes(scope: FastifyInstance, platform: Platform): void {
  const created = Math.floor(statSync(platform.settings.catalogFile).mtimeMs / 1000);
  const present = (m: ModelConfig) => ({ id: m.id, object: 'model' as const, created, owned_by: m.provider, type: m.type });

  scope.get('/models', { schema: { summary: 'List models (OpenAI shape): every enabled model, chat ones included', tags: ['openai'] } }, async () => ({
    object: 'list',
    data: platform.catalog.models.filter((m) => m.enabled).map(present),
  }));

  scope.get<{ Params: { id: string } }>('/models/:id', { schema: { params: ModelId, summary: 'One model (OpenAI shape)', tags: ['openai'] } }, async (req) => {
    const model = platform.catalog.model(req.params.id);
    if (!model?.enabled) throw new AppError(404, 'model_not_found', `There is no model '${req.params.id}'.`, { param: 'id' });
    return present(model);
  });
}
