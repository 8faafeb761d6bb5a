import type { FastifyInstance } from 'fastify';
import { AppError } from '../../lib/app-error.js';
import type { ModelConfig } from '../../config/catalog-schema.js';
import type { Platform } from '../../platform.js';
import { modelView } from '../../services/model-view.js';
import { openApiDocument } from '../openapi.js';
import { baseUrl } from '../present.js';
import type { HttpDeps } from '../server.js';

export function presentModel(platform: Platform, model: ModelConfig) {
  const nodes = platform.catalog.nodesFor(model.id);
  const available = nodes.some((n) => n.missing.length === 0 && platform.router.state(n.id) !== 'open');
  return modelView(model, { available, nodes: nodes.map((n) => n.id) });
}

export function modelRoutes(app: FastifyInstance, { platform }: HttpDeps): void {
  app.get<{ Querystring: { type?: string; provider?: string } }>('/api/v1/models', async (req) => {
    const { type, provider } = req.query;
    const models = platform.catalog.models.filter(
      (m) => m.enabled && (!type || m.type === type) && (!provider || m.provider.toLowerCase() === provider.toLowerCase()),
    );
    return { object: 'list', data: models.map((m) => presentModel(platform, m)) };
  });

  app.get('/api/v1/openapi.json', async (req) => openApiDocument(platform.catalog, baseUrl(req, platform.settings.publicUrl)));

  app.get<{ Params: { id: string } }>('/api/v1/models/:id', async (req) => {
    const model = platform.catalog.model(req.params.id);
    if (!model || !model.enabled) throw new AppError(404, 'model_not_found', `There is no model '${req.params.id}'.`, { param: 'id' });
    return presentModel(platform, model);
  });
}
