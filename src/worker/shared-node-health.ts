// Node health shared by every process in distributed mode: a breaker a worker opens (the node's
// upstream keeps failing) is opened on the gateways too, so they stop dispatching to it, and a
// breaker closed anywhere closes everywhere. Each change is kept in a Redis hash (read by a
// process at start and after a reconnect) and published for the processes already running.
// Only transitions travel; in-flight counts and totals stay per process.
//
// Each change carries a number from one Redis counter, and a process takes over a node's change
// only when its number is higher than the last it took: a read of the hash sent before a change
// can be answered after that change's message arrived (two connections, no order between them),
// and would otherwise put a closed breaker back to open.
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
  private readonly counter: string;
  /** Per node, the number of the last change taken over or made here. */
  private readonly seen = new Map<string, number>();

  constructor(
    redisUrl: string,
    prefix: string,
    private readonly router: NodeRouter,
    private readonly log: Logger,
  ) {
    this.hash = `${prefix}:node-health`;
    this.channel = `${prefix}:node-health`;
    this.counter = `${prefix}:node-health:seq`;
    this.pub = new Redis(redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, commandTimeout: 2000 });
    this.sub = new Redis(redisUrl);
    for (const conn of [this.pub, this.sub]) conn.on('error', (err) => this.log.debug?.({ err: err.message }, 'node health: Redis connection error'));
  }

  /** Loads the current states and follows changes; this process's own changes are published from now on. */
  async start(): Promise<void> {
    this.sub.on('message', (channel: string, message: string) => {
      if (channel !== this.channel) return;
      const parsed = parse(message);
      if (parsed && parsed.origin !== this.origin) this.take(parsed);
    });
    // After a reconnect, changes published meanwhile were missed: read them all again.
    this.sub.on('ready', () => void this.refresh());
    this.router.onBreakerChange((change) => void this.publish(change));
    // Neither waits for a Redis that is down: the subscription is made whenever it connects.
    // Changes published before the subscription took effect are read from the hash once it has.
    this.sub
      .subscribe(this.channel)
      .then(() => this.refresh())
      .catch((err: Error) => this.log.warn({ err: err.message }, 'node health: could not subscribe'));
    await this.waitForPub().then(() => this.refresh());
  }

  /** Takes over a change unless a later one of that node was taken already (messages of older versions carry no number). */
  private take(parsed: { seq: number | null; change: BreakerChange }): void {
    if (parsed.seq !== null) {
      if (parsed.seq <= (this.seen.get(parsed.change.id) ?? 0)) return;
      this.seen.set(parsed.change.id, parsed.seq);
    }
    this.router.adopt(parsed.change);
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

  /** Reads every node's last change from the hash (at start and after a reconnect). */
  async refresh(): Promise<void> {
    try {
      const all = await this.pub.hgetall(this.hash);
      for (const message of Object.values(all)) {
        const parsed = parse(message);
        if (parsed) this.take(parsed);
      }
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'node health: could not read the shared breaker states');
    }
  }

  private async publish(change: BreakerChange): Promise<void> {
    try {
      const seq = await this.pub.incr(this.counter);
      this.seen.set(change.id, Math.max(seq, this.seen.get(change.id) ?? 0));
      const message = JSON.stringify({ o: this.origin, s: seq, c: change });
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

function parse(message: string): { origin: string; seq: number | null; change: BreakerChange } | undefined {
  try {
    const { o, s, c } = JSON.parse(message) as { o: string; s?: unknown; c: BreakerChange };
    if (typeof c?.id !== 'string' || (c.openedAt !== null && typeof c.openedAt !== 'number')) return undefined;
    return { origin: o, seq: Number.isSafeInteger(s) ? (s as number) : null, change: { id: c.id, openedAt: c.openedAt, consecutiveFailures: Number(c.consecutiveFailures) || 0, lastError: typeof c.lastError === 'string' ? c.lastError : null } };
  } catch {
    return undefined;
  }
}
