import type { FastifyInstance } from 'fastify';
import { AppError } from '../../lib/app-error.js';
import { CONTENT_TYPES } from '../../storage/types.js';
import type { HttpDeps } from '../deps.js';

/** `bytes=a-b`, `bytes=a-` or `bytes=-n` within `size`; undefined when absent or not satisfiable. */
function byteRange(header: string | undefined, size: number): { start: number; end: number } | undefined {
  const m = header?.match(/^bytes=(\d*)-(\d*)$/);
  if (!m || (!m[1] && !m[2])) return undefined;
  const start = m[1] ? Number(m[1]) : Math.max(0, size - Number(m[2]));
  const end = m[1] && m[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
  return start <= end && start < size ? { start, end } : undefined;
}

/**
 * Generated media. Names are long random tokens, so the URL itself is the permission. Uploads
 * (`upl_...`) are read only by their owner, through /api/v1/files/{id}/content. Ranges are
 * served so that players can seek in video and audio.
 */
export function fileRoutes(app: FastifyInstance, { platform }: HttpDeps): void {
  app.get<{ Params: { name: string } }>('/files/:name', async (req, reply) => {
    const { name } = req.params;
    const data = name.startsWith('upl_') ? null : await platform.storage.get(name);
    if (!data) throw new AppError(404, 'file_not_found', `No file '${name}'.`);
    const ext = name.slice(name.lastIndexOf('.') + 1);
    reply
      .header('content-type', CONTENT_TYPES[ext] ?? 'application/octet-stream')
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('accept-ranges', 'bytes')
      // Never run as a page: no sniffing into HTML, and a sandbox with nothing allowed if opened.
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'; sandbox");
    const range = byteRange(req.headers.range, data.length);
    if (!range && /^bytes=\d*-\d*$/.test(req.headers.range ?? '') && req.headers.range !== 'bytes=-') return reply.status(416).header('content-range', `bytes */${data.length}`).send(new AppError(416, 'range_not_satisfiable', 'The requested byte range is outside the file.').toJSON());
    if (!range) return reply.send(data);
    return reply.status(206).header('content-range', `bytes ${range.start}-${range.end}/${data.length}`).send(data.subarray(range.start, range.end + 1));
  });
}
