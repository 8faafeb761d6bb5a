// Per-key token bucket: `perMinute` requests a minute, bursts up to the same. The counts live in a
// TokenBucketStore: this process's memory, or Redis shared by every gateway (REDIS_URL).
import { AppError } from '../lib/app-error.js';
import { MemoryTokenBuckets, type TokenBucketStore } from '../services/limit-stores.js';

export class RateLimiter {
  constructor(
    private readonly perMinute: number,
    private readonly store: TokenBucketStore = new MemoryTokenBuckets(),
  ) {}

  /** Takes one request from `id`'s bucket, or throws 429 rate_limit_exceeded with Retry-After. */
  async take(id: string): Promise<void> {
    if (this.perMinute === 0) return; // 0 turns limiting off
    const waitMs = await this.store.take(id, this.perMinute, this.perMinute / 60_000);
    if (waitMs <= 0) return;
    const retryAfter = Math.max(1, Math.ceil(waitMs / 1000));
    throw new AppError(429, 'rate_limit_exceeded', `Too many requests for this API key (limit ${this.perMinute} a minute). Retry in ${retryAfter} s.`, {
      headers: { 'retry-after': String(retryAfter) },
    });
  }
}
