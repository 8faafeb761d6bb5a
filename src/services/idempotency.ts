// Stripe's Idempotency-Key: the first response to a key is saved for 24 h and replayed for
// the same request; the same key with other parameters is refused (422), and a request still
// in flight with the same key answers 409.
import { createHash } from 'node:crypto';
import type { Db } from '../db/database.js';
import { AppError } from '../lib/app-error.js';
import { isoIn, nowIso } from '../lib/time.js';

const TTL_MS = 24 * 60 * 60 * 1000;

export interface SavedResponse {
  status: number;
  body: unknown;
}

export class IdempotencyService {
  constructor(private readonly db: Db) {}

  /** Claims `key` for this request; returns the saved response when it was answered before. */
  async begin(userId: string, key: string, request: unknown): Promise<SavedResponse | null> {
    if (key.length > 255) throw new AppError(400, 'invalid_idempotency_key', 'Idempotency-Key may be at most 255 characters.');
    const hash = createHash('sha256').update(JSON.stringify(request ?? null)).digest('hex');
    await this.db.deleteFrom('idempotency_keys').where('user_id', '=', userId).where('key', '=', key).where('created_at', '<', isoIn(-TTL_MS)).execute();
    const inserted = await this.db
      .insertInto('idempotency_keys')
      .values({ user_id: userId, key, request_hash: hash, status_code: null, response: null, created_at: nowIso() })
      .onConflict((oc) => oc.columns(['user_id', 'key']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) return null;
    const row = await this.db.selectFrom('idempotency_keys').selectAll().where('user_id', '=', userId).where('key', '=', key).executeTakeFirstOrThrow();
    if (row.request_hash !== hash)
      throw new AppError(422, 'idempotency_key_reused', 'This Idempotency-Key was already used with different parameters.');
    if (row.status_code === null)
      throw new AppError(409, 'idempotency_request_in_progress', 'A request with this Idempotency-Key is still being processed. Retry shortly.');
    return { status: row.status_code, body: JSON.parse(row.response ?? 'null') };
  }

  async finish(userId: string, key: string, response: SavedResponse): Promise<void> {
    await this.db
      .updateTable('idempotency_keys')
      .set({ status_code: response.status, response: JSON.stringify(response.body) })
      .where('user_id', '=', userId)
      .where('key', '=', key)
      .execute();
  }

  /** Forgets a key whose request failed in a way worth retrying (e.g. 5xx, 429, 503). */
  async abandon(userId: string, key: string): Promise<void> {
    await this.db.deleteFrom('idempotency_keys').where('user_id', '=', userId).where('key', '=', key).where('status_code', 'is', null).execute();
  }
}
