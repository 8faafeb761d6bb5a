// Per-key token bucket in this process: `perMinute` requests a minute, bursts up to the same.
import { AppError } from '../lib/app-error.js';

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly perMinute: number) {}

  take(id: string, now = Date.now()): void {
    if (this.perMinute === 0) return; // 0 turns limiting off
    const bucket = this.buckets.get(id) ?? { tokens: this.perMinute, at: now };
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + ((now - bucket.at) * this.perMinute) / 60_000);
    bucket.at = now;
    if (bucket.tokens < 1) {
      this.buckets.set(id, bucket);
      const retryAfter = Math.ceil(((1 - bucket.tokens) * 60_000) / this.perMinute / 1000);
      throw new AppError(429, 'rate_limit_exceeded', `Too many requests for this API key (limit ${this.perMinute} a minute). Retry in ${retryAfter} s.`, {
        headers: { 'retry-after': String(retryAfter) },
      });
    }
    bucket.tokens -= 1;
    this.buckets.set(id, bucket);
    if (this.buckets.size > 100_000) this.buckets.clear();
  }
}
