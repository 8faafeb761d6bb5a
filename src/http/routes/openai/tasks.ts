// What the OpenAI-compatible routes share: submitting through the submit use case (billing,
// limits and idempotency as on the native routes), waiting for a task's end, turning a failed
// task into an error, and reading a finished task's stored media.
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../../lib/app-error.js';
import type { ModalityType } from '../../../modalities/types.js';
import type { Platform } from '../../../platform.js';
import { submitTask } from '../../../services/submit-task.js';
import { TERMINAL, type TaskError, type TaskRow } from '../../../services/tasks.js';

export const IdempotencyHeaders = {
  type: 'object',
  properties: {
    'idempotency-key': { type: 'string', maxLength: 255, description: 'Retries with the same key and body make no second task (kept 24 h).' },
  },
};

export const idempotencyKeyOf = (req: FastifyRequest): string | undefined => {
  const value = req.headers['idempotency-key'];
  return typeof value === 'string' && value ? value : undefined;
};

/** Unix seconds, as OpenAI's objects give times. */
export const unixSeconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/**
 * Creates (or, for a retried Idempotency-Key, finds again) one task of `type` from a native
 * request body. A refusal kept for the key is thrown again as it was.
 */
export async function submitOne(platform: Platform, req: FastifyRequest, type: ModalityType, body: Record<string, unknown>, idempotencyKey?: string): Promise<TaskRow> {
  const { user, key } = req.apiAuth;
  const res = await submitTask(platform, { user, key, type, body, idempotencyKey, waitSeconds: 0, requestId: req.id, present: (task) => ({ id: task.id }) });
  if (res.status >= 400) {
    const { error } = res.body as { error: { code: string; message: string; param?: string } };
    throw new AppError(res.status, error.code, error.message, { param: error.param });
  }
  return res.task ?? platform.tasks.getOwned((res.body as { id: string }).id, user.id, key.livemode === 1);
}

/** The task once it has ended; a 504 naming it when it takes longer than `seconds` (it goes on, and is charged only if it succeeds). */
export async function waitForEnd(platform: Platform, task: TaskRow, seconds: number): Promise<TaskRow> {
  const current = await platform.waitForTask(task, seconds);
  if (TERMINAL.includes(current.status)) return current;
  throw new AppError(504, 'generation_timeout', `Task ${task.id} did not finish within ${seconds} s. It goes on: read it at GET /api/v1/tasks/${task.id}.`);
}

/** Failures that are ours or the provider's; any other code (content policy, a bad input image...) the request caused. */
const SERVER_SIDE: Record<string, number> = { upstream_timeout: 504, model_unavailable: 503, upstream_unavailable: 502, upstream_rate_limited: 502, upstream_auth_failed: 502, upstream_bad_response: 502, upstream_failed: 502, worker_lost: 502, internal_error: 502 };

/** A task that did not succeed, as the error a synchronous route answers (its credits are already back). */
export function taskFailure(task: TaskRow): AppError {
  const error: TaskError = task.error ? JSON.parse(task.error) : { code: task.status, message: `Task ${task.id} ended ${task.status}.` };
  const status = task.status === 'canceled' ? 409 : (SERVER_SIDE[error.code] ?? 400);
  return new AppError(status, error.code, `${error.message} (task ${task.id}; nothing was charged)`);
}

/** The first stored media item of a finished task's output, e.g. `media(task, 'images')`. */
export function firstMedia(task: TaskRow, kind: 'images' | 'videos' | 'audio'): Record<string, unknown> & { path: string } {
  const output = task.output ? (JSON.parse(task.output) as Record<string, Array<Record<string, unknown> & { path: string }>>) : {};
  const item = output[kind]?.[0];
  if (!item) throw new AppError(500, 'internal_error', `Task ${task.id} succeeded without ${kind}.`);
  return item;
}

/** The bytes of a stored file from its public path (`/files/<name>`). */
export async function readStored(platform: Platform, path: string): Promise<Buffer> {
  const data = await platform.storage.get(path.slice(path.lastIndexOf('/') + 1));
  if (!data) throw new AppError(404, 'file_not_found', `The file ${path} is no longer stored.`);
  return data;
}
