// Where request limits and login throttles keep their counts. In one process (embedded mode)
// memory is enough; with REDIS_URL every gateway shares the counts through Redis
// (redis-limit-stores.ts), so N gateways allow the limit, not N times it. Both answer the same way.

/** A token bucket per id: `capacity` tokens, refilled at `perMs` tokens a millisecond. */
export interface TokenBucketStore {
  /**
   * Takes `cost` tokens (1 by default); answers 0, or the milliseconds until there are enough
   * (nothing taken). A full bucket lets anything through: a cost above the capacity takes it
   * below zero, and the next takers wait until it has refilled.
   */
  take(id: string, capacity: number, perMs: number, cost?: number): Promise<number>;
  /** Takes `cost` tokens whatever is left (what a request turned out to use); may go below zero. */
  spend(id: string, capacity: number, perMs: number, cost: number): Promise<void>;
}

/** Attempts in a sliding window per id (a login throttle's failures). */
export interface AttemptStore {
  /**
   * Adds attempt `member` to every id when each has fewer than its limit in the last `windowMs`;
   * otherwise adds nothing and answers the milliseconds until there is room. An empty `member`
   * only checks. Atomic: parallel callers cannot all pass.
   */
  reserve(ids: Array<[id: string, limit: number]>, windowMs: number, member: string): Promise<number>;
  /** Adds attempt `member` to every id, limit or not. */
  add(ids: string[], windowMs: number, member: string): Promise<void>;
  /** Takes attempt `member` back from `id`. */
  remove(id: string, member: string): Promise<void>;
  /** Forgets every attempt of `id`. */
  clear(id: string): Promise<void>;
}

export interface LimitStores {
  buckets: TokenBucketStore;
  /** The attempt store of one throttle (`login`, `signup`, `redeem`, ...), its ids apart from the others'. */
  attempts(name: string): AttemptStore;
  /** Resolves once the store can answer (or it gave up waiting: it then answers from memory). */
  ready?(): Promise<void>;
  close(): Promise<void>;
}

const MAX_IDS = 100_000;

export class MemoryTokenBuckets implements TokenBucketStore {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  private refilled(id: string, capacity: number, perMs: number): { tokens: number; at: number } {
    const now = this.now();
    const bucket = this.buckets.get(id) ?? { tokens: capacity, at: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + (now - bucket.at) * perMs);
    bucket.at = now;
    this.buckets.set(id, bucket);
    if (this.buckets.size > MAX_IDS) this.buckets.clear();
    return bucket;
  }

  async take(id: string, capacity: number, perMs: number, cost = 1): Promise<number> {
    const bucket = this.refilled(id, capacity, perMs);
    const need = Math.min(cost, capacity);
    if (bucket.tokens < need) return Math.ceil((need - bucket.tokens) / perMs);
    bucket.tokens -= cost;
    return 0;
  }

  async spend(id: string, capacity: number, perMs: number, cost: number): Promise<void> {
    this.refilled(id, capacity, perMs).tokens -= cost;
  }
}

export class MemoryAttempts implements AttemptStore {
  /** Per id, its attempts oldest first. */
  private readonly attempts = new Map<string, Array<{ at: number; member: string }>>();

  constructor(private readonly now: () => number = Date.now) {}

  private recent(id: string, windowMs: number): Array<{ at: number; member: string }> {
    const since = this.now() - windowMs;
    const list = (this.attempts.get(id) ?? []).filter((a) => a.at > since);
    if (list.length) this.attempts.set(id, list);
    else this.attempts.delete(id);
    return list;
  }

  // No await inside: the check and the add happen in one turn of the event loop.
  async reserve(ids: Array<[string, number]>, windowMs: number, member: string): Promise<number> {
    let wait = 0;
    for (const [id, limit] of ids) {
      const list = this.recent(id, windowMs);
      if (list.length >= limit) wait = Math.max(wait, list[list.length - limit]!.at + windowMs - this.now());
    }
    if (wait > 0 || !member) return wait;
    this.push(ids.map(([id]) => id), member, windowMs);
    return 0;
  }

  async add(ids: string[], windowMs: number, member: string): Promise<void> {
    for (const id of ids) this.recent(id, windowMs);
    this.push(ids, member, windowMs);
  }

  private push(ids: string[], member: string, windowMs: number): void {
    const at = this.now();
    for (const id of ids) this.attempts.set(id, [...(this.attempts.get(id) ?? []), { at, member }]);
    if (this.attempts.size <= MAX_IDS / 2) return;
    for (const id of [...this.attempts.keys()]) this.recent(id, windowMs);
    if (this.attempts.size > MAX_IDS / 2) this.attempts.clear();
  }

  async remove(id: string, member: string): Promise<void> {
    const list = this.attempts.get(id)?.filter((a) => a.member !== member);
    if (list?.length) this.attempts.set(id, list);
    else this.attempts.delete(id);
  }

  async clear(id: string): Promise<void> {
    this.attempts.delete(id);
  }
}

export function memoryLimitStores(): LimitStores {
  const throttles = new Map<string, MemoryAttempts>();
  return {
    buckets: new MemoryTokenBuckets(),
    attempts: (name) => {
      let store = throttles.get(name);
      if (!store) throttles.set(name, (store = new MemoryAttempts()));
      return store;
    },
    close: async () => undefined,
  };
}
