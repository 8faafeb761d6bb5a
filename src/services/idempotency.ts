// Stripe's Idempotency-Key: the first response to a key is saved for 24 h and replayed for
// the same request; the same key with other parameters is refused (422), and a request still
// in flight with the same key answers 409.
//
// "In flight" is a lease, not a flag: the request that claimed a key renews `locked_until` while
// it runs, and the key remembers the task it created (written in the task's own transaction).
// When the owner dies (a crash, a kill -9), its lease runs out (or, in embedded mode, is dropped
// at the next start), and a retry is answered with that task, or, when no task was made, takes
// the key over and goes through. A marker never outlives the process that owns it by more than
// one lease.
import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Db } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { AppError } from '../lib/app-error.js';
import { isoIn, nowIso } from '../lib/time.js';

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** How long a claim survives without being renewed (renewed every third of it). */
export const IDEMPOTENCY_LEASE_MS = 15_000;

export interface SavedResponse {
  status: number;
  body: unknown;
}

/** A claimed key: renewed until `release()`; `link` writes the task it created in that task's transaction. */
export interface IdempotencyClaim {
  link(trx: Transaction<Database>, taskId: string): Promise<void>;
  release(): void;
}

export type BeginResult =
  /** The key is this request's: go through. */
  | { kind: 'claimed'; claim: IdempotencyClaim }
  /** Answered before: replay. */
  | { kind: 'saved'; response: SavedResponse }
  /** Its first request died after creating this task: answer with the task. */
  | { kind: 'task'; taskId: string };

export class IdempotencyService {
  constructor(
    private readonly db: Db,
    private readonly leaseMs = IDEMPOTENCY_LEASE_MS,
  ) {}

  /** Claims `key` for this request, or says how it was answered before. */
  async begin(userId: string, key: string, request: unknown): Promise<BeginResult> {
    if (key.length > 255) throw new AppError(400, 'invalid_idempotency_key', 'Idempotency-Key may be at most 255 characters.');
    const hash = createHash('sha256').update(JSON.stringify(request ?? null)).digest('hex');
    await this.db.deleteFrom('idempotency_keys').where('user_id', '=', userId).where('key', '=', key).where('created_at', '<', isoIn(-IDEMPOTENCY_TTL_MS)).execute();
    const inserted = await this.db
      .insertInto('idempotency_keys')
      .values({ user_id: userId, key, request_hash: hash, status_code: null, response: null, created_at: nowIso(), task_id: null, locked_until: isoIn(this.leaseMs) })
      .onConflict((oc) => oc.columns(['user_id', 'key']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) return { kind: 'claimed', claim: this.claim(userId, key) };
    const row = await this.db.selectFrom('idempotency_keys').selectAll().where('user_id', '=', userId).where('key', '=', key).executeTakeFirstOrThrow();
    if (row.request_hash !== hash)
      throw new AppError(422, 'idempotency_key_reused', 'This Idempotency-Key was already used with different parameters.');
    if (row.status_code !== null) return { kind: 'saved', response: { status: row.status_code, body: JSON.parse(row.response ?? 'null') } };
    const now = nowIso();
    if (row.locked_until !== null && row.locked_until >= now) throw inProgress(row.locked_until);
    // Its owner is gone. The task it made (if any) is the answer; otherwise the key is free again,
    // for the one retry that wins the conditional update.
    if (row.task_id) return { kind: 'task', taskId: row.task_id };
    const taken = await this.db
      .updateTable('idempotency_keys')
      .set({ locked_until: isoIn(this.leaseMs) })
      .where('user_id', '=', userId)
      .where('key', '=', key)
      .where('status_code', 'is', null)
      .where('task_id', 'is', null)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
      .executeTakeFirst();
    if (Number(taken.numUpdatedRows) !== 1) throw inProgress(isoIn(this.leaseMs));
    return { kind: 'claimed', claim: this.claim(userId, key) };
  }

  private claim(userId: string, key: string): IdempotencyClaim {
    const renew = setInterval(() => {
      void this.db
        .updateTable('idempotency_keys')
        .set({ locked_until: isoIn(this.leaseMs) })
        .where('user_id', '=', userId)
        .where('key', '=', key)
        .where('status_code', 'is', null)
        .execute()
        .catch(() => undefined); // a missed renewal only shortens the lease
    }, Math.max(10, Math.floor(this.leaseMs / 3)));
    renew.unref();
    return {
      link: async (trx, taskId) => {
        await trx.updateTable('idempotency_keys').set({ task_id: taskId }).where('user_id', '=', userId).where('key', '=', key).execute();
      },
      release: () => clearInterval(renew),
    };
  }

  async finish(userId: string, key: string, response: SavedResponse): Promise<void> {
    await this.db
      .updateTable('idempotency_keys')
      .set({ status_code: response.status, response: JSON.stringify(response.body), locked_until: null })
      .where('user_id', '=', userId)
      .where('key', '=', key)
      .execute();
  }

  /**
   * The request failed in a way worth retrying (e.g. 5xx, 429, 503): the key is forgotten, so a
   * retry goes through. If the request had made a task that still stands, the key stays linked to
   * it, unlocked, so that a retry is answered with that task rather than making a second one.
   */
  async abandon(userId: string, key: string, opts: { taskFailed?: boolean } = {}): Promise<void> {
    let q = this.db.deleteFrom('idempotency_keys').where('user_id', '=', userId).where('key', '=', key).where('status_code', 'is', null);
    if (!opts.taskFailed) q = q.where('task_id', 'is', null);
    await q.execute();
    await this.db.updateTable('idempotency_keys').set({ locked_until: null }).where('user_id', '=', userId).where('key', '=', key).where('status_code', 'is', null).execute();
  }

  /**
   * Drops every in-progress lease: for the embedded server at start, when no other process can
   * be answering a request (its predecessor died), so retries need not wait for the leases to run out.
   */
  async releaseAllLeases(): Promise<number> {
    const res = await this.db.updateTable('idempotency_keys').set({ locked_until: null }).where('status_code', 'is', null).where('locked_until', 'is not', null).executeTakeFirst();
    return Number(res.numUpdatedRows);
  }

  /** Deletes keys older than the 24 h they are kept (the retention purge). */
  async purgeExpired(now = Date.now()): Promise<number> {
    const res = await this.db.deleteFrom('idempotency_keys').where('created_at', '<', new Date(now - IDEMPOTENCY_TTL_MS).toISOString()).executeTakeFirst();
    return Number(res.numDeletedRows);
  }
}

function inProgress(until: string): AppError {
  const seconds = Math.max(1, Math.ceil((Date.parse(until) - Date.now()) / 1000));
  return new AppError(409, 'idempotency_request_in_progress', 'A request with this Idempotency-Key is still being processed. Retry shortly.', {
    headers: { 'retry-after': String(seconds) },
  });
}
