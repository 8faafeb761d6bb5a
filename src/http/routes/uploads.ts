// POST /api/v1/files (multipart, field `file`): upload an image to use as a task input, then
// pass `aio-file://<id>` or the file's URL as `image_url`. Only the owner can read it.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { AppError } from '../../lib/app-error.js';
import type { FileRow } from '../../services/uploads.js';
import type { HttpDeps } from '../deps.js';
import { baseUrl } from '../present.js';
import { readUploadedFile, registerUploadParser } from '../upload-body.js';

const FileId = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });

export function presentFile(file: FileRow, base: string) {
  return {
    id: file.id,
    object: 'file' as const,
    filename: file.filename,
    content_type: file.content_type,
    bytes: file.bytes,
    url: `${base}/api/v1/files/${file.id}/content`,
    uri: `aio-file://${file.id}`,
    livemode: file.livemode === 1,
    created_at: file.created_at,
  };
}

export async function uploadRoutes(app: FastifyInstance, { platform }: HttpDeps): Promise<void> {
  await registerUploadParser(app, platform.settings.maxInputBytes);
  const base = (req: FastifyRequest) => baseUrl(req, platform.settings.publicUrl);

  app.post('/api/v1/files', { schema: { summary: 'Upload an image to use as a task input (multipart/form-data, field `file`)' } }, async (req, reply) => {
    const { filename, data } = await readUploadedFile(req, platform.settings.maxInputBytes);
    const { user, key } = req.apiAuth;
    const file = await platform.uploads.create({ userId: user.id, livemode: key.livemode === 1, filename, data });
    return reply.status(201).send(presentFile(file, base(req)));
  });

  app.get<{ Params: { id: string } }>('/api/v1/files/:id', { schema: { params: FileId, summary: 'An uploaded file' } }, async (req) => {
    const { user, key } = req.apiAuth;
    return presentFile(await platform.uploads.getOwned(req.params.id, user.id, key.livemode === 1), base(req));
  });

  app.get<{ Params: { id: string } }>('/api/v1/files/:id/content', { schema: { params: FileId, summary: 'The bytes of an uploaded file' } }, async (req, reply) => {
    const { user, key } = req.apiAuth;
    const file = await platform.uploads.getOwned(req.params.id, user.id, key.livemode === 1);
    const data = await platform.storage.get(file.storage_name);
    if (!data) throw new AppError(404, 'file_not_found', `No file with id '${file.id}'.`, { param: 'id' });
    return reply
      .header('content-type', file.content_type)
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header('cache-control', 'private, max-age=3600')
      .send(data);
  });
}
