import type { FastifyInstance } from 'fastify';
import { AppError } from '../../lib/app-error.js';
import type { Platform } from '../../platform.js';
import { authenticateApiKey } from '../auth.js';
import type { HttpDeps } from '../server.js';

/** Node health as this process sees it (breaker state, load) with the queue depth per node. */
export async function nodeHealth(platform: Platform) {
  const depth = await platform.queue.depth();
  return platform.router.snapshot().map((n) => ({ ...n, queue_depth: depth[n.id] ?? 0 }));
}

export function nodeRoutes(app: FastifyInstance, { platform, limiter }: HttpDeps): void {
  app.get('/api/v1/admin/nodes', async (req) => {
    const { user } = await authenticateApiKey(req, platform, limiter);
    if (!user.is_admin) throw new AppError(403, 'admin_only', 'Only administrators can see node health.');
    return { object: 'list', data: await nodeHealth(platform) };
  });
}
