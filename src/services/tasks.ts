// Tasks and their state machine. Every money movement happens in the same transaction as the
// state change that justifies it, and only when that change actually happened (the UPDATE's
// WHERE names the state it leaves), so a price is held once, captured or released once.
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { TasksTable } from '../db/schema.js';
import { AppError } from '../lib/app-error.js';
import { newId } from '../lib/ids.js';
import { isoIn, nowIso } from '../lib/time.js';
import type { ApiKey } from './api-keys.js';
import type { Catalog } from './catalog.js';
import type { ImageTaskInput } from './generation-request.js';
import type { LedgerService } from './ledger.js';
import type { User } from './users.js';

export type TaskRow = TasksTable;
export type TaskStatus = TaskRow['status'];

export interface StoredImage {
  /** Path under the public file route, e.g. `/files/img_x.png`; made absolute when shown. */
  path: string;
  width: number;
  height: number;
  format: string;
  bytes: number;
  seed?: number;
}

export interface TaskOutput {
  images: StoredImage[];
}

export interface TaskError {
  code: string;
  message: string;
}

class InsufficientCredits extends Error {}

export const TERMINAL: readonly TaskStatus[] = ['succeeded', 'failed', 'canceled'];

export class TaskService {
  constructor(
    private readonly db: Db,
    private readonly ledger: LedgerService,
    private readonly catalog: Catalog,
  ) {}

