// Where a modality puts finished media: an unguessable name in the file store, served at /files/.
import { randomToken } from '../../lib/ids.js';
import type { Storage } from '../../storage/types.js';

/** Stores `data` as `<prefix>_<random>.<ext>` and answers its public path (`/files/...`). */
export async function storeMedia(storage: Storage, prefix: string, ext: string, data: Buffer, contentType: string): Promise<string> {
  const name = `${prefix}_${randomToken(24)}.${ext}`;
  await storage.put(name, data, contentType);
  return `/files/${name}`;
}
