import type { JobHandler, TaskJob, TaskQueue } from './types.js';

interface Lane {
  waiting: TaskJob[];
  active: number;
  concurrency: number;
}

/** The embedded queue: per-node FIFO lanes in this process. */
export class InProcessQueue implements TaskQueue {
  private readonly lanes = new Map<string, Lane>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  private handler?: JobHandler;
  private closed = false;

  async enqueue(job: TaskJob, opts: { delayMs?: number } = {}): Promise<void> {
    if (this.closed) return;
    if (opts.delayMs && opts.delayMs > 0) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.push(job);
      }, opts.delayMs);
      this.timers.add(timer);
      return;
    }
    this.push(job);
  }

  async consume(nodes: Array<{ id: string; concurrency: number }>, handler: JobHandler): Promise<void> {
    this.handler = handler;
    for (const node of nodes) this.lane(node.id).concurrency = node.concurrency;
    for (const id of this.lanes.keys()) this.drain(id);
  }

  async addLanes(nodes: Array<{ id: string; concurrency: number }>): Promise<void> {
    for (const node of nodes) {
      this.lane(node.id).concurrency = node.concurrency;
      this.drain(node.id);
    }
  }

  async depth(): Promise<Record<string, number>> {
    return Object.fromEntries([...this.lanes].map(([id, lane]) => [id, lane.waiting.length]));
  }

  async ping(): Promise<void> {
    // In this process: reachable while it runs.
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.running]);
  }

  private lane(id: string): Lane {
    let lane = this.lanes.get(id);
    if (!lane) this.lanes.set(id, (lane = { waiting: [], active: 0, concurrency: 1 }));
    return lane;
  }

  private push(job: TaskJob): void {
    this.lane(job.node).waiting.push(job);
    this.drain(job.node);
  }

  private drain(id: string): void {
    const lane = this.lane(id);
    while (this.handler && !this.closed && lane.active < lane.concurrency && lane.waiting.length) {
      const job = lane.waiting.shift()!;
      lane.active++;
      const run = this.handler(job)
        .catch(() => undefined) // the handler records its own failures on the task
        .finally(() => {
          lane.active--;
          this.running.delete(run);
          this.drain(id);
        });
      this.running.add(run);
    }
  }
}
