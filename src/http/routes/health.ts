// Probes for load balancers and orchestrators. /healthz: the process is up. /readyz: it can do
// its work now: the database answers, and so does the task queue (Redis in distributed mode),
// so a gateway whose Redis is down is taken out of rotation instead of answering 503s.
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { HttpDeps } from '../deps.js';

async function probe(check: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await check();
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

export function healthRoutes(app: FastifyInstance, { platform }: HttpDeps): void {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_req, reply) => {
    const queueKind = platform.settings.redisUrl ? 'redis' : 'in-process';
    const [dbError, queueError] = await Promise.all([probe(() => sql`SELECT 1`.execute(platform.db)), probe(() => platform.queue.ping())]);
    const body = {
      status: dbError || queueError ? 'unavailable' : 'ready',
      database: platform.dbKind,
      queue: queueKind,
      ...(dbError ? { database_error: dbError } : {}),
      ...(queueError ? { queue_error: queueError } : {}),
    };
    return reply.status(dbError || queueError ? 503 : 200).send(body);
  });
}
