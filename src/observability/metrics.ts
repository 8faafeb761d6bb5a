// Prometheus metrics (`GET /metrics`): requests, task durations by type, model and node, queue depth,
// upstream errors by class, credits charged.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { toCredits } from '../lib/credits.js';
import type { TaskQueue } from '../queue/types.js';
import type { TaskRow } from '../services/tasks.js';
import type { Metrics } from '../worker/shared.js';

export class PlatformMetrics implements Metrics {
  readonly registry = new Registry();
  readonly httpRequests = new Counter({ name: 'aio_http_requests_total', help: 'HTTP requests by method, route and status', labelNames: ['method', 'route', 'status'], registers: [this.registry] });
  readonly httpDuration = new Histogram({
    name: 'aio_http_request_duration_seconds',
    help: 'HTTP request duration',
    labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly taskDuration = new Histogram({
    name: 'aio_task_duration_seconds',
    help: 'Task run time from start of the attempt to the end, by type, model, node and outcome',
    labelNames: ['type', 'model', 'node', 'status'],
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 40, 60, 120],
    registers: [this.registry],
  });
  readonly upstreamErrors = new Counter({ name: 'aio_upstream_errors_total', help: 'Upstream errors by node and class', labelNames: ['node', 'code'], registers: [this.registry] });
  readonly creditsCharged = new Counter({ name: 'aio_credits_charged_total', help: 'Credits captured for successful live tasks', labelNames: ['type', 'model'], registers: [this.registry] });

  constructor(queue: TaskQueue) {
    collectDefaultMetrics({ register: this.registry, prefix: 'aio_process_' });
    new Gauge({
      name: 'aio_queue_depth',
      help: 'Tasks waiting per node queue',
      labelNames: ['node'],
      registers: [this.registry],
      async collect() {
        for (const [node, depth] of Object.entries(await queue.depth())) this.set({ node }, depth);
      },
    });
  }

  /** `task` as it ended (its `charged_micro` is what was captured). */
  taskFinished(task: TaskRow, status: 'succeeded' | 'failed', node: string, ms: number): void {
    this.taskDuration.observe({ type: task.type, model: task.model, node, status }, ms / 1000);
    if (status === 'succeeded' && task.charged_micro > 0) this.creditsCharged.inc({ type: task.type, model: task.model }, toCredits(task.charged_micro));
  }

  upstreamError(node: string, code: string): void {
    this.upstreamErrors.inc({ node, code });
  }
}
