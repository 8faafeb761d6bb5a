// The HTTP face of the platform (the BFF): thin routes over the services.
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { randomToken } from '../lib/ids.js';
import type { Platform } from '../platform.js';
import { IdempotencyService } from '../services/idempotency.js';
import { apiNotFound, installErrorHandling } from './errors.js';
import { RateLimiter } from './rate-limit.js';
import { dashboardRoutes } from './routes/dashboard/index.js';
import { fileRoutes } from './routes/files.js';
import { healthRoutes } from './routes/health.js';
import { imageRoutes } from './routes/images.js';
import { metricsRoutes } from './routes/metrics.js';
import { modelRoutes } from './routes/models.js';
import { nodeRoutes } from './routes/nodes.js';
import { taskRoutes } from './routes/tasks.js';
import { isWebPageRequest, sendIndexHtml, webRoutes } from './routes/web.js';

export interface HttpDeps {
  platform: Platform;
  limiter: RateLimiter;
  idempotency: IdempotencyService;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

export async function buildServer(platform: Platform): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: platform.log as FastifyBaseLogger,
    bodyLimit: platform.settings.bodyLimitBytes,
    trustProxy: process.env.AIO_TRUST_PROXY === '1',
    requestIdHeader: 'x-request-id',
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : `req_${randomToken(20)}`;
    },
  });
  // JSON only: a text/plain body is a 415, not a string we then misread.
  app.removeContentTypeParser('text/plain');
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  installErrorHandling(app);

  const deps: HttpDeps = {
    platform,
    limiter: new RateLimiter(platform.settings.rateLimitPerMinute),
    idempotency: new IdempotencyService(platform.db),
  };
  healthRoutes(app, deps);
  metricsRoutes(app, deps);
  modelRoutes(app, deps);
  imageRoutes(app, deps);
  taskRoutes(app, deps);
  nodeRoutes(app, deps);
  fileRoutes(app, deps);
  dashboardRoutes(app, deps);
  webRoutes(app, deps);

  app.setNotFoundHandler((req, reply) => {
    if (isWebPageRequest(req)) return sendIndexHtml(reply);
    const err = apiNotFound(req.method, req.url);
    reply.status(err.status).send(err.toJSON());
  });
  return app;
}

/** A worker's own small server: /healthz, /readyz and /metrics only (AIO_METRICS_PORT). */
export async function buildProbeServer(platform: Platform): Promise<FastifyInstance> {
  const app = Fastify({ loggerInstance: platform.log as FastifyBaseLogger, disableRequestLogging: true });
  const deps = { platform, limiter: new RateLimiter(0), idempotency: new IdempotencyService(platform.db) };
  healthRoutes(app, deps);
  metricsRoutes(app, deps);
  return app;
}
