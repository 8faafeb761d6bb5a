import type { TaskRow } from '../services/tasks.js';

/** The node that runs test-mode tasks (and `aio-poster`): the local renderer in-process. */
export const LOCAL_NODE = 'local';

export interface Metrics {
  taskFinished(task: TaskRow, status: 'succeeded' | 'failed', node: string, ms: number): void;
  upstreamError(node: string, code: string): void;
}
