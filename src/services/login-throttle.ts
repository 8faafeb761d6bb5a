// Slows down password guessing, in this process's memory: at most `perKey` attempts per key
// (e.g. an email) and `perIp` per client address in a sliding window; past that, 429 with
// Retry-After until the oldest attempt leaves the window. Several gateways each keep their own count.
//
// An attempt takes its slot BEFORE the slow check (`reserve`), synchronously, so a burst of
// parallel requests cannot all pass the check while the first ones are still hashing: at most
// the limit of them are ever checked. The caller then gives the slot back or keeps it.
import { AppError } from '../lib/app-error.js';

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
  succeed(): void;
  /** The attempt was not a guess (e.g. the request failed for another reason): it does not count. */
  release(): void;
}

export class LoginThrottle {
  private readonly attempts = new Map<string, number[]>();

  constructor(
    private readonly limits: ThrottleLimits = LOGIN_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  private recent(id: string): number[] {
    const since = this.now() - this.limits.windowMs;
    const list = (this.attempts.get(id) ?? []).filter((t) => t > since);
    if (list.length) this.attempts.set(id, list);
    else this.attempts.delete(id);
    return list;
  }

  private retryAfter(list: number[], limit: number): number | undefined {
    if (list.length < limit) return undefined;
    // The attempt that must leave the window before there is room again.
    const oldest = list[list.length - limit]!;
    return Math.max(1, Math.ceil((oldest + this.limits.windowMs - this.now()) / 1000));
  }

  private ids(key: string, ip: string | undefined): Array<[string, number]> {
    return ip ? [[`k:${key}`, this.limits.perKey], [`ip:${ip}`, this.limits.perIp]] : [[`k:${key}`, this.limits.perKey]];
  }

  /** Throws 429 too_many_attempts when `key` or `ip` used up its attempts. */
  check(key: string, ip: string | undefined): void {
    const wait = Math.max(0, ...this.ids(key, ip).map(([id, limit]) => this.retryAfter(this.recent(id), limit) ?? 0));
    if (wait > 0)
      throw new AppError(429, 'too_many_attempts', `${this.limits.refusal ?? 'Too many failed attempts.'} Try again in ${Math.ceil(wait / 60)} minute(s).`, {
        headers: { 'retry-after': String(wait) },
      });
  }

  /**
   * Takes a slot for `key` and `ip` at once, or throws 429 taking none. Call it before the slow
   * check and without awaiting anything in between.
   */
  reserve(key: string, ip: string | undefined): Attempt {
    this.check(key, ip);
    const at = this.now();
    const ids = this.ids(key, ip).map(([id]) => id);
    for (const id of ids) this.attempts.set(id, [...this.recent(id), at]);
    if (this.attempts.size > 50_000) this.prune();
    let settled = false;
    const giveBack = (id: string) => {
      const list = this.attempts.get(id);
      const i = list?.lastIndexOf(at) ?? -1;
      if (i >= 0) list!.splice(i, 1);
      if (list && !list.length) this.attempts.delete(id);
    };
    return {
      succeed: () => {
        if (settled) return;
        settled = true;
        this.attempts.delete(`k:${key}`);
        if (ip) giveBack(`ip:${ip}`);
      },
      release: () => {
        if (settled) return;
        settled = true;
        for (const id of ids) giveBack(id);
      },
    };
  }

  /** Counts a failure after the fact. Prefer `reserve`: check-then-fail lets a parallel burst through. */
  fail(key: string, ip: string | undefined): void {
    const at = this.now();
    for (const [id] of this.ids(key, ip)) this.attempts.set(id, [...this.recent(id), at]);
    if (this.attempts.size > 50_000) this.prune();
  }

  /** A success forgets the key's failures (not the address's). */
  succeed(key: string): void {
    this.attempts.delete(`k:${key}`);
  }

  private prune(): void {
    for (const id of [...this.attempts.keys()]) this.recent(id);
    if (this.attempts.size > 50_000) this.attempts.clear();
  }
}
