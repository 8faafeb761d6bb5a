// The distributed queue: one BullMQ queue per node in Redis. Gateways add jobs; `aio worker`
// processes, on any machine, take them. A killed worker's job is found by BullMQ's stalled-job
// check and handed to another worker; the task's lease and state transitions make the rerun safe.
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { JobHandler, TaskJob, TaskQueue } from './types.js';

export class BullMqQueue implements TaskQueue {
  private readonly connection: Redis;
  private readonly queues = new Map<string, Queue>();
  private readonly workers: Worker[] = [];

  constructor(
    redisUrl: string,
    private readonly opts: { prefix?: string; lockMs: number },
  ) {
    this.connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  }

  private queue(node: string): Queue {
    let queue = this.queues.get(node);
    if (!queue) {
      queue = new Queue(`node-${node}`, { connection: this.connection, prefix: this.opts.prefix ?? 'aio' });
      this.queues.set(node, queue);
    }
    return queue;
  }

  async enqueue(job: TaskJob, opts: { delayMs?: number } = {}): Promise<void> {
    // One job per task attempt: adding the same attempt twice (a sweep, a retry) is a no-op.
    await this.queue(job.node).add('run', job, {
      jobId: `${job.taskId}-${job.attempt ?? 0}`,
      delay: opts.delayMs,
      removeOnComplete: true,
      removeOnFail: 1000,
    });
  }

  async consume(nodes: Array<{ id: string; concurrency: number }>, handler: JobHandler): Promise<void> {
    for (const node of nodes) {
      const worker = new Worker<TaskJob>(`node-${node.id}`, (job) => handler(job.data), {
        connection: this.connection,
        prefix: this.opts.prefix ?? 'aio',
        concurrency: node.concurrency,
        lockDuration: this.opts.lockMs,
        stalledInterval: Math.max(1000, Math.floor(this.opts.lockMs / 2)),
        maxStalledCount: 5,
      });
      worker.on('error', () => undefined); // connection blips are retried by ioredis
      this.workers.push(worker);
    }
  }

  async depth(): Promise<Record<string, number>> {
    const entries = await Promise.all([...this.queues].map(async ([id, q]) => [id, await q.getJobCountByTypes('waiting', 'delayed', 'prioritized')] as const));
    return Object.fromEntries(entries);
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.workers.map((w) => w.close()));
    await Promise.allSettled([...this.queues.values()].map((q) => q.close()));
    this.connection.disconnect();
  }
}
