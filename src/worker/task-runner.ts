// Runs one task on one node: claim it, call the node's provider, convert and store the images,
// then finish it (capture) or fail it (release). Retryable upstream faults go back on the queue
// with back-off, to another node when there is one, until the attempts run out.
import type { Settings } from '../config/settings.js';
import { normalizeImage } from '../images/normalize.js';
import { randomToken } from '../lib/ids.js';
import { UpstreamError } from '../providers/errors.js';
import { getProvider } from '../providers/registry.js';
import type { GenerateInput, ProviderContext } from '../providers/types.js';
import type { TaskJob, TaskQueue } from '../queue/types.js';
import type { Catalog } from '../services/catalog.js';
import type { ImageTaskInput } from '../services/generation-request.js';
import type { StoredImage, TaskRow, TaskService } from '../services/tasks.js';
import type { Storage } from '../storage/types.js';
import { CONTENT_TYPES } from '../storage/types.js';
import type { NodeRouter } from './router.js';
import type { Logger, Metrics } from './shared.js';

export interface RunnerDeps {
  settings: Settings;
  catalog: Catalog;
  tasks: TaskService;
  storage: Storage;
  queue: TaskQueue;
  router: NodeRouter;
  log: Logger;
  metrics?: Metrics;
}

export class TaskRunner {
  private readonly aborts = new AbortController();

  constructor(private readonly deps: RunnerDeps) {}

  /** Aborts upstream calls in flight (shutdown); their tasks are picked up again later. */
  stop(): void {
    this.aborts.abort();
  }

  async run(job: TaskJob): Promise<void> {
    const { tasks, catalog, router } = this.deps;
    const leaseMs = this.deps.settings.leaseMs;
    const task = await tasks.claim(job.taskId, job.node, leaseMs);
    if (!task) return; // finished, canceled, or another worker has it
    const log = this.deps.log.child({ task_id: task.id, node: job.node, request_id: task.request_id, attempt: task.attempts });
    const model = catalog.model(task.model);
    const node = task.livemode ? catalog.node(job.node) : undefined;
    if (!model || (task.livemode && !node)) {
      await tasks.fail(task.id, { code: 'model_unavailable', message: `Node '${job.node}' no longer serves '${task.model}'.` });
      return;
    }
    const providerId = node?.provider ?? 'local';
    const input = JSON.parse(task.input) as ImageTaskInput;
    const [width, height] = model.params.size.values[input.size]!;
    const started = Date.now();
    const lease = setInterval(() => void tasks.extendLease(task.id, leaseMs).catch(() => undefined), leaseMs / 3);
    router.started(job.node);
    log.info({ model: task.model, provider: providerId }, 'task started');
    try {
      const ctx: ProviderContext = {
        signal: this.aborts.signal,
        credentials: node?.credentials ?? {},
        timeoutMs: this.deps.settings.upstreamTimeoutMs,
        log,
      };
      const generateInput: GenerateInput = {
        taskId: task.id,
        model: model.id,
        upstreamModel: model.upstream_model,
        prompt: input.prompt,
        size: input.size,
        width,
        height,
        renderingSpeed: input.rendering_speed,
        outputFormat: input.output_format,
        seed: input.seed,
        negativePrompt: input.negative_prompt,
      };
      const generated = await getProvider(providerId).generate(generateInput, ctx);
      const images: StoredImage[] = [];
      for (const image of generated) {
        const out = await normalizeImage(image.data, { width, height, format: input.output_format });
        const name = `img_${randomToken(24)}.${out.format}`;
        await this.deps.storage.put(name, out.data, CONTENT_TYPES[out.format]!);
        images.push({ path: `/files/${name}`, width: out.width, height: out.height, format: out.format, bytes: out.data.length, ...(image.seed !== undefined ? { seed: image.seed } : {}) });
      }
      const done = await tasks.succeed(task.id, { images });
      router.succeeded(job.node);
      this.deps.metrics?.taskFinished(task, 'succeeded', job.node, Date.now() - started);
      log.info({ images: images.length, ms: Date.now() - started, recorded: done }, 'task succeeded');
    } catch (err) {
      await this.handleFailure(task, job, err, log, started);
    } finally {
      clearInterval(lease);
    }
  }

  private async handleFailure(task: TaskRow, job: TaskJob, err: unknown, log: Logger, started: number): Promise<void> {
    const { tasks, router, settings, queue } = this.deps;
    const upstream = err instanceof UpstreamError ? err : undefined;
    const retryable = upstream?.retryable ?? false;
    const code = upstream?.code ?? 'internal_error';
    const message = upstream?.message ?? 'The task failed inside the platform. The credits were returned.';
    router.failed(job.node, message, retryable);
    this.deps.metrics?.upstreamError(job.node, code);
    if (this.aborts.signal.aborted) {
      // Shutting down: leave it for the next start (or another worker) to pick up.
      log.warn({ code }, 'task interrupted by shutdown');
      return;
    }
    if (!upstream) log.warn({ err }, 'task failed with an unexpected error');
    if (retryable && task.attempts < settings.maxAttempts && (await tasks.requeue(task.id))) {
      const model = task.livemode ? task.model : undefined;
      const next = model ? router.pick(model, job.node)?.id ?? job.node : job.node;
      const delayMs = settings.retryBaseMs * 2 ** (task.attempts - 1);
      log.warn({ code, next_node: next, delay_ms: delayMs }, 'task will be retried');
      await queue.enqueue({ taskId: task.id, node: next, attempt: task.attempts }, { delayMs });
      return;
    }
    const failed = await tasks.fail(task.id, { code, message });
    this.deps.metrics?.taskFinished(task, 'failed', job.node, Date.now() - started);
    log.warn({ code, refunded: failed && task.cost_credits > 0 }, 'task failed');
  }
}
