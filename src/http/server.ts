// The HTTP face of the platform (the BFF): thin routes over the use cases and services.
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { AppError } from '../lib/app-error.js';
import { randomToken } from '../lib/ids.js';
import type { Platform } from '../platform.js';
import { requireApiKey } from './api-key-auth.js';
import type { HttpDeps } from './deps.js';
import { apiNotFound, clientErrorHandler, frameworkErrors, installErrorHandling } from './errors.js';
import { collectRoutes } from './openapi.js';
import { RateLimiter } from './rate-limit.js';
import { OneLineRequestLog } from './request-log.js';
import { serverTimeouts } from './timeouts.js';
import { chatRoutes } from './routes/chat.js';
import { dashboardRoutes } from './routes/dashboard/index.js';
import { fileRoutes } from './routes/files.js';
import { generationRoutes } from './routes/generations.js';
import { healthRoutes } from './routes/health.js';
import { metricsRoutes } from './routes/metrics.js';
import { modelRoutes } from './routes/models.js';
import { nodeRoutes } from './routes/nodes.js';
import { openAiRoutes } from './routes/openai/index.js';
import { taskEventRoutes } from './routes/task-events.js';
import { taskRoutes } from './routes/tasks.js';
import { webhookRoutes } from './routes/webhooks.js';
import { uploadRoutes } from './routes/uploads.js';
import { isWebPageRequest, sendIndexHtml, webRoutes } from './routes/web.js';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Strict body checks: no type coercion, no silently removed fields, no filled-in defaults (the modality fills those). */
const AJV_OPTIONS = { coerceTypes: false, removeAdditional: false, useDefaults: false, allErrors: false, verbose: true } as const;

function createApp(platform: Platform, opts: { logRequests: boolean }): FastifyInstance {
  return Fastify({
    loggerInstance: platform.log as FastifyBaseLogger,
    logController: new OneLineRequestLog({ disableRequestLogging: !opts.logRequests }),
    bodyLimit: platform.settings.bodyLimitBytes,
    ...serverTimeouts(platform.settings.requestTimeoutMs),
    // Refusals by the router and by Node's HTTP parser, in our error shape too.
    frameworkErrors,
    clientErrorHandler,
    trustProxy: platform.settings.trustProxy,
    requestIdHeader: 'x-request-id',
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : `req_${randomToken(20)}`;
    },
    ajv: { customOptions: AJV_OPTIONS },
  });
}

export async function buildServer(platform: Platform): Promise<FastifyInstance> {
  const app = createApp(platform, { logRequests: true });
  // JSON only: a text/plain body is a 415, not a string we then misread.
  app.removeContentTypeParser('text/plain');
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  installErrorHandling(app);
  // Node answers an Expect other than 100-continue itself, with an empty 417: answer in our shape.
  app.server.on('checkExpectation', (_req, res) => {
    const body = JSON.stringify(new AppError(417, 'expectation_failed', 'Only "Expect: 100-continue" is supported; send the request without this header.').toJSON());
    res.writeHead(417, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), 'x-content-type-options': 'nosniff' });
    res.end(body);
  });
  const routes = collectRoutes(app);

  const deps: HttpDeps = { platform, limiter: new RateLimiter(platform.settings.rateLimitPerMinute, platform.limits.buckets) };
  healthRoutes(app, deps);
  metricsRoutes(app, deps);
  modelRoutes(app, { ...deps, routes });
  fileRoutes(app, deps);
  // The public API behind an API key: one hook authenticates and rate-limits every route in it.
  await app.register(async (api) => {
    requireApiKey(api, platform, deps.limiter);
    generationRoutes(api, deps);
    taskRoutes(api, deps);
    taskEventRoutes(api, deps);
    webhookRoutes(api, deps);
    nodeRoutes(api, deps);
    chatRoutes(api, deps);
    await openAiRoutes(api, deps);
    await uploadRoutes(api, deps);
  });
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
  const app = createApp(platform, { logRequests: false });
  const deps = { platform, limiter: new RateLimiter(0) };
  healthRoutes(app, deps);
  metricsRoutes(app, deps);
  return app;
}
