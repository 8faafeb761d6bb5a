import type { TaskRow } from '../services/tasks.js';

/** The node of the built-in engines (`aio-poster` and the other aio-* models). */
export const LOCAL_NODE = 'local';

/**
 * The lane of test-mode tasks: the same local engines, but its own queue and concurrency, so free
 * test traffic never delays paid work on `local`. Workers that serve `local` serve it too.
 */
export const LOCAL_TEST_NODE = 'local-test';

export interface Metrics {
  taskFinished(task: TaskRow, status: 'succeeded' | 'failed', node: string, ms: number): void;
  upstreamError(node: string, code: string): void;
}
