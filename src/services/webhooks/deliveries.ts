// Webhook deliveries, persisted. A task's ending writes one row per endpoint that wants the event
// (and one for the task's own `webhook_url`) in the ending's own transaction, so no ending is
// lost to a crash. Workers claim due rows with a lease, as tasks are claimed: a worker that dies
// mid-attempt leaves a lease that runs out, and the row is sent again. The row's id is the
// `webhook-id` of every attempt, so receivers can deduplicate (delivery is at least once).
import type { Transaction } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Database, WebhookDeliveriesTable, WebhookDeliveryStatus } from '../../db/schema.js';
import { AppError } from '../../lib/app-error.js';
import { newId } from '../../lib/ids.js';
import { isoIn, nowIso } from '../../lib/time.js';
import type { TaskEvent } from '../task-event-log.js';
import type { TaskRow } from '../tasks.js';
import type { AttemptResult } from './send.js';

export type WebhookDelivery = WebhookDeliveriesTable;
export const DELIVERY_STATUSES: readonly WebhookDeliveryStatus[] = ['pending', 'delivered', 'failed'];

/**
 * Waits after the 1st, 2nd... failed attempt, in units of the base delay (5 s by default): 5 s,
 * 5 min, 30 min, 2 h, 5 h, 8 h, 8 h, about a day in all; after the last the delivery has failed.
 */
const RETRY_STEPS = [1, 60, 360, 1440, 3600, 5760, 5760];

export function retryDelayMs(failedAttempts: number, baseMs: number): number | undefined {
  const step = RETRY_STEPS[failedAttempts - 1];
  return step === undefined ? undefined : step * baseMs;
}

export function publicDelivery(d: WebhookDelivery) {
  return {
    id: d.id,
    object: 'webhook_delivery' as const,
    endpoint_id: d.endpoint_id,
    task_id: d.task_id,
    event_type: d.event_type,
    url: d.url,
    status: d.status,
    attempts: d.attempts,
    last_status_code: d.last_status_code,
    last_error: d.last_error,
    next_attempt_at: d.status === 'pending' ? d.next_attempt_at : null,
    livemode: d.livemode === 1,
    created_at: d.created_at,
    delivered_at: d.delivered_at,
  };
}

export class WebhookDeliveryService {
  constructor(
    private readonly db: Db,
    /** How the task looks in a payload (the API's task object). */
    private readonly present: (task: TaskRow) => unknown,
  ) {}

  /** Remembers a task's own `webhook_url` (before the task is dispatched). */
  async attachToTask(taskId: string, url: string): Promise<void> {
    await this.db.insertInto('task_webhooks').values({ task_id: taskId, url }).execute();
  }

  /** Inside the transaction of a task's ending: the deliveries it causes (`ended`: the task as it ended, when the caller has it). */
  async enqueueFor(trx: Transaction<Database>, event: TaskEvent, ended?: TaskRow): Promise<number> {
    const task = ended ?? (await trx.selectFrom('tasks').selectAll().where('id', '=', event.task_id).executeTakeFirst());
    if (!task) return 0;
    const type = `task.${event.type}`;
    const endpoints = await trx.selectFrom('webhook_endpoints').selectAll().where('user_id', '=', task.user_id).where('livemode', '=', task.livemode).execute();
    const targets: Array<{ endpointId: string | null; url: string }> = endpoints
      .filter((e) => (JSON.parse(e.events) as string[]).includes(type))
      .map((e) => ({ endpointId: e.id, url: e.url }));
    const own = await trx.selectFrom('task_webhooks').select('url').where('task_id', '=', task.id).executeTakeFirst();
    if (own) targets.push({ endpointId: null, url: own.url });
    if (targets.length === 0) return 0;
    const payload = JSON.stringify({ type, timestamp: event.created_at, data: this.present(task) });
    const now = nowIso();
    await trx
      .insertInto('webhook_deliveries')
      .values(
        targets.map((t) => ({
          id: newId('msg'),
          user_id: task.user_id,
          endpoint_id: t.endpointId,
          task_id: task.id,
          event_type: type,
          url: t.url,
          payload,
          livemode: task.livemode,
          status: 'pending' as const,
          attempts: 0,
          next_attempt_at: now,
          lease_until: null,
          last_status_code: null,
          last_error: null,
          created_at: now,
          delivered_at: null,
        })),
      )
      .execute();
    return targets.length;
  }

