// Tokens per minute per API key: a bucket that refills continuously, kept where the request
// limits are (this process's memory, or Redis shared by every gateway with REDIS_URL). A request
// needs its prompt's tokens in the bucket to start (a full bucket always lets one through); the
// answer's tokens are taken when it ends, and may take the bucket below zero, which then holds
// the next requests back.
import { AppError } from '../../lib/app-error.js';
import type { TokenBucketStore } from '../../services/limit-stores.js';

export class TokenLimiter {
  constructor(
    private readonly perMinute: number,
    private readonly store: TokenBucketStore,
  ) {}

  /** Apart from the same key's request-rate bucket in the same store. */
  private bucket = (keyId: string) => `tpm:${keyId}`;

  /** Takes `tokens` for a request about to start, or refuses it with 429 and when to retry. */
  async take(keyId: string, tokens: number): Promise<void> {
    if (this.perMinute === 0) return;
    const waitMs = await this.store.take(this.bucket(keyId), this.perMinute, this.perMinute / 60_000, tokens);
    if (waitMs <= 0) return;
    const retryAfter = Math.max(1, Math.ceil(waitMs / 1000));
    throw new AppError(429, 'rate_limit_exceeded', `This API key is over its limit of ${this.perMinute} tokens a minute (this prompt is about ${tokens}). Retry in ${retryAfter} s.`, {
      headers: { 'retry-after': String(retryAfter) },
    });
  }

  /** Counts tokens used after the start (the answer's). */
  async spend(keyId: string, tokens: number): Promise<void> {
    if (this.perMinute === 0 || tokens <= 0) return;
    await this.store.spend(this.bucket(keyId), this.perMinute, this.perMinute / 60_000, tokens);
  }
}
