/** One unit of work: run task `taskId` on worker node `node`. */
export interface TaskJob {
  taskId: string;
  node: string;
  /** The task's attempt count when queued: one job per attempt. */
  attempt?: number;
}

/** The queue could not take a job in time (e.g. Redis down or paused): nothing was queued, or it may land late. */
export class QueueUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueueUnavailable';
  }
}

export type JobHandler = (job: TaskJob) => Promise<void>;

/**
 * Carries tasks from the gateway to the workers of a node. Two implementations: in-process
 * (embedded mode) and BullMQ (distributed mode, `REDIS_URL`). Delivery is at least once; the
 * task's state transitions make running a job twice harmless.
 */
export interface TaskQueue {
  enqueue(job: TaskJob, opts?: { delayMs?: number }): Promise<void>;
  /** Starts running jobs of these nodes with at most `concurrency` at once per node. */
  consume(nodes: Array<{ id: string; concurrency: number }>, handler: JobHandler): Promise<void>;
  /**
   * After `consume`: starts more lanes, or changes a running lane's concurrency, with the same
   * handler (nodes connected or changed on the admin pages while the process runs).
   */
  addLanes(nodes: Array<{ id: string; concurrency: number }>): Promise<void>;
  /** Jobs waiting (not yet running) per node. */
  depth(): Promise<Record<string, number>>;
  /** Resolves when the queue can take jobs now; throws (soon) when it cannot, e.g. Redis is down. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