  /** Creates a queued task and holds its price; nothing is written if the hold fails. */
  async create(args: { user: User; key: ApiKey; input: ImageTaskInput; requestId?: string }): Promise<TaskRow> {
    const { user, key, input } = args;
    const model = this.catalog.model(input.model)!;
    const livemode = key.livemode === 1;
    if (key.allowed_models) {
      const allowed = JSON.parse(key.allowed_models) as string[];
      if (!allowed.includes(model.id))
        throw new AppError(403, 'model_not_allowed', `This API key may not use '${model.id}'. It may use: ${allowed.join(', ')}.`, { param: 'model' });
    }
    if (livemode && this.catalog.usableNodesFor(model.id).length === 0) {
      const missing = [...new Set(this.catalog.nodesFor(model.id).flatMap((n) => n.missing))];
      const hint = missing.length ? ` The operator must set ${missing.join(' and ')}.` : ' No worker node is configured for it.';
      throw new AppError(503, 'model_unavailable', `No node can serve '${model.id}' right now.${hint} Test keys (aio_test_...) still work.`, { param: 'model' });
    }
    const price = livemode ? model.price_credits : 0;
    const task: TaskRow = {
      id: newId('task'),
      user_id: user.id,
      api_key_id: key.id,
      type: model.type,
      model: model.id,
      status: 'queued',
      input: JSON.stringify(input),
      output: null,
      error: null,
      cost_credits: price,
      charged: 0,
      livemode: livemode ? 1 : 0,
      node: null,
      attempts: 0,
      request_id: args.requestId ?? null,
      created_at: nowIso(),
      started_at: null,
      finished_at: null,
      lease_until: null,
    };
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('tasks').values(task).execute();
      if (price === 0) return;
      if (key.credit_limit !== null) {
        const within = await trx
          .updateTable('api_keys')
          .set((eb) => ({ spent: eb('spent', '+', price) }))
          .where('id', '=', key.id)
          .where((eb) => eb(eb('spent', '+', price), '<=', eb.ref('credit_limit')))
          .executeTakeFirst();
        if (Number(within.numUpdatedRows) !== 1)
          throw new AppError(402, 'key_credit_limit_reached', `This API key has reached its credit limit of ${key.credit_limit}.`);
      }
      if (!(await this.ledger.hold(trx, user.id, price, task.id))) throw new InsufficientCredits();
    }).catch(async (err) => {
      if (!(err instanceof InsufficientCredits)) throw err;
      // Read outside the rolled-back transaction: SQLite has one connection.
      const { balance } = await this.ledger.balances(user.id);
      throw new AppError(402, 'insufficient_credits', `This request costs ${price} credits and the account has ${balance}. Top up to continue.`);
    });
    return task;
  }

  /** The task if it belongs to `userId`; another account's task is indistinguishable from none. */
  async getOwned(id: string, userId: string): Promise<TaskRow> {
    const task = await this.db.selectFrom('tasks').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
    if (!task) throw new AppError(404, 'task_not_found', `No task with id '${id}'.`, { param: 'id' });
    return task;
  }

  get(id: string): Promise<TaskRow | undefined> {
    return this.db.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async list(userId: string, opts: { limit: number; before?: string; status?: TaskStatus; model?: string }): Promise<TaskRow[]> {
    let q = this.db.selectFrom('tasks').selectAll().where('user_id', '=', userId);
    if (opts.before) q = q.where('id', '<', opts.before);
    if (opts.status) q = q.where('status', '=', opts.status);
    if (opts.model) q = q.where('model', '=', opts.model);
    return q.orderBy('id', 'desc').limit(opts.limit).execute();
  }

  /**
   * Takes a task for running on `node`: from queued, or from running when the lease of the
   * worker that had it ran out (it died). Returns undefined when someone else has it or it ended.
   */
  async claim(id: string, node: string, leaseMs: number): Promise<TaskRow | undefined> {
    const now = nowIso();
    return this.db
      .updateTable('tasks')
      .set((eb) => ({ status: 'running', node, attempts: eb('attempts', '+', 1), started_at: eb.fn.coalesce('started_at', eb.val(now)), lease_until: isoIn(leaseMs) }))
      .where('id', '=', id)
      .where((eb) => eb.or([eb('status', '=', 'queued'), eb.and([eb('status', '=', 'running'), eb('lease_until', '<', now)])]))
      .returningAll()
      .executeTakeFirst();
  }

  async extendLease(id: string, leaseMs: number): Promise<void> {
    await this.db.updateTable('tasks').set({ lease_until: isoIn(leaseMs) }).where('id', '=', id).where('status', '=', 'running').execute();
  }

  /** running -> succeeded, capturing the held price. False if the task was not running. */
  async succeed(id: string, output: TaskOutput): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable('tasks')
        .set({ status: 'succeeded', output: JSON.stringify(output), error: null, finished_at: nowIso(), lease_until: null, charged: sql<number>`CASE WHEN cost_credits > 0 THEN 1 ELSE 0 END` })
        .where('id', '=', id)
        .where('status', '=', 'running')
        .returning(['user_id', 'cost_credits'])
        .executeTakeFirst();
      if (!row) return false;
      if (row.cost_credits > 0) await this.ledger.capture(trx, row.user_id, row.cost_credits, id);
      return true;
    });
  }

  /** queued|running -> failed (or canceled), releasing the held price exactly once. */
  async fail(id: string, error: TaskError, status: 'failed' | 'canceled' = 'failed', from: TaskStatus[] = ['queued', 'running']): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable('tasks')
        .set({ status, error: JSON.stringify(error), finished_at: nowIso(), lease_until: null })
        .where('id', '=', id)
        .where('status', 'in', from)
        .returning(['user_id', 'cost_credits', 'api_key_id'])
        .executeTakeFirst();
      if (!row) return false;
      if (row.cost_credits > 0) {
        await this.ledger.release(trx, row.user_id, row.cost_credits, id);
        if (row.api_key_id)
          await trx
            .updateTable('api_keys')
            .set((eb) => ({ spent: eb('spent', '-', row.cost_credits) }))
            .where('id', '=', row.api_key_id)
            .where('credit_limit', 'is not', null)
            .execute();
      }
      return true;
    });
  }

  /** Cancels a task that has not started; a running task cannot be taken back. */
  async cancel(id: string, userId: string): Promise<TaskRow> {
    const task = await this.getOwned(id, userId);
    const done = await this.fail(id, { code: 'canceled', message: 'Canceled at the client’s request.' }, 'canceled', ['queued']);
    if (!done) throw new AppError(409, 'task_not_cancelable', `Task '${id}' is ${task.status === 'queued' ? 'already starting' : task.status} and can no longer be canceled.`);
    return (await this.get(id))!;
  }

  /** running -> queued, to try again later (the attempt is already counted). */
  async requeue(id: string): Promise<boolean> {
    const res = await this.db.updateTable('tasks').set({ status: 'queued', lease_until: null }).where('id', '=', id).where('status', '=', 'running').executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  /** Tasks to pick up again at start: queued ones, and running ones whose worker is gone. */
  async unfinished(opts: { includeAllRunning: boolean; queuedBefore?: string }): Promise<TaskRow[]> {
    const now = nowIso();
    return this.db
      .selectFrom('tasks')
      .selectAll()
      .where((eb) =>
        eb.or([
          opts.queuedBefore ? eb.and([eb('status', '=', 'queued'), eb('created_at', '<', opts.queuedBefore)]) : eb('status', '=', 'queued'),
          opts.includeAllRunning ? eb('status', '=', 'running') : eb.and([eb('status', '=', 'running'), eb('lease_until', '<', now)]),
        ]),
      )
      .orderBy('id')
      .execute();
  }
}
