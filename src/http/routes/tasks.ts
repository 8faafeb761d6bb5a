import type { FastifyInstance } from 'fastify';
import { invalidParam } from '../../lib/app-error.js';
import type { TaskStatus } from '../../services/tasks.js';
import { authenticateApiKey } from '../auth.js';
import { baseUrl, presentTask } from '../present.js';
import type { HttpDeps } from '../server.js';

const STATUSES: TaskStatus[] = ['queued', 'running', 'succeeded', 'failed', 'canceled'];

export function parseLimit(raw: unknown, fallback = 20, max = 100): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) throw invalidParam('limit', `'limit' must be a whole number from 1 to ${max}.`);
  return n;
}

export function taskRoutes(app: FastifyInstance, { platform, limiter }: HttpDeps): void {
  app.get<{ Params: { id: string } }>('/api/v1/tasks/:id', async (req) => {
    const { user } = await authenticateApiKey(req, platform, limiter);
    return presentTask(await platform.tasks.getOwned(req.params.id, user.id), baseUrl(req, platform.settings.publicUrl));
  });

  app.post<{ Params: { id: string } }>('/api/v1/tasks/:id/cancel', async (req) => {
    const { user } = await authenticateApiKey(req, platform, limiter);
    return presentTask(await platform.tasks.cancel(req.params.id, user.id), baseUrl(req, platform.settings.publicUrl));
  });

  app.get<{ Querystring: Record<string, string | undefined> }>('/api/v1/tasks', async (req) => {
    const { user } = await authenticateApiKey(req, platform, limiter);
    const { status, model, starting_after } = req.query;
    if (status && !STATUSES.includes(status as TaskStatus)) throw invalidParam('status', `'status' must be one of: ${STATUSES.join(', ')}.`);
    const limit = parseLimit(req.query.limit);
    const rows = await platform.tasks.list(user.id, { limit: limit + 1, before: starting_after, status: status as TaskStatus | undefined, model });
    const base = baseUrl(req, platform.settings.publicUrl);
    return { object: 'list', data: rows.slice(0, limit).map((t) => presentTask(t, base)), has_more: rows.length > limit };
  });
}
