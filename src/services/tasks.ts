// Tasks and their state machine. Every money movement happens in the same transaction as the
// state change that justifies it, and only when that change actually happened (the UPDATE's
// WHERE names the state it leaves), so a price is held once, and settled (captured and the rest
// released) once. The core knows no pixels or seconds: input and output are opaque JSON.
import type { Db } from '../db/database.js';
import type { Transaction } from 'kysely';
import type { Database, TasksTable } from '../db/schema.js';
import { AppError } from '../lib/app-error.js';
import { toCredits } from '../lib/credits.js';
import { newId } from '../lib/ids.js';
import { isoIn, nowIso } from '../lib/time.js';
import type { ApiKey } from './api-keys.js';
import type { LedgerService } from './ledger.js';
import type { TaskEvents } from './task-events.js';
import { enforceTestModeLimit } from './test-mode-limit.js';
import { amountFor, type PriceSnapshot } from './pricing.js';
import type { User } from './users.js';

export type TaskRow = TasksTable;
export type TaskStatus = TaskRow['status'];

export interface TaskError {
  code: string;
  message: string;
}

/** Thrown inside the create transaction to roll it back; turned into the client's 402. */
class Refused extends Error {
  constructor(readonly reason: 'insufficient_credits' | 'key_credit_limit_reached') {
    super(reason);
  }
}

export const TERMINAL: readonly TaskStatus[] = ['succeeded', 'failed', 'canceled'];

export interface NewTask {
  user: User;
  key: ApiKey;
  type: string;
  model: string;
  input: Record<string, unknown>;
  price: PriceSnapshot;
  requestId?: string;
  /** Most unfinished test-mode tasks the account may have (429 `test_mode_limit` beyond); 0 or absent = no limit. */
  testModeLimit?: number;
  /** Runs in the create transaction after the insert (e.g. linking an Idempotency-Key to the task). */
  inTransaction?: (trx: Transaction<Database>, task: TaskRow) => Promise<void>;
}

export class TaskService {
  constructor(
    private readonly db: Db,
    private readonly ledger: LedgerService,
    private readonly events?: TaskEvents,
  ) {}

  /** Runs a state change and, when it happened, announces it (its event was stored in the change's transaction). */
  private async announce(id: string, status: TaskStatus, change: Promise<TaskRow | undefined>): Promise<TaskRow | undefined> {
    const ended = await change;
    if (ended) this.events?.changed(id, status, ended);
    return ended;
  }

  /** Creates a queued task and holds its price (nothing in test mode); nothing is written if the hold fails. */
  async create(args: NewTask): Promise<TaskRow> {
    const { user, key } = args;
    const livemode = key.livemode === 1;
    const hold = livemode ? amountFor(args.price, args.price.quantity) : 0;
    const task: TaskRow = {
      id: newId('task'),
      user_id: user.id,
      api_key_id: key.id,
      type: args.type,
      model: args.model,
      status: 'queued',
      input: JSON.stringify(args.input),
      output: null,
      error: null,
      hold_micro: hold,
      charged_micro: 0,
      price: JSON.stringify(livemode ? args.price : { ...args.price, unit_price_micro: 0 }),
      progress: null,
      cancel_requested_at: null,
      charged: 0,
      livemode: livemode ? 1 : 0,
      node: null,
      attempts: 0,
      request_id: args.requestId ?? null,
      created_at: nowIso(),
      started_at: null,
      finished_at: null,
      lease_until: null,
      upstream_state: null,
      output_expired_at: null,
    };
    await this.db
      .transaction()
      .execute(async (trx) => {
        if (!livemode && args.testModeLimit) await enforceTestModeLimit(trx, user.id, args.testModeLimit);
        await trx.insertInto('tasks').values(task).execute();
        await args.inTransaction?.(trx, task);
        await this.events?.record(trx, task.id, 'queued', undefined, { status: 'queued', progress: null, first: true });
        if (hold === 0) return;
        const held = await this.ledger.hold(trx, { userId: user.id, amount: hold, taskId: task.id, keyId: key.id });
        if (held !== 'ok') throw new Refused(held);
      })
      .catch(async (err) => {
        if (!(err instanceof Refused)) throw err;
        if (err.reason === 'key_credit_limit_reached')
          throw new AppError(402, 'key_credit_limit_reached', `This API key has reached its credit limit of ${toCredits(key.credit_limit ?? 0)} credits.`);
        // Read outside the rolled-back transaction: SQLite has one connection.
        const { balance } = await this.ledger.balances(user.id);
        throw new AppError(402, 'insufficient_credits', `This request costs ${toCredits(hold)} credits and the account has ${toCredits(balance)}. Top up to continue.`);
      });
    return task;
  }

