// Runs one task on one node: claim it, hand it to its modality (which calls the node's provider
// operation and turns the result into verified, stored media), then finish it (settle) or fail
// it (release). Retryable upstream faults go back on the queue with back-off, to another node
// when there is one, until the attempts run out.
import type { Settings } from '../config/settings.js';
import { AppError } from '../lib/app-error.js';
import type { Logger } from '../lib/logger.js';
import { modalityOf } from '../modalities/registry.js';
import { UpstreamCanceled, UpstreamError } from '../providers/errors.js';
import { getProvider } from '../providers/registry.js';
import type { ProviderContext } from '../providers/types.js';
import type { TaskJob, TaskQueue } from '../queue/types.js';
import type { Catalog } from '../services/catalog.js';
import type { TaskRow, TaskService } from '../services/tasks.js';
import type { UploadService } from '../services/uploads.js';
import type { Storage } from '../storage/types.js';
import type { NodeRouter } from './router.js';
import { LOCAL_NODE, LOCAL_TEST_NODE, type Metrics } from './shared.js';

export interface RunnerDeps {
  settings: Settings;
  catalog: Catalog;
  tasks: TaskService;
  storage: Storage;
  uploads: UploadService;
  queue: TaskQueue;
  router: NodeRouter;
  log: Logger;
  metrics?: Metrics;
}

/** How often a running task's progress may be written. */
const PROGRESS_EVERY_MS = 1000;

export class TaskRunner {
  private readonly aborts = new AbortController();

  constructor(private readonly deps: RunnerDeps) {}

  /** Aborts upstream calls in flight (shutdown); their tasks are picked up again later. */
  stop(): void {
    this.aborts.abort();
  }

  async run(job: TaskJob): Promise<void> {
    const { tasks, catalog, router, settings } = this.deps;
    // The test lane is a queue of the local node, not a node of its own: tasks say they ran on `local`.
    const task = await tasks.claim(job.taskId, job.node === LOCAL_TEST_NODE ? LOCAL_NODE : job.node, settings.leaseMs);
    if (!task) return; // finished, canceled, or another worker has it
    const log = this.deps.log.child({ task_id: task.id, node: job.node, request_id: task.request_id, attempt: task.attempts, type: task.type });
    const model = catalog.model(task.model);
    const modality = modalityOf(task.type);
    const node = task.livemode ? catalog.node(job.node) : undefined;
    if (!model || !modality || (task.livemode && !node)) {
      await tasks.fail(task.id, { code: 'model_unavailable', message: `Node '${job.node}' no longer serves '${task.model}'.` });
      return;
    }
    const providerId = node?.provider ?? LOCAL_NODE;
    const started = Date.now();
    const lease = setInterval(() => void tasks.extendLease(task.id, settings.leaseMs).catch(() => undefined), settings.leaseMs / 3);
    router.started(job.node);
    log.info({ model: task.model, provider: providerId }, 'task started');
    let lastProgress = 0;
    const upstreamState = JSON.parse(task.upstream_state ?? '{}') as Record<string, unknown>;
    try {
      const ctx: ProviderContext = {
        signal: this.aborts.signal,
        credentials: node?.credentials ?? {},
        timeoutMs: settings.upstreamTimeoutMs,
        pollMs: settings.pollMs,
        log,
        progress: (percent) => {
          if (Date.now() - lastProgress < PROGRESS_EVERY_MS) return;
          lastProgress = Date.now();
          void tasks.setProgress(task.id, percent).catch(() => undefined);
        },
        cancelRequested: () => tasks.cancelRequested(task.id),
        // Kept on the task row, so a later attempt (after a crash) finds it.
        remember: async (key, value) => {
          if (value === null) delete upstreamState[key];
          else upstreamState[key] = value;
          await tasks.saveUpstreamState(task.id, upstreamState);
        },
        recall: (key) => upstreamState[key],
      };
      const result = await modality.execute({
        taskId: task.id,
        input: JSON.parse(task.input),
        model,
        provider: getProvider(providerId),
        ctx,
        storage: this.deps.storage,
        settings: { allowPrivateUrls: settings.allowPrivateUrls, maxInputBytes: settings.maxInputBytes },
        readUpload: (fileId) => this.deps.uploads.read(fileId, task.user_id),
      });
      const ended = await tasks.succeedWith(task.id, result.output, result.quantity);
      router.succeeded(job.node);
      if (ended) this.deps.metrics?.taskFinished(ended, 'succeeded', job.node, Date.now() - started);
      log.info({ ms: Date.now() - started, recorded: ended !== undefined }, 'task succeeded');
    } catch (err) {
      // The attempt's upstream request is over: a retry makes a new one. A shutdown keeps it, to resume.
      if (Object.keys(upstreamState).length && !this.aborts.signal.aborted) await tasks.saveUpstreamState(task.id, {}).catch(() => undefined);
      await this.handleFailure(task, job, err, log, started);
    } finally {
      clearInterval(lease);
    }
  }

