import type { FastifyInstance } from 'fastify';
import { AppError } from '../../lib/app-error.js';
import type { Platform } from '../../platform.js';

/** Prometheus text at GET /metrics; behind `AIO_METRICS_TOKEN` (Bearer) when that is set. */
export function metricsRoutes(app: FastifyInstance, { platform }: { platform: Platform }): void {
  const { metrics } = platform;
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    metrics.httpRequests.inc({ method: req.method, route, status: String(reply.statusCode) });
    metrics.httpDuration.observe({ method: req.method, route }, reply.elapsedTime / 1000);
  });
  app.get('/metrics', async (req, reply) => {
    const token = platform.settings.env.AIO_METRICS_TOKEN;
    if (token && req.headers.authorization !== `Bearer ${token}`) throw new AppError(401, 'invalid_metrics_token', 'GET /metrics needs "Authorization: Bearer <AIO_METRICS_TOKEN>".');
    return reply.header('content-type', metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}
