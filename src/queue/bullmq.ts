// The distributed queue: one BullMQ queue per node in Redis. Gateways add jobs; `aio worker`
// processes, on any machine, take them. A killed worker's job is found by BullMQ's stalled-job
// check and handed to another worker; the task's lease and state transitions make the rerun safe.
//
// Adding a job fails fast when Redis is down or paused: the producer connection queues no
// commands while disconnected and gives up on one after `enqueueTimeoutMs`, so a gateway answers
// 503 instead of holding the request (and the task's credits) forever.
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { QueueUnavailable, type JobHandler, type TaskJob, type TaskQueue } from './types.js';

export class BullMqQueue implements TaskQueue {
  /** Workers' connection: BullMQ's blocking reads need it to retry for ever. */
  private readonly connection: Redis;
  /** Producers' connection: fails commands at once while disconnected, and after a timeout when Redis does not answer. */
  private readonly producer: Redis;
  private readonly queues = new Map<string, Queue>();
  private readonly workers = new Map<string, Worker>();
  private handler?: JobHandler;
  private readonly timeoutMs: number;

  constructor(
    redisUrl: string,
    private readonly opts: { prefix?: string; lockMs: number; enqueueTimeoutMs?: number },
  ) {
    this.timeoutMs = opts.enqueueTimeoutMs ?? 5000;
    this.connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
    this.producer = new Redis(redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, commandTimeout: this.timeoutMs, connectTimeout: this.timeoutMs });
    // Outages show up as failed enqueues and an unready /readyz; ioredis reconnects by itself.
    for (const conn of [this.connection, this.producer]) conn.on('error', () => undefined);
  }

  private queue(node: string): Queue {
    let queue = this.queues.get(node);
    if (!queue) {
      queue = new Queue(`node-${node}`, { connection: this.producer, prefix: this.opts.prefix ?? 'aio' });
      queue.on('error', () => undefined);
      this.queues.set(node, queue);
    }
    return queue;
  }

  async enqueue(job: TaskJob, opts: { delayMs?: number } = {}): Promise<void> {
    const queue = this.queue(job.node);
    // One job per task attempt: adding the same attempt twice (a sweep, a retry) is a no-op.
    const added = queue.add('run', job, {
      jobId: `${job.taskId}-${job.attempt ?? 0}`,
      delay: opts.delayMs,
      removeOnComplete: true,
      removeOnFail: 1000,
    });
    try {
      await withTimeout(added, this.timeoutMs, `adding task ${job.taskId} to queue node-${job.node}`);
    } catch (err) {
      // A queue whose start-up failed stays failed: the next enqueue builds a fresh one.
      if (this.queues.get(job.node) === queue) {
        this.queues.delete(job.node);
        void queue.close().catch(() => undefined);
      }
      throw err instanceof QueueUnavailable ? err : new QueueUnavailable(`Redis refused a job for node ${job.node}: ${(err as Error).message}`);
    }
  }

  async consume(nodes: Array<{ id: string; concurrency: number }>, handler: JobHandler): Promise<void> {
    this.handler = handler;
    await this.addLanes(nodes);
  }

  async addLanes(nodes: Array<{ id: string; concurrency: number }>): Promise<void> {
    const handler = this.handler;
    if (!handler) throw new Error('addLanes before consume');
    for (const node of nodes) {
      const running = this.workers.get(node.id);
      if (running) {
        running.concurrency = node.concurrency;
        continue;
      }
      const worker = new Worker<TaskJob>(`node-${node.id}`, (job) => handler(job.data), {
        connection: this.connection,
        prefix: this.opts.prefix ?? 'aio',
        concurrency: node.concurrency,
        lockDuration: this.opts.lockMs,
        stalledInterval: Math.max(1000, Math.floor(this.opts.lockMs / 2)),
        maxStalledCount: 5,
      });
      worker.on('error', () => undefined); // connection blips are retried by ioredis
      this.workers.set(node.id, worker);
    }
  }

  async depth(): Promise<Record<string, number>> {
    const entries = await Promise.all(
      [...this.queues].map(async ([id, q]) => [id, await withTimeout(q.getJobCountByTypes('waiting', 'delayed', 'prioritized'), this.timeoutMs, 'counting jobs')] as const),
    );
    return Object.fromEntries(entries);
  }

  async ping(): Promise<void> {
    await withTimeout(this.producer.ping(), this.timeoutMs, 'PING');
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.workers.values()].map((w) => w.close()));
    await Promise.allSettled([...this.queues.values()].map((q) => q.close()));
    this.connection.disconnect();
    this.producer.disconnect();
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new QueueUnavailable(`Redis did not answer ${what} within ${ms} ms`)), ms);
  });
  promise.catch(() => undefined); // it may still fail after the timeout
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
