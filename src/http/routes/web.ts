// The web dashboard and public model pages (the React app built to web/dist), same origin as the
// API. Hashed assets get a year of cache; every other page GET is answered with index.html (the
// app routes on the client), except the API's own paths, which keep their JSON 404.
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { HttpDeps } from '../deps.js';

export const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../web/dist');

/** Paths that belong to the API or operations, never to the web app. */
const NOT_WEB = /^\/(api|files|assets)(\/|$)|^\/(healthz|readyz|metrics)(\/|$|\?)/;

/**
 * The pages' Content-Security-Policy: the app's own scripts, styles and API only, images and
 * media also from data:/blob: URLs (the favicon, local previews), no plugins, and no framing by
 * other sites (clickjacking), with X-Frame-Options for old browsers.
 */
export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob: https:",
  "media-src 'self' blob: https:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

let cached: { mtimeMs: number; html: Buffer } | null = null;

function indexHtml(dist: string): Buffer | null {
  const file = path.join(dist, 'index.html');
  try {
    const { mtimeMs } = statSync(file);
    if (!cached || cached.mtimeMs !== mtimeMs) cached = { mtimeMs, html: readFileSync(file) };
    return cached.html;
  } catch {
    return null;
  }
}

const NOT_BUILT = Buffer.from(
  '<!doctype html><meta charset="utf-8"><title>API in One</title><body style="font-family:system-ui;padding:40px">' +
    '<h1>The web dashboard is not built</h1><p>Run <code>node bin/build-web.js</code> (or <code>npm start</code>, which builds it) and reload. The API works without it.</p>',
);

/** Whether a request is a page load the web app should answer (GET/HEAD, HTML, not an API path). */
export function isWebPageRequest(req: FastifyRequest): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (NOT_WEB.test(req.url)) return false;
  return (req.headers.accept ?? '').includes('text/html');
}

/** Answers with the app's index.html (for the not-found handler: client-side routes). */
export function sendIndexHtml(reply: FastifyReply, dist = WEB_DIST): FastifyReply {
  const html = indexHtml(dist);
  return reply
    .status(html ? 200 : 503)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-cache')
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', PAGE_CSP)
    .header('x-frame-options', 'DENY')
    .header('referrer-policy', 'same-origin')
    .send(html ?? NOT_BUILT);
}

export function webRoutes(app: FastifyInstance, _deps?: HttpDeps, opts: { dist?: string } = {}): void {
  const dist = opts.dist ?? WEB_DIST;
  const assets = path.join(dist, 'assets');
  // @fastify/static wants its root to exist; the build fills it later without a restart.
  if (!existsSync(assets)) mkdirSync(assets, { recursive: true });
  app.register(fastifyStatic, {
    root: assets,
    prefix: '/assets/',
    decorateReply: false,
    index: false,
    preCompressed: true,
    cacheControl: false,
    setHeaders(reply) {
      // File names carry a content hash: a changed file is a new URL.
      reply.header('cache-control', 'public, max-age=31536000, immutable');
    },
  });
  app.get('/', (_req, reply) => sendIndexHtml(reply, dist));
}
