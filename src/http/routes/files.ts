import type { FastifyInstance } from 'fastify';
import { AppError } from '../../lib/app-error.js';
import { CONTENT_TYPES } from '../../storage/types.js';
import type { HttpDeps } from '../deps.js';

/** Generated images. Names are long random tokens, so the URL itself is the permission. */
export function fileRoutes(app: FastifyInstance, { platform }: HttpDeps): void {
  app.get<{ Params: { name: string } }>('/files/:name', async (req, reply) => {
    const { name } = req.params;
    const data = await platform.storage.get(name);
    if (!data) throw new AppError(404, 'file_not_found', `No file '${name}'.`);
    const ext = name.slice(name.lastIndexOf('.') + 1);
    return reply
      .header('content-type', CONTENT_TYPES[ext] ?? 'application/octet-stream')
      .header('cache-control', 'public, max-age=31536000, immutable')
      .send(data);
  });
}
