// Files a client uploads to use as task inputs (a tool's or an image-to-video's image_url).
// Only images; only their owner reads them, in the same mode (test or live) as the key.
import sharp from 'sharp';
import type { Db } from '../db/database.js';
import type { FilesTable } from '../db/schema.js';
import { AppError } from '../lib/app-error.js';
import { newId, randomToken } from '../lib/ids.js';
import { nowIso } from '../lib/time.js';
import type { Storage } from '../storage/types.js';

export type FileRow = FilesTable;

const IMAGE_TYPES: Record<string, string> = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp', gif: 'image/gif' };

export class UploadService {
  constructor(
    private readonly db: Db,
    private readonly storage: Storage,
  ) {}

  async create(args: { userId: string; livemode: boolean; filename: string; data: Buffer }): Promise<FileRow> {
    const meta = await sharp(args.data).metadata().catch(() => undefined);
    const contentType = meta?.format ? IMAGE_TYPES[meta.format] : undefined;
    if (!contentType) throw new AppError(400, 'unsupported_file_type', 'Upload a PNG, JPEG, WebP or GIF image.', { param: 'file' });
    const ext = meta!.format === 'jpeg' ? 'jpg' : meta!.format!;
    const row: FileRow = {
      id: newId('file'),
      user_id: args.userId,
      livemode: args.livemode ? 1 : 0,
      filename: args.filename.replace(/[\u0000-\u001f]/g, '').slice(0, 255) || `upload.${ext}`,
      content_type: contentType,
      bytes: args.data.length,
      storage_name: `upl_${randomToken(24)}.${ext}`,
      created_at: nowIso(),
    };
    await this.storage.put(row.storage_name, args.data, contentType);
    await this.db.insertInto('files').values(row).execute();
    return row;
  }

  /** The file if `userId` owns it (and, when given, it was uploaded in that mode); 404 otherwise. */
  async getOwned(id: string, userId: string, livemode?: boolean): Promise<FileRow> {
    let q = this.db.selectFrom('files').selectAll().where('id', '=', id).where('user_id', '=', userId);
    if (livemode !== undefined) q = q.where('livemode', '=', livemode ? 1 : 0);
    const row = await q.executeTakeFirst();
    if (!row) throw new AppError(404, 'file_not_found', `No file with id '${id}'.`, { param: 'id' });
    return row;
  }

  /** The bytes of `userId`'s file, or null (for a task's input: any mode, the task was checked at submit). */
  async read(id: string, userId: string): Promise<{ data: Buffer; contentType: string } | null> {
    const row = await this.db.selectFrom('files').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
    if (!row) return null;
    const data = await this.storage.get(row.storage_name);
    return data && { data, contentType: row.content_type };
  }
}
