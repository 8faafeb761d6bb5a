import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import type { ModelConfig } from '../../config/catalog-schema.js';
import { AppError } from '../../lib/app-error.js';
import type { Platform } from '../../platform.js';
import { modelView } from '../../services/model-view.js';
import type { HttpDeps } from '../deps.js';
import { openApiDocument, type RouteRecord } from '../openapi.js';
import { baseUrl } from '../present.js';

/** Whether a live request for the model could be served now: a node with credentials whose breaker is not open. */
export function modelAvailable(platform: Platform, model: ModelConfig): boolean {
  return platform.catalog.nodesFor(model.id).some((n) => n.missing.length === 0 && platform.router.state(n.id) !== 'open');
}

export function presentModel(platform: Platform, model: ModelConfig) {
  return modelView(model, { available: modelAvailable(platform, model) });
}

const ListQuery = Type.Object({
  type: Type.Optional(Type.String({ description: 'image | video | audio | tool' })),
  provider: Type.Optional(Type.String({ maxLength: 100 })),
});

export function modelRoutes(app: FastifyInstance, { platform, routes }: HttpDeps & { routes: RouteRecord[] }): void {
  app.get<{ Querystring: { type?: string; provider?: string } }>(
    '/api/v1/models',
    { schema: { querystring: ListQuery, summary: 'The public model catalog', security: [] } },
    async (req) => {
      const { type, provider } = req.query;
      const models = platform.catalog.models.filter((m) => m.enabled && (!type || m.type === type) && (!provider || m.provider.toLowerCase() === provider.toLowerCase()));
      return { object: 'list', data: models.map((m) => presentModel(platform, m)) };
    },
  );

  app.get('/api/v1/openapi.json', { schema: { summary: 'This document', security: [] } }, async (req) => openApiDocument(routes, baseUrl(req, platform.settings.publicUrl)));

  app.get<{ Params: { id: string } }>(
    '/api/v1/models/:id',
    { schema: { params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) }), summary: 'One model', security: [] } },
    async (req) => {
      const model = platform.catalog.model(req.params.id);
      if (!model || !model.enabled) throw new AppError(404, 'model_not_found', `There is no model '${req.params.id}'.`, { param: 'id' });
      return presentModel(platform, model);
    },
  );
}
