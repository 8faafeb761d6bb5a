// Slows down password guessing, in this process's memory: at most `perKey` failures per email
// and `perIp` per client address in a sliding window; past that, 429 with Retry-After until the
// oldest failure leaves the window. Several gateways each keep their own count.
import { AppError } from '../lib/app-error.js';

export interface ThrottleLimits {
  perKey: number;
  perIp: number;
  windowMs: number;
}

export const LOGIN_LIMITS: ThrottleLimits = { perKey: 5, perIp: 20, windowMs: 15 * 60_000 };

export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limits: ThrottleLimits = LOGIN_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  private recent(id: string): number[] {
    const since = this.now() - this.limits.windowMs;
    const list = (this.failures.get(id) ?? []).filter((t) => t > since);
    if (list.length) this.failures.set(id, list);
    else this.failures.delete(id);
    return list;
  }

  private retryAfter(list: number[], limit: number): number | undefined {
    if (list.length < limit) return undefined;
    // The attempt that must leave the window before there is room again.
    const oldest = list[list.length - limit]!;
    return Math.max(1, Math.ceil((oldest + this.limits.windowMs - this.now()) / 1000));
  }

  /** Throws 429 too_many_attempts when `key` (e.g. an email) or `ip` used up its failures. */
  check(key: string, ip: string | undefined): void {
    const waits = [this.retryAfter(this.recent(`k:${key}`), this.limits.perKey), ip ? this.retryAfter(this.recent(`ip:${ip}`), this.limits.perIp) : undefined];
    const wait = Math.max(...waits.map((w) => w ?? 0));
    if (wait > 0)
      throw new AppError(429, 'too_many_attempts', `Too many failed attempts. Try again in ${Math.ceil(wait / 60)} minute(s).`, {
        headers: { 'retry-after': String(wait) },
      });
  }

  fail(key: string, ip: string | undefined): void {
    const at = this.now();
    for (const id of ip ? [`k:${key}`, `ip:${ip}`] : [`k:${key}`]) {
      const list = this.recent(id);
      list.push(at);
      this.failures.set(id, list);
    }
    if (this.failures.size > 50_000) this.prune();
  }

  /** A success forgets the key's failures (not the address's). */
  succeed(key: string): void {
    this.failures.delete(`k:${key}`);
  }

  private prune(): void {
    for (const id of [...this.failures.keys()]) this.recent(id);
    if (this.failures.size > 50_000) this.failures.clear();
  }
}
