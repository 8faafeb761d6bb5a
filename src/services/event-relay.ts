// Carries "task X changed" notices between processes over Redis pub/sub (distributed mode), so
// a gateway learns the moment any worker finishes a task. A notice is only a hint to re-read:
// the database holds the truth, and a lost notice costs a listener at most its slow re-check.
import { Redis } from 'ioredis';
import type { TaskEventType } from '../db/schema.js';
import { randomToken } from '../lib/ids.js';
import type { Logger } from '../lib/logger.js';

export interface TaskNotice {
  taskId: string;
  type?: TaskEventType;
}

export class RedisEventRelay {
  private readonly pub: Redis;
  private readonly sub: Redis;
  /** Marks this process's own notices, which it has already delivered locally. */
  private readonly origin = randomToken(12);

  constructor(
    redisUrl: string,
    private readonly channel: string,
    private readonly log: Logger,
  ) {
    this.pub = new Redis(redisUrl);
    this.sub = new Redis(redisUrl);
    for (const conn of [this.pub, this.sub]) conn.on('error', (err) => this.log.warn({ err: err.message }, 'task event relay: Redis connection error'));
  }

  /** Starts receiving the other processes' notices. */
  async start(onNotice: (notice: TaskNotice) => void): Promise<void> {
    this.sub.on('message', (channel: string, message: string) => {
      if (channel !== this.channel) return;
      try {
        const { o, t, k } = JSON.parse(message) as { o: string; t: string; k?: TaskEventType };
        if (o !== this.origin && typeof t === 'string') onNotice({ taskId: t, type: k });
      } catch {
        /* not ours */
      }
    });
    await this.sub.subscribe(this.channel);
  }

  publish(notice: TaskNotice): void {
    const message = JSON.stringify({ o: this.origin, t: notice.taskId, ...(notice.type ? { k: notice.type } : {}) });
    this.pub.publish(this.channel, message).catch((err: Error) => this.log.warn({ err: err.message, task_id: notice.taskId }, 'task event relay: publish failed'));
  }

  async close(): Promise<void> {
    this.sub.disconnect();
    await this.pub.quit().catch(() => this.pub.disconnect());
  }
}
