// Limits and throttles shared by every gateway through Redis (as @fastify/rate-limit's Redis
// store does): each decision is one Lua script, so it is atomic across processes, and uses
// Redis's clock, so gateways with skewed clocks agree. Keys expire on their own.
//
// Redis being down must neither open the gates nor close them: a call that fails (the connection
// queues nothing and times out quickly) is answered by this process's own memory store instead,
// as in embedded mode, and the outage is logged once.
import { Redis } from 'ioredis';
import type { Logger } from '../lib/logger.js';
import { type AttemptStore, type LimitStores, MemoryAttempts, MemoryTokenBuckets, type TokenBucketStore } from './limit-stores.js';

const NOW_MS = `local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/**
 * KEYS[1] bucket; ARGV capacity, tokens per ms, cost, and '1' to take it whatever is left.
 * Answers 0 or the ms to wait (as MemoryTokenBuckets).
 */
const TAKE = `${NOW_MS}
local cap = tonumber(ARGV[1]) local rate = tonumber(ARGV[2]) local cost = tonumber(ARGV[3])
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(b[1]) or cap
local at = tonumber(b[2]) or now
tokens = math.min(cap, tokens + math.max(0, now - at) * rate)
local need = math.min(cost, cap)
local wait = 0
if ARGV[4] ~= '1' and tokens < need then wait = math.ceil((need - tokens) / rate) else tokens = tokens - cost end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((cap - tokens) / rate) + 1000)
return wait`;

/** KEYS ids (sorted sets of attempts scored by time); ARGV window ms, member ('' = check only), then each key's limit. */
const RESERVE = `${NOW_MS}
local window = tonumber(ARGV[1])
local wait = 0
for i, key in ipairs(KEYS) do
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local limit = tonumber(ARGV[2 + i])
  local n = redis.call('ZCARD', key)
  if n >= limit then
    local oldest = redis.call('ZRANGE', key, n - limit, n - limit, 'WITHSCORES')
    wait = math.max(wait, tonumber(oldest[2]) + window - now)
  end
end
if wait > 0 or ARGV[2] == '' then return wait end
for _, key in ipairs(KEYS) do
  redis.call('ZADD', key, now, ARGV[2])
  redis.call('PEXPIRE', key, window)
end
return 0`;

/** KEYS ids; ARGV window ms, member. */
const ADD = `${NOW_MS}
for _, key in ipairs(KEYS) do
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - tonumber(ARGV[1]))
  redis.call('ZADD', key, now, ARGV[2])
  redis.call('PEXPIRE', key, tonumber(ARGV[1]))
end
return 0`;

type Scripted = Redis & {
  aioTake(key: string, capacity: number, perMs: number, cost: number, force: '0' | '1'): Promise<number>;
  aioReserve(numKeys: number, ...args: Array<string | number>): Promise<number>;
  aioAdd(numKeys: number, ...args: Array<string | number>): Promise<number>;
};

/** Answers with the memory store while Redis fails, saying so once per outage. */
class Fallback {
  private down = false;

  constructor(private readonly log: Logger) {}

  async run<T>(shared: () => Promise<T>, local: () => Promise<T>): Promise<T> {
    try {
      const value = await shared();
      if (this.down) this.log.info('shared limits: Redis is back');
      this.down = false;
      return value;
    } catch (err) {
      if (!this.down) this.log.warn({ err: (err as Error).message }, 'shared limits: Redis failed; counting in this process until it is back');
      this.down = true;
      return local();
    }
  }
}

class RedisTokenBuckets implements TokenBucketStore {
  private readonly local = new MemoryTokenBuckets();

  constructor(
    private readonly redis: Scripted,
    private readonly prefix: string,
    private readonly fallback: Fallback,
  ) {}

  take(id: string, capacity: number, perMs: number, cost = 1): Promise<number> {
    return this.fallback.run(
      async () => Number(await this.redis.aioTake(`${this.prefix}:${id}`, capacity, perMs, cost, '0')),
      () => this.local.take(id, capacity, perMs, cost),
    );
  }

  spend(id: string, capacity: number, perMs: number, cost: number): Promise<void> {
    return this.fallback.run(
      async () => void (await this.redis.aioTake(`${this.prefix}:${id}`, capacity, perMs, cost, '1')),
      () => this.local.spend(id, capacity, perMs, cost),
    );
  }
}

class RedisAttempts implements AttemptStore {
  private readonly local = new MemoryAttempts();

  constructor(
    private readonly redis: Scripted,
    private readonly prefix: string,
    private readonly fallback: Fallback,
  ) {}

  private key = (id: string) => `${this.prefix}:${id}`;

  reserve(ids: Array<[string, number]>, windowMs: number, member: string): Promise<number> {
    return this.fallback.run(
      async () => Number(await this.redis.aioReserve(ids.length, ...ids.map(([id]) => this.key(id)), windowMs, member, ...ids.map(([, limit]) => limit))),
      () => this.local.reserve(ids, windowMs, member),
    );
  }

  async add(ids: string[], windowMs: number, member: string): Promise<void> {
    await this.fallback.run(
      async () => void (await this.redis.aioAdd(ids.length, ...ids.map(this.key), windowMs, member)),
      () => this.local.add(ids, windowMs, member),
    );
  }

  async remove(id: string, member: string): Promise<void> {
    await this.local.remove(id, member);
    await this.redis.zrem(this.key(id), member).catch(() => undefined);
  }

  async clear(id: string): Promise<void> {
    await this.local.clear(id);
    await this.redis.del(this.key(id)).catch(() => undefined);
  }
}

/**
 * Limit stores in Redis under `prefix` (e.g. `aio:limits`). The connection queues no command
 * while disconnected and gives up on one after `timeoutMs`, so an outage costs a request at most that.
 */
export function redisLimitStores(redisUrl: string, prefix: string, log: Logger, timeoutMs = 1000): LimitStores {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, commandTimeout: timeoutMs, connectTimeout: timeoutMs }) as Scripted;
  redis.on('error', () => undefined); // reported by Fallback when a call fails
  redis.defineCommand('aioTake', { numberOfKeys: 1, lua: TAKE });
  redis.defineCommand('aioReserve', { lua: RESERVE });
  redis.defineCommand('aioAdd', { lua: ADD });
  const fallback = new Fallback(log);
  const throttles = new Map<string, RedisAttempts>();
  return {
    buckets: new RedisTokenBuckets(redis, `${prefix}:rate`, fallback),
    attempts: (name) => {
      let store = throttles.get(name);
      if (!store) throttles.set(name, (store = new RedisAttempts(redis, `${prefix}:throttle:${name}`, fallback)));
      return store;
    },
    ready: () =>
      new Promise<void>((resolve) => {
        if (redis.status === 'ready') return resolve();
        const timer = setTimeout(done, timeoutMs);
        function done() {
          clearTimeout(timer);
          redis.off('ready', done);
          resolve();
        }
        redis.once('ready', done);
      }),
    close: async () => {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
