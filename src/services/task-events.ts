// Task endings as events inside one process, so a waiting request answers the moment its task
// ends instead of on a polling tick. (Across processes, waiters also re-read the row now and then.)
import { EventEmitter } from 'node:events';
import { TERMINAL, type TaskRow, type TaskService } from './tasks.js';

const RECHECK_MS = 1000;

export class TaskEvents {
  private readonly bus = new EventEmitter();

  constructor() {
    this.bus.setMaxListeners(0);
  }

  /** Says that task `id` changed state (called after the change is committed). */
  changed(id: string): void {
    this.bus.emit(id);
  }

  /** The task once it has ended, or as it is when `seconds` have passed. */
  async waitFor(tasks: TaskService, task: TaskRow, seconds: number): Promise<TaskRow> {
    const deadline = Date.now() + seconds * 1000;
    let current = task;
    while (!TERMINAL.includes(current.status) && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.bus.off(task.id, done);
          resolve();
        };
        const timer = setTimeout(done, Math.min(RECHECK_MS, Math.max(0, deadline - Date.now())));
        this.bus.on(task.id, done);
      });
      current = (await tasks.get(task.id)) ?? current;
    }
    return current;
  }
}
