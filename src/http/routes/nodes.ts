import type { FastifyInstance } from 'fastify';
import { AppError } from '../../lib/app-error.js';
import type { Platform } from '../../platform.js';
import type { HttpDeps } from '../deps.js';

/** Node health as this process sees it (breaker state, load) with the queue depth per node. */
export async function nodeHealth(platform: Platform) {
  const depth = await platform.queue.depth();
  return platform.router.snapshot().map((n) => ({ ...n, queue_depth: depth[n.id] ?? 0 }));
}

export function nodeRoutes(app: FastifyInstance, { platform }: HttpDeps): void {
  app.get('/api/v1/admin/nodes', { schema: { summary: 'Node health (administrators)' } }, async (req) => {
    const { user } = req.apiAuth;
    if (!user.is_admin) throw new AppError(403, 'admin_only', 'Only administrators can see node health.');
    return { object: 'list', data: await nodeHealth(platform) };
  });
}