  private async handleFailure(task: TaskRow, job: TaskJob, err: unknown, log: Logger, started: number): Promise<void> {
    const { tasks, router, settings, queue } = this.deps;
    if (err instanceof UpstreamCanceled) {
      const canceled = await tasks.fail(task.id, { code: 'canceled', message: 'Canceled at the client’s request.' }, 'canceled', ['running']);
      log.info({ refunded: canceled && task.hold_micro > 0 }, 'task canceled upstream');
      return;
    }
    if (err instanceof AppError && err.status < 500) {
      // The task's input was at fault (an image URL that does not answer, bytes that are not an image): our own words.
      await tasks.fail(task.id, { code: err.code, message: `${err.message} The credits were returned.` });
      this.deps.metrics?.taskFinished(task, 'failed', job.node, Date.now() - started);
      log.info({ code: err.code }, 'task failed on its input');
      return;
    }
    const upstream = err instanceof UpstreamError ? err : undefined;
    const retryable = upstream?.retryable ?? false;
    const code = upstream?.code ?? 'internal_error';
    router.failed(job.node, upstream?.message ?? String(err), retryable);
    this.deps.metrics?.upstreamError(job.node, code);
    if (this.aborts.signal.aborted) {
      // Shutting down: leave it for the next start (or another worker) to pick up.
      log.warn({ code }, 'task interrupted by shutdown');
      return;
    }
    // The upstream's own words stay in our log; the client gets ours.
    if (upstream) log.warn({ code, upstream_message: upstream.message }, 'upstream call failed');
    else log.warn({ err }, 'task failed with an unexpected error');
    if (retryable && task.attempts < settings.maxAttempts && (await tasks.requeue(task.id))) {
      const model = task.livemode ? task.model : undefined;
      const next = model ? router.pick(model, job.node)?.id ?? job.node : job.node;
      const delayMs = settings.retryBaseMs * 2 ** (task.attempts - 1);
      log.warn({ code, next_node: next, delay_ms: delayMs }, 'task will be retried');
      await queue.enqueue({ taskId: task.id, node: next, attempt: task.attempts }, { delayMs });
      return;
    }
    const failed = await tasks.fail(task.id, { code, message: clientMessage(code, upstream) });
    this.deps.metrics?.taskFinished(task, 'failed', job.node, Date.now() - started);
    log.warn({ code, refunded: failed && task.hold_micro > 0 }, 'task failed');
  }
}

const MESSAGES: Record<string, string> = {
  content_policy_violation: 'The provider refused this request on safety grounds. Change the prompt or the input and try again.',
  upstream_invalid_request: 'The provider refused this request as invalid.',
  upstream_auth_failed: 'The provider refused the platform’s credentials. The operator has been told; try again later.',
  upstream_rate_limited: 'The provider is rate limiting requests. Try again later.',
  upstream_unavailable: 'The provider is unavailable. Try again later.',
  upstream_timeout: 'The provider did not answer in time.',
  upstream_bad_response: 'The provider answered with a result that is not what was asked.',
  upstream_failed: 'The provider could not complete the request.',
  internal_error: 'The task failed inside the platform.',
};

/**
 * What the client reads: our words for the code, plus the detail when it is ours (our own checks
 * of the input, such as an image URL that could not be fetched); never the upstream's raw text.
 */
function clientMessage(code: string, err: UpstreamError | undefined): string {
  const base = err?.clientDetail ?? MESSAGES[code] ?? MESSAGES.upstream_failed!;
  return `${base} The credits were returned.`;
}