  /** The account's deliveries, newest first. */
  list(userId: string, opts: { limit: number; before?: string; endpointId?: string; taskId?: string; status?: WebhookDeliveryStatus }): Promise<WebhookDelivery[]> {
    let q = this.db.selectFrom('webhook_deliveries').selectAll().where('user_id', '=', userId);
    if (opts.before) q = q.where('id', '<', opts.before);
    if (opts.endpointId) q = q.where('endpoint_id', '=', opts.endpointId);
    if (opts.taskId) q = q.where('task_id', '=', opts.taskId);
    if (opts.status) q = q.where('status', '=', opts.status);
    return q.orderBy('id', 'desc').limit(opts.limit).execute();
  }

  get(id: string): Promise<WebhookDelivery | undefined> {
    return this.db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Sends it again now, with the same id and body (one more attempt once it had failed). */
  async resend(id: string, userId: string): Promise<WebhookDelivery> {
    const found = await this.db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
    if (!found) throw new AppError(404, 'webhook_delivery_not_found', `No webhook delivery with id '${id}'.`, { param: 'id' });
    // A pending one may be in a worker's hands right now: only bring its next attempt forward.
    const changes = found.status === 'pending' ? { next_attempt_at: nowIso() } : { status: 'pending' as const, next_attempt_at: nowIso(), lease_until: null };
    await this.db.updateTable('webhook_deliveries').set(changes).where('id', '=', id).execute();
    return (await this.get(id))!;
  }

  /** Takes up to `limit` due deliveries for sending, each leased for `leaseMs` and its attempt counted. */
  async claimDue(limit: number, leaseMs: number): Promise<WebhookDelivery[]> {
    const now = nowIso();
    const due = await this.db
      .selectFrom('webhook_deliveries')
      .select('id')
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
      .orderBy('next_attempt_at')
      .limit(limit)
      .execute();
    const claimed: WebhookDelivery[] = [];
    for (const { id } of due) {
      // Another worker may have taken it since: the WHERE repeats what made it due.
      const row = await this.db
        .updateTable('webhook_deliveries')
        .set((eb) => ({ lease_until: isoIn(leaseMs), attempts: eb('attempts', '+', 1) }))
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
        .returningAll()
        .executeTakeFirst();
      if (row) claimed.push(row);
    }
    return claimed;
  }

  /** Records how a claimed attempt went: delivered, retried later, or failed for good. */
  async settle(delivery: WebhookDelivery, result: AttemptResult, retryBaseMs: number): Promise<void> {
    const common = { lease_until: null, last_status_code: result.status ?? null };
    if (result.ok) {
      await this.db.updateTable('webhook_deliveries').set({ ...common, status: 'delivered', last_error: null, delivered_at: nowIso() }).where('id', '=', delivery.id).execute();
      return;
    }
    const delay = retryDelayMs(delivery.attempts, retryBaseMs);
    await this.db
      .updateTable('webhook_deliveries')
      .set({ ...common, last_error: result.error ?? null, ...(delay === undefined ? { status: 'failed' as const } : { next_attempt_at: isoIn(delay) }) })
      .where('id', '=', delivery.id)
      .where('status', '=', 'pending')
      .execute();
  }

  /** Gives back a claimed delivery whose attempt was cut short by a shutdown (not counted). */
  async release(delivery: WebhookDelivery): Promise<void> {
    await this.db
      .updateTable('webhook_deliveries')
      .set((eb) => ({ lease_until: null, attempts: eb('attempts', '-', 1) }))
      .where('id', '=', delivery.id)
      .where('status', '=', 'pending')
      .execute();
  }
}