  /**
   * The task if it belongs to `userId` and was made in the same mode as the caller's key (test
   * keys see test tasks only, as at Stripe); anything else is indistinguishable from none.
   */
  async getOwned(id: string, userId: string, livemode?: boolean): Promise<TaskRow> {
    let q = this.db.selectFrom('tasks').selectAll().where('id', '=', id).where('user_id', '=', userId);
    if (livemode !== undefined) q = q.where('livemode', '=', livemode ? 1 : 0);
    const task = await q.executeTakeFirst();
    if (!task) throw new AppError(404, 'task_not_found', `No task with id '${id}'.`, { param: 'id' });
    return task;
  }

  get(id: string): Promise<TaskRow | undefined> {
    return this.db.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async list(userId: string, opts: { limit: number; before?: string; status?: TaskStatus; model?: string; type?: string; livemode?: boolean }): Promise<TaskRow[]> {
    let q = this.db.selectFrom('tasks').selectAll().where('user_id', '=', userId);
    if (opts.livemode !== undefined) q = q.where('livemode', '=', opts.livemode ? 1 : 0);
    if (opts.before) q = q.where('id', '<', opts.before);
    if (opts.status) q = q.where('status', '=', opts.status);
    if (opts.model) q = q.where('model', '=', opts.model);
    if (opts.type) q = q.where('type', '=', opts.type);
    return q.orderBy('id', 'desc').limit(opts.limit).execute();
  }

  /**
   * Takes a task for running on `node`: from queued, or from running when the lease of the
   * worker that had it ran out (it died). Returns undefined when someone else has it or it ended.
   */
  async claim(id: string, node: string, leaseMs: number): Promise<TaskRow | undefined> {
    const now = nowIso();
    // The claim and its `running` event in one transaction: one commit, and no claim without its event.
    const claimed = await this.db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable('tasks')
        .set((eb) => ({ status: 'running', node, attempts: eb('attempts', '+', 1), started_at: eb.fn.coalesce('started_at', eb.val(now)), lease_until: isoIn(leaseMs) }))
        .where('id', '=', id)
        .where((eb) => eb.or([eb('status', '=', 'queued'), eb.and([eb('status', '=', 'running'), eb('lease_until', '<', now)])]))
        .returningAll()
        .executeTakeFirst();
      if (row) await this.events?.record(trx, id, 'running', { attempt: row.attempts, node }, { status: row.status, progress: row.progress });
      return row;
    });
    if (claimed) this.events?.changed(id, 'running');
    return claimed;
  }

  async extendLease(id: string, leaseMs: number): Promise<void> {
    await this.db.updateTable('tasks').set({ lease_until: isoIn(leaseMs) }).where('id', '=', id).where('status', '=', 'running').execute();
  }

  /** Keeps what the upstream's queue said about a running task (e.g. its request id), to resume after a crash. */
  async saveUpstreamState(id: string, state: Record<string, unknown>): Promise<void> {
    await this.db.updateTable('tasks').set({ upstream_state: JSON.stringify(state) }).where('id', '=', id).where('status', '=', 'running').execute();
  }

  async setProgress(id: string, percent: number): Promise<void> {
    const res = await this.db.updateTable('tasks').set({ progress: Math.max(0, Math.min(100, Math.round(percent))) }).where('id', '=', id).where('status', '=', 'running').executeTakeFirst();
    if (Number(res.numUpdatedRows) === 1) await this.events?.note(id, 'progress');
  }

  /**
   * running -> succeeded, settling the hold: the amount for the `quantity` delivered (never more
   * than the hold) is captured and the rest released, in the same transaction. False if the task
   * was not running.
   */
  async succeed(id: string, output: unknown, quantity?: number): Promise<boolean> {
    return (await this.succeedWith(id, output, quantity)) !== undefined;
  }

  /** As `succeed`, answering the task as it ended (undefined if it was not running). */
  async succeedWith(id: string, output: unknown, quantity?: number): Promise<TaskRow | undefined> {
    return this.announce(id, 'succeeded', this.db.transaction().execute(async (trx) => {
      const current = await trx.selectFrom('tasks').select(['price', 'hold_micro']).where('id', '=', id).executeTakeFirst();
      if (!current) return undefined;
      const price = JSON.parse(current.price ?? 'null') as PriceSnapshot | null;
      const captured = price && quantity !== undefined ? Math.min(current.hold_micro, amountFor(price, quantity)) : current.hold_micro;
      const row = await trx
        .updateTable('tasks')
        .set({ status: 'succeeded', output: JSON.stringify(output), error: null, finished_at: nowIso(), lease_until: null, progress: 100, charged_micro: captured, charged: captured > 0 ? 1 : 0 })
        .where('id', '=', id)
        .where('status', '=', 'running')
        .returningAll()
        .executeTakeFirst();
      if (!row) return undefined;
      if (row.hold_micro > 0) await this.ledger.settle(trx, { userId: row.user_id, taskId: id, keyId: row.api_key_id, held: row.hold_micro, captured });
      await this.events?.record(trx, id, 'succeeded', undefined, { status: 'succeeded', progress: 100, row });
      return row;
    }));
  }

  /** queued|running -> failed (or canceled), releasing the whole hold exactly once. */
  async fail(id: string, error: TaskError, status: 'failed' | 'canceled' = 'failed', from: TaskStatus[] = ['queued', 'running']): Promise<boolean> {
    const ended = await this.announce(id, status, this.db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable('tasks')
        .set({ status, error: JSON.stringify(error), finished_at: nowIso(), lease_until: null })
        .where('id', '=', id)
        .where('status', 'in', from)
        .returningAll()
        .executeTakeFirst();
      if (!row) return undefined;
      if (row.hold_micro > 0) await this.ledger.settle(trx, { userId: row.user_id, taskId: id, keyId: row.api_key_id, held: row.hold_micro, captured: 0 });
      await this.events?.record(trx, id, status, undefined, { status, progress: row.progress, row });
      return row;
    }));
    return ended !== undefined;
  }

  /**
   * Cancels a task. A queued one is canceled at once (refunded). A running one is marked: its
   * worker asks the upstream to drop it, which only a queue-style upstream that has not started
   * can do; answers the task as it is then (the caller may wait for the outcome).
   */
  async cancel(id: string, userId: string, livemode?: boolean): Promise<TaskRow> {
    const task = await this.getOwned(id, userId, livemode);
    if (await this.fail(id, { code: 'canceled', message: 'Canceled at the client’s request.' }, 'canceled', ['queued'])) return (await this.get(id))!;
    const marked = await this.db.updateTable('tasks').set({ cancel_requested_at: nowIso() }).where('id', '=', id).where('status', '=', 'running').executeTakeFirst();
    if (Number(marked.numUpdatedRows) !== 1)
      throw new AppError(409, 'task_not_cancelable', `Task '${id}' is ${task.status === 'queued' ? 'already starting' : task.status} and can no longer be canceled.`);
    return (await this.get(id))!;
  }

  /** Takes back a cancel request the worker could not carry out (the client was told 409). */
  async withdrawCancel(id: string): Promise<void> {
    await this.db.updateTable('tasks').set({ cancel_requested_at: null }).where('id', '=', id).where('status', '=', 'running').execute();
  }

  /** Whether the client asked to cancel this running task. */
  async cancelRequested(id: string): Promise<boolean> {
    const row = await this.db.selectFrom('tasks').select('cancel_requested_at').where('id', '=', id).executeTakeFirst();
    return !!row?.cancel_requested_at;
  }

  /** running -> queued, to try again later (the attempt is already counted). */
  async requeue(id: string): Promise<boolean> {
    const res = await this.db.updateTable('tasks').set({ status: 'queued', lease_until: null }).where('id', '=', id).where('status', '=', 'running').executeTakeFirst();
    const done = Number(res.numUpdatedRows) === 1;
    if (done) await this.events?.note(id, 'queued');
    return done;
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
