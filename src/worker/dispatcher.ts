// Hands tasks to node queues, and at start picks up what an earlier process left behind.
import type { Settings } from '../config/settings.js';
import type { TaskQueue } from '../queue/types.js';
import type { Catalog } from '../services/catalog.js';
import type { TaskRow, TaskService } from '../services/tasks.js';
import type { NodeRouter } from './router.js';
import type { Logger } from '../lib/logger.js';
import { LOCAL_NODE, LOCAL_TEST_NODE } from './shared.js';

export class Dispatcher {
  constructor(
    private readonly deps: { settings: Settings; catalog: Catalog; tasks: TaskService; queue: TaskQueue; router: NodeRouter; log: Logger },
  ) {}

  /** Test-mode tasks always go to the local engines' test lane; live ones to the best node now. */
  async dispatch(task: Pick<TaskRow, 'id' | 'model' | 'livemode' | 'attempts'>): Promise<string> {
    const node = task.livemode ? this.deps.router.pick(task.model)?.id ?? this.fallbackNode(task.model) : LOCAL_TEST_NODE;
    try {
      await this.deps.queue.enqueue({ taskId: task.id, node, attempt: task.attempts });
    } catch (err) {
      this.deps.log.error({ err, task_id: task.id, node }, 'the task queue did not take a task');
      throw err;
    }
    return node;
  }

  /** Every breaker is open: queue on the first configured node anyway; it will retry or fail. */
  private fallbackNode(model: string): string {
    return this.deps.catalog.usableNodesFor(model)[0]?.id ?? LOCAL_NODE;
  }

  /**
   * Queues again every task that is queued, and recovers tasks left running by a worker that
   * died: retried while attempts remain, otherwise failed and refunded. `allRunning` is for the
   * embedded mode, where no other process can be running them.
   */
  async recover(allRunning: boolean, queuedBefore?: string): Promise<{ requeued: number; failed: number }> {
    const { tasks, settings, log } = this.deps;
    let requeued = 0;
    let failed = 0;
    for (const task of await tasks.unfinished({ includeAllRunning: allRunning, queuedBefore })) {
      if (task.status === 'running') {
        if (task.attempts >= settings.maxAttempts) {
          if (await tasks.fail(task.id, { code: 'worker_lost', message: 'The worker running this task stopped and no attempts were left. The credits were returned.' })) failed++;
          continue;
        }
        if (!(await tasks.requeue(task.id))) continue;
      }
      await this.dispatch(task);
      requeued++;
    }
    if (requeued || failed) log.info({ requeued, failed }, 'recovered unfinished tasks');
    return { requeued, failed };
  }
}
