// The one reader of an uploaded file's multipart body (POST /api/v1/files and the playground's
// upload). Everything wrong with the body is the client's: a missing boundary, a truncated form,
// too many parts, a file over the limit. Each becomes a 4xx in our shape, never a 500.
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../lib/app-error.js';

export async function registerUploadParser(app: FastifyInstance, maxBytes: number): Promise<void> {
  await app.register(multipart, { limits: { fileSize: maxBytes, files: 1, fields: 5, parts: 6 } });
}

export async function readUploadedFile(req: FastifyRequest, maxBytes: number): Promise<{ filename: string; data: Buffer }> {
  if (!req.isMultipart()) throw new AppError(415, 'unsupported_media_type', 'Send the file as multipart/form-data, in a field named "file".');
  try {
    const part = await req.file();
    if (!part || part.fieldname !== 'file') throw new AppError(400, 'missing_parameter', 'Send the file in a field named "file".', { param: 'file' });
    return { filename: part.filename ?? '', data: await part.toBuffer() };
  } catch (err) {
    if (err instanceof AppError) throw err;
    if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError(413, 'request_too_large', `The file is larger than ${maxBytes} bytes.`, { param: 'file' });
    throw new AppError(400, 'invalid_multipart', `The multipart body could not be read (${(err as Error).message}). Send one part named "file" with a boundary in the Content-Type.`, { param: 'file' });
  }
}
