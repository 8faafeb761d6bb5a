// What every route module is handed. Kept apart from server.ts so routes never import the server.
import type { Platform } from '../platform.js';
import type { RateLimiter } from './rate-limit.js';

export interface HttpDeps {
  platform: Platform;
  limiter: RateLimiter;
}
