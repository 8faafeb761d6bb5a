import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { HttpDeps } from '../deps.js';

export function healthRoutes(app: FastifyInstance, { platform }: HttpDeps): void {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_req, reply) => {
    try {
      await sql`SELECT 1`.execute(platform.db);
      return { status: 'ready', database: platform.dbKind };
    } catch (err) {
      return reply.status(503).send({ status: 'unavailable', database: platform.dbKind, error: (err as Error).message });
    }
  });
}
