import type { FastifyInstance } from 'fastify';
import { AppError } from '../../lib/app-error.js';
import type { Platform } from '../../platform.js';
import { parseImageRequest } from '../../services/generation-request.js';
import { TERMINAL, type TaskRow } from '../../services/tasks.js';
import { authenticateApiKey } from '../auth.js';
import { baseUrl, presentTask } from '../present.js';
import type { HttpDeps } from '../server.js';

const MAX_WAIT_S = 60;

/** Replicate's `Prefer: wait` / `Prefer: wait=N`: seconds to hold the answer for the result. */
export function preferWaitSeconds(header: string | undefined): number {
  const match = header?.match(/(?:^|[,;\s])wait(?:=(\d+))?(?:$|[,;\s])/i);
  if (!match) return 0;
  const seconds = match[1] ? Number(match[1]) : MAX_WAIT_S;
  return Math.max(1, Math.min(MAX_WAIT_S, seconds));
}

async function waitForResult(platform: Platform, task: TaskRow, seconds: number): Promise<TaskRow> {
  const deadline = Date.now() + seconds * 1000;
  let current = task;
  while (!TERMINAL.includes(current.status) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    current = (await platform.tasks.get(task.id)) ?? current;
  }
  return current;
}

export function imageRoutes(app: FastifyInstance, { platform, limiter, idempotency }: HttpDeps): void {
  app.post('/api/v1/images/generations', async (req, reply) => {
    const { user, key } = await authenticateApiKey(req, platform, limiter);
    // Keys are scoped to the mode, as at Stripe: a test request never replays a live answer.
    const idemKey = req.headers['idempotency-key'];
    const scopedKey = typeof idemKey === 'string' && idemKey ? `${key.livemode ? 'live' : 'test'}:${idemKey}` : undefined;
    if (scopedKey) {
      const saved = await idempotency.begin(user.id, scopedKey, req.body);
      if (saved) return reply.status(saved.status).header('idempotent-replayed', 'true').send(saved.body);
    }
    try {
      const input = parseImageRequest(req.body, platform.catalog);
      let task = await platform.tasks.create({ user, key, input, requestId: req.id });
      await platform.dispatcher.dispatch(task);
      const prefer = req.headers.prefer;
      const wait = preferWaitSeconds(Array.isArray(prefer) ? prefer.join(",") : prefer);
      if (wait) task = await waitForResult(platform, task, wait);
      const body = presentTask(task, baseUrl(req, platform.settings.publicUrl));
      const status = TERMINAL.includes(task.status) ? 200 : 202;
      if (scopedKey) await idempotency.finish(user.id, scopedKey, { status, body });
      return reply.status(status).header('location', `/api/v1/tasks/${task.id}`).send(body);
    } catch (err) {
      if (scopedKey) {
        // A refusal of the request itself is the answer to keep; anything transient may be retried.
        if (err instanceof AppError && err.status < 500 && err.status !== 429 && err.status !== 409) await idempotency.finish(user.id, scopedKey, { status: err.status, body: err.toJSON() });
        else await idempotency.abandon(user.id, scopedKey);
      }
      throw err;
    }
  });
}
