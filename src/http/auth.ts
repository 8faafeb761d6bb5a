import type { FastifyRequest } from 'fastify';
import type { Platform } from '../platform.js';
import type { ApiKey } from '../services/api-keys.js';
import type { User } from '../services/users.js';
import type { RateLimiter } from './rate-limit.js';

export interface ApiAuth {
  key: ApiKey;
  user: User;
}

const TOUCH_EVERY_MS = 60_000;

/** Resolves the bearer key (401 otherwise), applies the key's rate limit, notes its use. */
export async function authenticateApiKey(req: FastifyRequest, platform: Platform, limiter: RateLimiter): Promise<ApiAuth> {
  const header = req.headers.authorization;
  const raw = header?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
  const auth = await platform.keys.authenticate(header && !raw ? header : raw);
  limiter.take(auth.key.id);
  const last = auth.key.last_used_at ? Date.parse(auth.key.last_used_at) : 0;
  if (Date.now() - last > TOUCH_EVERY_MS) void platform.keys.touch(auth.key.id).catch(() => undefined);
  return auth;
}
