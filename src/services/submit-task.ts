// The one way a task is submitted, whatever the entry point (HTTP now; the CLI and SDK call the
// same): idempotency, model resolution, the modality's parse and quote, create-and-hold,
// dispatch, and the optional wait for the result.
import { AppError, invalidParam } from '../lib/app-error.js';
import { modalityOf } from '../modalities/registry.js';
import type { ModalityType } from '../modalities/types.js';
import type { ApiKey } from './api-keys.js';
import type { Catalog } from './catalog.js';
import type { IdempotencyClaim, IdempotencyService, SavedResponse } from './idempotency.js';
import { priceSnapshot } from './pricing.js';
import { TERMINAL, type TaskRow, type TaskService } from './tasks.js';
import type { User } from './users.js';
import type { Dispatcher } from '../worker/dispatcher.js';

export interface SubmitDeps {
  settings: { testModeMaxActive: number };
  catalog: Catalog;
  tasks: TaskService;
  dispatcher: Dispatcher;
  idempotency: IdempotencyService;
  /** Resolves when the task ends or the time is up. */
  waitForTask(task: TaskRow, seconds: number): Promise<TaskRow>;
  /** A task's own `webhook_url`: checked before the task is made, remembered before it is dispatched. */
  webhooks: {
    checkTaskUrl(userId: string, livemode: boolean, url: string): Promise<string>;
    attachToTask(taskId: string, url: string): Promise<void>;
  };
}

export interface SubmitRequest {
  user: User;
  key: ApiKey;
  type: ModalityType;
  body: Record<string, unknown>;
  idempotencyKey?: string;
  /** Seconds to hold the answer for the finished task (Prefer: wait); 0 = answer at once. */
  waitSeconds: number;
  requestId?: string;
  /** How the answer's body is shaped from the task (the route's presenter). */
  present(task: TaskRow): unknown;
}

export interface SubmitResponse extends SavedResponse {
  replayed: boolean;
  task?: TaskRow;
}

export async function submitTask(deps: SubmitDeps, req: SubmitRequest): Promise<SubmitResponse> {
  const { user, key } = req;
  // Keys are scoped to the mode, as at Stripe: a test request never replays a live answer.
  const scopedKey = req.idempotencyKey ? `${key.livemode ? 'live' : 'test'}:${req.idempotencyKey}` : undefined;
  let claim: IdempotencyClaim | undefined;
  if (scopedKey) {
    const begun = await deps.idempotency.begin(user.id, scopedKey, req.body);
    if (begun.kind === 'saved') return { ...begun.response, replayed: true };
    // The first request with this key died after making its task: that task is the answer.
    if (begun.kind === 'task') return answerWith(deps, req, scopedKey, begun.taskId);
    claim = begun.claim;
  }
  let failedByUs = false;
  try {
    let task = await createTask(deps, req, claim);
    try {
      await deps.dispatcher.dispatch(task);
    } catch {
      // The queue is down (the dispatcher logged why): the task must not wait forever with its
      // credits held, nor run later behind the client's back after a 503. It fails and refunds,
      // unless a worker already took it (the enqueue landed after all).
      failedByUs = await deps.tasks.fail(task.id, { code: 'queue_unavailable', message: 'The task queue could not be reached, so the task was not started. The credits were returned.' });
      if (failedByUs)
        throw new AppError(503, 'queue_unavailable', 'The task queue is unavailable right now, so the task was not started and nothing was charged. Retry shortly.', {
          headers: { 'retry-after': '5' },
        });
      task = (await deps.tasks.get(task.id)) ?? task;
    }
    if (req.waitSeconds > 0) task = await deps.waitForTask(task, req.waitSeconds);
    const response = { status: TERMINAL.includes(task.status) ? 200 : 202, body: req.present(task) };
    if (scopedKey) await deps.idempotency.finish(user.id, scopedKey, response);
    return { ...response, replayed: false, task };
  } catch (err) {
    if (scopedKey) {
      // A refusal of the request itself is the answer to keep; anything transient may be retried.
      if (err instanceof AppError && err.status < 500 && err.status !== 429 && err.status !== 409)
        await deps.idempotency.finish(user.id, scopedKey, { status: err.status, body: err.toJSON() });
      else await deps.idempotency.abandon(user.id, scopedKey, { taskFailed: failedByUs });
    }
    throw err;
  } finally {
    claim?.release();
  }
}

/** Answers a retry with the task its key's first request made (and keeps that answer for the key). */
async function answerWith(deps: SubmitDeps, req: SubmitRequest, scopedKey: string, taskId: string): Promise<SubmitResponse> {
  let task = await deps.tasks.get(taskId);
  if (!task) throw new Error(`idempotency key links to a missing task ${taskId}`);
  if (req.waitSeconds > 0 && !TERMINAL.includes(task.status)) task = await deps.waitForTask(task, req.waitSeconds);
  const response = { status: TERMINAL.includes(task.status) ? 200 : 202, body: req.present(task) };
  await deps.idempotency.finish(req.user.id, scopedKey, response);
  return { ...response, replayed: true, task };
}

async function createTask(deps: SubmitDeps, req: SubmitRequest, claim?: IdempotencyClaim): Promise<TaskRow> {
  const { catalog, tasks } = deps;
  const { key, type } = req;
  // Not the model's input: where to say that the task ended.
  const { webhook_url: webhookUrl, ...body } = req.body;
  const modality = modalityOf(type)!;
  const modelId = String(body.model ?? '').trim();
  const model = catalog.model(modelId);
  if (!model || model.type !== type) {
    const endpoint = model && (modalityOf(model.type)?.endpoint ?? (model.type === 'chat' ? '/v1/chat/completions' : undefined));
    const other = model && endpoint ? ` '${modelId}' is a ${model.type} model: use ${endpoint}.` : '';
    throw invalidParam('model', `There is no ${type} model '${modelId}'.${other} See GET /api/v1/models for the catalog.`, 'model_not_found');
  }
  if (!model.enabled) throw invalidParam('model', `The model '${modelId}' is currently disabled.`, 'model_disabled');
  if (key.allowed_models) {
    const allowed = JSON.parse(key.allowed_models) as string[];
    if (!allowed.includes(model.id))
      throw new AppError(403, 'model_not_allowed', `This API key may not use '${model.id}'. It may use: ${allowed.join(', ')}.`, { param: 'model' });
  }
  const input = modality.parse(body, model);
  if (key.livemode === 1 && catalog.usableNodesFor(model.id).length === 0)
    // The customer learns the model is unavailable; the operator's log and admin page say what to configure.
    throw new AppError(503, 'model_unavailable', `'${model.id}' is not available right now. Test keys (aio_test_...) still work.`, { param: 'model' });
  const webhook = webhookUrl === undefined ? undefined : await deps.webhooks.checkTaskUrl(req.user.id, key.livemode === 1, String(webhookUrl));
  const task = await tasks.create({
    user: req.user,
    key,
    type,
    model: model.id,
    input: input as Record<string, unknown>,
    price: priceSnapshot(model, modality.quote(input, model)),
    requestId: req.requestId,
    testModeLimit: deps.settings.testModeMaxActive,
    // The key learns its task in the task's own transaction: no crash can leave one without the other.
    inTransaction: claim && ((trx, created) => claim.link(trx, created.id)),
  });
  if (webhook) await deps.webhooks.attachToTask(task.id, webhook);
  return task;
}
