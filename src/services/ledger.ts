// The only way a balance changes. Every movement is one ledger row written in the same
// transaction as the users row it changes, so `balance` always equals SUM(amount) and
// `reserved` always equals SUM(reserved_delta) for the user.
import type { Transaction } from 'kysely';
import type { Db } from '../db/database.js';
import type { Database, LedgerEntriesTable, LedgerKind } from '../db/schema.js';
import { AppError } from '../lib/app-error.js';
import { newId } from '../lib/ids.js';
import { nowIso } from '../lib/time.js';

type Trx = Transaction<Database> | Db;

export interface Movement {
  userId: string;
  kind: LedgerKind;
  amount: number;
  reservedDelta?: number;
  taskId?: string | null;
  note?: string | null;
}

export type LedgerEntry = LedgerEntriesTable;

/**
 * Applies one movement inside `trx`. The UPDATE is conditional, so neither column can go below
 * zero whatever runs concurrently; returns null (and writes nothing) when it would.
 */
export async function applyMovement(trx: Trx, m: Movement): Promise<LedgerEntry | null> {
  const reservedDelta = m.reservedDelta ?? 0;
  const updated = await trx
    .updateTable('users')
    .set((eb) => ({
      balance: eb('balance', '+', m.amount),
      reserved: eb('reserved', '+', reservedDelta),
    }))
    .where('id', '=', m.userId)
    .where((eb) => eb(eb('balance', '+', m.amount), '>=', 0))
    .where((eb) => eb(eb('reserved', '+', reservedDelta), '>=', 0))
    .returning(['balance'])
    .executeTakeFirst();
  if (!updated) return null;
  const entry: LedgerEntry = {
    id: newId('le'),
    user_id: m.userId,
    kind: m.kind,
    amount: m.amount,
    reserved_delta: reservedDelta,
    balance_after: updated.balance,
    task_id: m.taskId ?? null,
    note: m.note ?? null,
    created_at: nowIso(),
  };
  await trx.insertInto('ledger_entries').values(entry).execute();
  return entry;
}

export class LedgerService {
  constructor(private readonly db: Db) {}

  /** Adds (or, with a negative amount, removes) spendable credits outside any task. */
  async credit(userId: string, amount: number, kind: 'grant' | 'topup' | 'redeem' | 'adjustment', note?: string | null, trx?: Trx): Promise<LedgerEntry> {
    if (!Number.isInteger(amount) || amount === 0) throw new AppError(400, 'invalid_amount', 'Amount must be a non-zero whole number of credits.', { param: 'amount' });
    const run = async (t: Trx) => {
      const entry = await applyMovement(t, { userId, kind, amount, note });
      if (!entry) throw new AppError(400, 'insufficient_credits', 'That would take the balance below zero.', { param: 'amount' });
      return entry;
    };
    return trx ? run(trx) : this.db.transaction().execute(run);
  }

  /** Reserves a task's price; false when the balance is short. */
  async hold(trx: Trx, userId: string, amount: number, taskId: string): Promise<boolean> {
    return (await applyMovement(trx, { userId, kind: 'hold', amount: -amount, reservedDelta: amount, taskId })) !== null;
  }

  async capture(trx: Trx, userId: string, amount: number, taskId: string): Promise<void> {
    const entry = await applyMovement(trx, { userId, kind: 'capture', amount: 0, reservedDelta: -amount, taskId });
    if (!entry) throw new Error(`ledger: capture of ${amount} for ${taskId} exceeds the reserved credits`);
  }

  async release(trx: Trx, userId: string, amount: number, taskId: string): Promise<void> {
    const entry = await applyMovement(trx, { userId, kind: 'release', amount, reservedDelta: -amount, taskId });
    if (!entry) throw new Error(`ledger: release of ${amount} for ${taskId} exceeds the reserved credits`);
  }

  async balances(userId: string): Promise<{ balance: number; reserved: number }> {
    const row = await this.db.selectFrom('users').select(['balance', 'reserved']).where('id', '=', userId).executeTakeFirst();
    return row ?? { balance: 0, reserved: 0 };
  }

  async list(userId: string, opts: { limit: number; before?: string; kind?: LedgerKind }): Promise<LedgerEntry[]> {
    let q = this.db.selectFrom('ledger_entries').selectAll().where('user_id', '=', userId);
    if (opts.kind) q = q.where('kind', '=', opts.kind);
    if (opts.before) q = q.where('id', '<', opts.before);
    return q.orderBy('id', 'desc').limit(opts.limit).execute();
  }

  /** The ledger's own sums, to check against the users row (tests, `aio credits show`). */
  async sums(userId: string): Promise<{ amount: number; reserved: number }> {
    const row = await this.db
      .selectFrom('ledger_entries')
      .select((eb) => [eb.fn.coalesce(eb.fn.sum<number>('amount'), eb.lit(0)).as('amount'), eb.fn.coalesce(eb.fn.sum<number>('reserved_delta'), eb.lit(0)).as('reserved')])
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow();
    return { amount: Number(row.amount), reserved: Number(row.reserved) };
  }
}
