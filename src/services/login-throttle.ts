// Slows down password guessing: at most `perKey` attempts per key (e.g. an email) and `perIp` per
// client address in a sliding window; past that, 429 with Retry-After until the oldest attempt
// leaves the window. The counts live in an AttemptStore: this process's memory, or Redis shared
// by every gateway (REDIS_URL), so N gateways do not allow N times the limit.
//
// An attempt takes its slot BEFORE the slow check (`reserve`), atomically (one turn of the event
// loop in memory, one Lua script in Redis), so a burst of parallel requests cannot all pass the
// check while the first ones are still hashing: at most the limit of them are ever checked. The
// caller then gives the slot back or keeps it.
import { AppError } from '../lib/app-error.js';
import { randomToken } from '../lib/ids.js';
import { type AttemptStore, MemoryAttempts } from './limit-stores.js';

export interface ThrottleLimits {
  perKey: number;
  perIp: number;
  windowMs: number;
  /** The start of the 429's message; "Try again in N minute(s)." follows. */
  refusal?: string;
}

export const LOGIN_LIMITS: ThrottleLimits = { perKey: 5, perIp: 20, windowMs: 15 * 60_000 };

/** One reserved attempt. Left alone it counts (a failure); the outcome methods change that. */
export interface Attempt {
  /** The secret was right: the key's earlier failures are forgotten, and this attempt does not count. */
  succeed(): Promise<void>;
  /** The attempt was not a guess (e.g. the request failed for another reason): it does not count. */
  release(): Promise<void>;
}

export class LoginThrottle {
  constructor(
    private readonly limits: ThrottleLimits = LOGIN_LIMITS,
    private readonly store: AttemptStore = new MemoryAttempts(),
  ) {}

  private ids(key: string, ip: string | undefined): Array<[string, number]> {
    return ip ? [[`k:${key}`, this.limits.perKey], [`ip:${ip}`, this.limits.perIp]] : [[`k:${key}`, this.limits.perKey]];
  }

  private refuse(waitMs: number): AppError {
    const wait = Math.max(1, Math.ceil(waitMs / 1000));
    return new AppError(429, 'too_many_attempts', `${this.limits.refusal ?? 'Too many failed attempts.'} Try again in ${Math.ceil(wait / 60)} minute(s).`, {
      headers: { 'retry-after': String(wait) },
    });
  }

  /**
   * Takes a slot for `key` and `ip` at once, or throws 429 taking none. Call it before the slow
   * check (and await it: the slot is taken when it resolves).
   */
  async reserve(key: string, ip: string | undefined): Promise<Attempt> {
    const member = randomToken(16);
    const ids = this.ids(key, ip);
    const wait = await this.store.reserve(ids, this.limits.windowMs, member);
    if (wait > 0) throw this.refuse(wait);
    let settled = false;
    const settle = () => !settled && (settled = true);
    return {
      succeed: async () => {
        if (!settle()) return;
        await this.store.clear(`k:${key}`);
        if (ip) await this.store.remove(`ip:${ip}`, member);
      },
      release: async () => {
        if (!settle()) return;
        for (const [id] of ids) await this.store.remove(id, member);
      },
    };
  }
}
