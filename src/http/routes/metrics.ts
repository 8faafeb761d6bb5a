import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../lib/app-error.js';
import type { Platform } from '../../platform.js';

const isLoopback = (address: string | undefined) => !!address && (/^127\./.test(address) || address === '::1' || /^::ffff:127\./.test(address));

/** A request from this machine itself, not relayed by a proxy (which would make anyone look local). */
function fromLoopback(req: FastifyRequest): boolean {
  const h = req.headers;
  return isLoopback(req.socket.remoteAddress) && !h['x-forwarded-for'] && !h.forwarded && !h['x-real-ip'];
}

/**
 * Prometheus text at GET /metrics (it shows traffic and revenue): with `AIO_METRICS_TOKEN` set,
 * only with "Authorization: Bearer <token>"; without it, only from loopback.
 */
export function metricsRoutes(app: FastifyInstance, { platform }: { platform: Platform }): void {
  const { metrics } = platform;
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    metrics.httpRequests.inc({ method: req.method, route, status: String(reply.statusCode) });
    metrics.httpDuration.observe({ method: req.method, route }, reply.elapsedTime / 1000);
  });
  app.get('/metrics', async (req, reply) => {
    const token = platform.settings.metricsToken;
    if (token && req.headers.authorization !== `Bearer ${token}`) throw new AppError(401, 'invalid_metrics_token', 'GET /metrics needs "Authorization: Bearer <AIO_METRICS_TOKEN>".');
    if (!token && !fromLoopback(req))
      throw new AppError(403, 'metrics_token_required', 'GET /metrics is only served to this machine itself; to scrape it from elsewhere, set AIO_METRICS_TOKEN on the server and send "Authorization: Bearer <token>".');
    return reply.header('content-type', metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}
