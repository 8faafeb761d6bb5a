// The API's authentication, as one hook for a whole scope of routes: the bearer key (401
// otherwise), the key's rate limit, a note of its use. Routes read `req.apiAuth`.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Platform } from '../platform.js';
import type { ApiKey } from '../services/api-keys.js';
import type { User } from '../services/users.js';
import type { RateLimiter } from './rate-limit.js';

export interface ApiAuth {
  key: ApiKey;
  user: User;
}

declare module 'fastify' {
  interface FastifyRequest {
    apiAuth: ApiAuth;
  }
}

const TOUCH_EVERY_MS = 60_000;

/** The bearer key of a request: `Authorization: Bearer aio_...`, or Anthropic clients' `x-api-key`. */
function presentedKey(req: FastifyRequest): string | undefined {
  const header = req.headers.authorization;
  if (header) return header.match(/^Bearer\s+(\S+)\s*$/i)?.[1] ?? header;
  const alt = req.headers['x-api-key'];
  return typeof alt === 'string' ? alt : undefined;
}

export async function authenticateApiKey(req: FastifyRequest, platform: Platform, limiter: RateLimiter): Promise<ApiAuth> {
  const auth = await platform.keys.authenticate(presentedKey(req));
  await limiter.take(auth.key.id);
  const last = auth.key.last_used_at ? Date.parse(auth.key.last_used_at) : 0;
  if (Date.now() - last > TOUCH_EVERY_MS) void platform.keys.touch(auth.key.id).catch(() => undefined);
  return auth;
}

/** Makes every route of `scope` require an API key. */
export function requireApiKey(scope: FastifyInstance, platform: Platform, limiter: RateLimiter): void {
  scope.decorateRequest('apiAuth', null as unknown as ApiAuth);
  scope.addHook('onRequest', async (req) => {
    req.apiAuth = await authenticateApiKey(req, platform, limiter);
  });
}
