// Reading, listing and cancelling tasks of every type. A test key sees only test tasks; a live
// key only live ones.
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { AppError, invalidParam } from '../../lib/app-error.js';
import { TERMINAL, type TaskStatus } from '../../services/tasks.js';
import type { HttpDeps } from '../deps.js';
import { baseUrl, presentTask } from '../present.js';

const STATUSES: TaskStatus[] = ['queued', 'running', 'succeeded', 'failed', 'canceled'];
const CANCEL_WAIT_MS = 5000;

export function parseLimit(raw: unknown, fallback = 20, max = 100): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) throw invalidParam('limit', `'limit' must be a whole number from 1 to ${max}.`);
  return n;
}

const TaskId = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
const ListQuery = Type.Object({
  limit: Type.Optional(Type.String({ description: '1 to 100, default 20' })),
  starting_after: Type.Optional(Type.String({ maxLength: 100, description: 'A task id: the page after it' })),
  status: Type.Optional(Type.String({ description: STATUSES.join(' | ') })),
  model: Type.Optional(Type.String({ maxLength: 200 })),
  type: Type.Optional(Type.String({ description: 'image | video | audio | tool' })),
});

export function taskRoutes(app: FastifyInstance, { platform }: HttpDeps): void {
  const base = (req: Parameters<typeof baseUrl>[0]) => baseUrl(req, platform.settings.publicUrl);

  app.get<{ Params: { id: string } }>('/api/v1/tasks/:id', { schema: { params: TaskId, summary: 'Retrieve a task' } }, async (req) => {
    const { user, key } = req.apiAuth;
    return presentTask(await platform.tasks.getOwned(req.params.id, user.id, key.livemode === 1), base(req));
  });

  app.post<{ Params: { id: string } }>(
    '/api/v1/tasks/:id/cancel',
    { schema: { params: TaskId, summary: 'Cancel a task (refunded); a running one only while its upstream has not started it' } },
    async (req) => {
      const { user, key } = req.apiAuth;
      let task = await platform.tasks.cancel(req.params.id, user.id, key.livemode === 1);
      // A running task's cancel is carried out by its worker, which can only drop it while the
      // upstream has not started it: give the worker a moment to report, then say how it went.
      if (!TERMINAL.includes(task.status)) task = await platform.waitForTask(task, CANCEL_WAIT_MS / 1000);
      if (task.status !== 'canceled') {
        await platform.tasks.withdrawCancel(task.id);
        throw new AppError(409, 'task_not_cancelable', `Task '${task.id}' is ${task.status === 'running' ? 'already being generated' : task.status} and can no longer be canceled.`);
      }
      return presentTask(task, base(req));
    },
  );

  app.get<{ Querystring: Record<string, string | undefined> }>('/api/v1/tasks', { schema: { querystring: ListQuery, summary: "List the account's tasks, newest first" } }, async (req) => {
    const { user, key } = req.apiAuth;
    const { status, model, starting_after, type } = req.query;
    if (status && !STATUSES.includes(status as TaskStatus)) throw invalidParam('status', `'status' must be one of: ${STATUSES.join(', ')}.`);
    const limit = parseLimit(req.query.limit);
    const rows = await platform.tasks.list(user.id, { limit: limit + 1, before: starting_after, status: status as TaskStatus | undefined, model, type, livemode: key.livemode === 1 });
    return { object: 'list', data: rows.slice(0, limit).map((t) => presentTask(t, base(req))), has_more: rows.length > limit };
  });
}
