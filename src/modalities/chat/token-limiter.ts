// Tokens per minute per API key, in this process (as the request limiter): a bucket that refills
// continuously. A request needs its prompt's tokens in the bucket to start (a full bucket always
// lets one through); the answer's tokens are taken when it ends, and may take the bucket below
// zero, which then holds the next requests back.
import { AppError } from '../../lib/app-error.js';

export class TokenLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly perMinute: number) {}

  private bucket(id: string, now: number) {
    const b = this.buckets.get(id) ?? { tokens: this.perMinute, at: now };
    b.tokens = Math.min(this.perMinute, b.tokens + ((now - b.at) * this.perMinute) / 60_000);
    b.at = now;
    this.buckets.set(id, b);
    if (this.buckets.size > 100_000) this.buckets.clear();
    return b;
  }

  /** Takes `tokens` for a request about to start, or refuses it with 429 and when to retry. */
  take(id: string, tokens: number, now = Date.now()): void {
    if (this.perMinute === 0) return;
    const b = this.bucket(id, now);
    if (b.tokens < tokens && b.tokens < this.perMinute) {
      const retryAfter = Math.max(1, Math.ceil(((Math.min(tokens, this.perMinute) - b.tokens) * 60) / this.perMinute));
      throw new AppError(429, 'rate_limit_exceeded', `This API key is over its limit of ${this.perMinute} tokens a minute (this prompt is about ${tokens}). Retry in ${retryAfter} s.`, {
        headers: { 'retry-after': String(retryAfter) },
      });
    }
    b.tokens -= tokens;
  }

  /** Counts tokens used after the start (the answer's). */
  spend(id: string, tokens: number, now = Date.now()): void {
    if (this.perMinute === 0 || tokens <= 0) return;
    this.bucket(id, now).tokens -= tokens;
  }
}
