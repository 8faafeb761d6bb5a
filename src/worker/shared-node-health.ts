// Node health shared by every process in distributed mode: a breaker a worker opens (the node's
// upstream keeps failing) is opened on the gateways too, so they stop dispatching to it, and a
// breaker closed anywhere closes everywhere. Each change is kept in a Redis hash (read by a
// process at start and after a reconnect) and published for the processes already running.
// Only transitions travel; in-flight counts and totals stay per process.
import { Redis } from 'ioredis';
import { randomToken } from '../lib/ids.js';
import type { Logger } from '../lib/logger.js';
import type { BreakerChange, NodeRouter } from './router.js';

export class SharedNodeHealth {
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly origin = randomToken(12);
  private readonly hash: string;
  private readonly channel: string;

  constructor(
    redisUrl: string,
    prefix: string,
    private readonly router: NodeRouter,
    private readonly log: Logger,
  ) {
    this.hash = `${prefix}:node-health`;
    this.channel = `${prefix}:node-health`;
    this.pub = new Redis(redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, commandTimeout: 2000 });
    this.sub = new Redis(redisUrl);
    for (const conn of [this.pub, this.sub]) conn.on('error', (err) => this.log.debug?.({ err: err.message }, 'node health: Redis connection error'));
  }

  /** Loads the current states and follows changes; this process's own changes are published from now on. */
  async start(): Promise<void> {
    this.sub.on('message', (channel: string, message: string) => {
      if (channel !== this.channel) return;
      const parsed = parse(message);
      if (parsed && parsed.origin !== this.origin) this.router.adopt(parsed.change);
    });
    // After a reconnect, changes published meanwhile were missed: read them all again.
    this.sub.on('ready', () => void this.load());
    this.router.onBreakerChange((change) => void this.publish(change));
    // Neither waits for a Redis that is down: the subscription is made whenever it connects.
    // Changes published before the subscription took effect are read from the hash once it has.
    this.sub
      .subscribe(this.channel)
      .then(() => this.load())
      .catch((err: Error) => this.log.warn({ err: err.message }, 'node health: could not subscribe'));
    await this.waitForPub().then(() => this.load());
  }

  private waitForPub(): Promise<void> {
    if (this.pub.status === 'ready') return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(done, 2000);
      this.pub.once('ready', done);
    });
  }

  private async load(): Promise<void> {
    try {
      const all = await this.pub.hgetall(this.hash);
      for (const message of Object.values(all)) {
        const parsed = parse(message);
        if (parsed) this.router.adopt(parsed.change);
      }
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'node health: could not read the shared breaker states');
    }
  }

  private async publish(change: BreakerChange): Promise<void> {
    const message = JSON.stringify({ o: this.origin, c: change });
    try {
      await this.pub.multi().hset(this.hash, change.id, message).publish(this.channel, message).exec();
    } catch (err) {
      this.log.warn({ err: (err as Error).message, node: change.id }, 'node health: could not share a breaker change');
    }
  }

  async close(): Promise<void> {
    this.sub.disconnect();
    await this.pub.quit().catch(() => this.pub.disconnect());
  }
}

function parse(message: string): { origin: string; change: BreakerChange } | undefined {
  try {
    const { o, c } = JSON.parse(message) as { o: string; c: BreakerChange };
    if (typeof c?.id !== 'string' || (c.openedAt !== null && typeof c.openedAt !== 'number')) return undefined;
    return { origin: o, change: { id: c.id, openedAt: c.openedAt, consecutiveFailures: Number(c.consecutiveFailures) || 0, lastError: typeof c.lastError === 'string' ? c.lastError : null } };
  } catch {
    return undefined;
  }
}
