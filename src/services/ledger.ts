// The only way a balance, or an API key's spend, changes. Every movement is one ledger row written
// in the same transaction as the users row it changes, so `balance` always equals SUM(amount) and
// `reserved` always equals SUM(reserved_delta) for the user. Amounts are integer micro-credits
// (src/lib/credits.ts); only the presenters turn them into decimal credits.
//
// A task's money: `hold` at submit (balance -> reserved, and the key's `spent` up), then `settle`
// once when it ends (the captured part leaves reserved for good, the rest goes back to the balance
// and off the key's `spent`). So a key's `spent` is what it has captured plus what it holds now.
import { PostgresAdapter, type QueryCreator, sql, type Transaction } from 'kysely';
import type { Db } from '../db/database.js';
import type { Database, LedgerEntriesTable, LedgerKind } from '../db/schema.js';
import { AppError } from '../lib/app-error.js';
import { toCredits } from '../lib/credits.js';
import { newId } from '../lib/ids.js';
import { nowIso } from '../lib/time.js';

type Trx = Transaction<Database> | Db;

/** One ledger row of a user's money, and the change it makes to the users row. */
export interface Movement {
  kind: LedgerKind;
  /** Change to the balance, micro-credits. */
  amount: number;
  /** Change to reserved, micro-credits. */
  reservedDelta?: number;
  taskId?: string | null;
  /** The key whose spend this counts toward (hold, capture, release). */
  keyId?: string | null;
  note?: string | null;
}

export type LedgerEntry = LedgerEntriesTable;

export type HoldResult = 'ok' | 'insufficient_credits' | 'key_credit_limit_reached';

export interface HoldArgs {
  userId: string;
  /** Micro-credits to hold: the most the task can cost. */
  amount: number;
  taskId: string;
  /** The API key the task was submitted with; its `spent` counts the hold (and its limit caps it). */
  keyId?: string | null;
}

export interface SettleArgs {
  userId: string;
  taskId: string;
  keyId?: string | null;
  /** What `hold` took for the task, micro-credits. */
  held: number;
  /** What the task costs in the end, 0..held micro-credits; the rest goes back. */
  captured: number;
  /** Written on the capture and release rows (e.g. a chat request's tokens and how it ended). */
  note?: string | null;
}

/** A ledger row as its owner sees it: amounts in decimal credits. */
export function publicEntry(e: LedgerEntry) {
  return {
    id: e.id,
    kind: e.kind,
    amount: toCredits(e.amount),
    reserved_delta: toCredits(e.reserved_delta),
    balance_after: toCredits(e.balance_after),
    task_id: e.task_id,
    api_key_id: e.api_key_id,
    note: e.note,
    created_at: e.created_at,
  };
}

function requireMicro(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`ledger: ${name} must be a whole number of micro-credits >= 0, got ${value}`);
}

/**
 * Applies `moves`, in order, to one user inside `trx`: one conditional UPDATE of the users row
 * and one ledger row per movement, all or nothing. The UPDATE adds the movements' sums and
 * requires that neither column goes below zero after any prefix of them (the lowest prefix sum
 * of each), whatever runs concurrently; returns null (and writes nothing) when it would.
 *
 * The users row is the one every request of an account updates, and on PostgreSQL its row lock
 * is held until the commit: the UPDATE and the inserts go as one statement (a data-modifying
 * CTE), so the lock waits for one round trip instead of one per row. Each row's `balance_after`
 * is the new balance less what the movements after it add.
 */
export async function applyMovements(trx: Trx, userId: string, moves: Movement[]): Promise<LedgerEntry[] | null> {
  if (moves.length === 0) return [];
  let amount = 0;
  let reserved = 0;
  let lowestAmount = Infinity;
  let lowestReserved = Infinity;
  const prefix: number[] = [];
  for (const m of moves) {
    amount += m.amount;
    reserved += m.reservedDelta ?? 0;
    lowestAmount = Math.min(lowestAmount, amount);
    lowestReserved = Math.min(lowestReserved, reserved);
    prefix.push(amount);
  }
  const createdAt = nowIso();
  const entries: LedgerEntry[] = moves.map((m) => ({
    id: newId('le'),
    user_id: userId,
    kind: m.kind,
    amount: m.amount,
    reserved_delta: m.reservedDelta ?? 0,
    balance_after: 0,
    task_id: m.taskId ?? null,
    api_key_id: m.keyId ?? null,
    note: m.note ?? null,
    created_at: createdAt,
  }));
  const update = (db: QueryCreator<Database>) =>
    db
      .updateTable('users')
      .set((eb) => ({ balance: eb('balance', '+', amount), reserved: eb('reserved', '+', reserved) }))
      .where('id', '=', userId)
      .where((eb) => eb(eb('balance', '+', lowestAmount), '>=', 0))
      .where((eb) => eb(eb('reserved', '+', lowestReserved), '>=', 0))
      .returning('balance');

  if (trx.getExecutor().adapter instanceof PostgresAdapter) {
    const rows = entries.map(
      (e, i) =>
        sql`(${e.id}::text, ${e.kind}::text, ${e.amount}::bigint, ${e.reserved_delta}::bigint, ${amount - prefix[i]!}::bigint, ${e.task_id}::text, ${e.api_key_id}::text, ${e.note}::text)`,
    );
    const written = await trx
      .with('moved', update)
      .insertInto('ledger_entries')
      .columns(['id', 'user_id', 'kind', 'amount', 'reserved_delta', 'balance_after', 'task_id', 'api_key_id', 'note', 'created_at'])
      .expression(
        sql`SELECT v.id, ${userId}::text, v.kind, v.amount, v.reserved_delta, moved.balance - v.later, v.task_id, v.api_key_id, v.note, ${createdAt}::text
            FROM moved CROSS JOIN (VALUES ${sql.join(rows)}) AS v(id, kind, amount, reserved_delta, later, task_id, api_key_id, note)`,
      )
      .returning(['id', 'balance_after'])
      .execute();
    if (written.length === 0) return null;
    const after = new Map(written.map((w) => [w.id, w.balance_after]));
    for (const e of entries) e.balance_after = after.get(e.id)!;
    return entries;
  }

  const updated = await update(trx).executeTakeFirst();
  if (!updated) return null;
  entries.forEach((e, i) => (e.balance_after = updated.balance - (amount - prefix[i]!)));
  await trx.insertInto('ledger_entries').values(entries).execute();
  return entries;
}

export class LedgerService {
  constructor(private readonly db: Db) {}

  /** Adds (or, with a negative amount, removes) spendable micro-credits outside any task. */
  async credit(userId: string, amount: number, kind: 'grant' | 'topup' | 'redeem' | 'adjustment', note?: string | null, trx?: Trx): Promise<LedgerEntry> {
    if (!Number.isSafeInteger(amount) || amount === 0) throw new AppError(400, 'invalid_amount', 'Amount must be a non-zero whole number of micro-credits.', { param: 'amount' });
    const run = async (t: Trx) => {
      const [entry] = (await applyMovements(t, userId, [{ kind, amount, note }])) ?? [];
      if (!entry) throw new AppError(400, 'insufficient_credits', 'That would take the balance below zero.', { param: 'amount' });
      return entry;
    };
    return trx ? run(trx) : this.db.transaction().execute(run);
  }

  /**
   * Holds a task's price: the key's `spent` goes up by `amount` (refused past its credit limit),
   * then the balance moves to reserved (refused when the balance is short). Returns the refusal
   * rather than throwing it, having written nothing (the key update is undone when the balance
   * refuses); the caller must then throw to roll back its own writes in `trx`, e.g. the task row.
   * Keys are updated before users here and in `settle`, so the two cannot deadlock.
   * An amount of 0 holds nothing and writes nothing.
   */
  async hold(trx: Trx, { userId, amount, taskId, keyId }: HoldArgs): Promise<HoldResult> {
    requireMicro('hold amount', amount);
    if (amount === 0) return 'ok';
    if (keyId) {
      const counted = await trx
        .updateTable('api_keys')
        .set((eb) => ({ spent: eb('spent', '+', amount) }))
        .where('id', '=', keyId)
        .where((eb) => eb.or([eb('credit_limit', 'is', null), eb(eb('spent', '+', amount), '<=', eb.ref('credit_limit'))]))
        .executeTakeFirst();
      if (Number(counted.numUpdatedRows) !== 1) {
        const key = await trx.selectFrom('api_keys').select('id').where('id', '=', keyId).executeTakeFirst();
        if (!key) throw new Error(`ledger: hold for ${taskId} names API key ${keyId}, which does not exist`);
        return 'key_credit_limit_reached';
      }
    }
    if (await applyMovements(trx, userId, [{ kind: 'hold', amount: -amount, reservedDelta: amount, taskId, keyId }])) return 'ok';
    if (keyId) await trx.updateTable('api_keys').set((eb) => ({ spent: eb('spent', '-', amount) })).where('id', '=', keyId).execute();
    return 'insufficient_credits';
  }

  /**
   * Ends a task's hold: `captured` is charged (a `capture` row, when > 0) and `held - captured`
   * goes back to the balance (a `release` row, when > 0) and off the key's `spent`. Throws, as
   * the programming error it is, when `captured` is outside 0..held, when the user's reserved
   * credits or the key's `spent` do not cover it, or when the task was already settled (the
   * unique index on (task_id, kind)).
   */
  async settle(trx: Trx, { userId, taskId, keyId, held, captured, note }: SettleArgs): Promise<void> {
    requireMicro('held', held);
    requireMicro('captured', captured);
    if (captured > held) throw new Error(`ledger: cannot capture ${captured} of the ${held} held for ${taskId}`);
    const back = held - captured;
    if (keyId && back > 0) {
      const lowered = await trx
        .updateTable('api_keys')
        .set((eb) => ({ spent: eb('spent', '-', back) }))
        .where('id', '=', keyId)
        .where('spent', '>=', back)
        .executeTakeFirst();
      if (Number(lowered.numUpdatedRows) !== 1) throw new Error(`ledger: API key ${keyId} has not spent the ${back} given back for ${taskId}`);
    }
    const moves: Movement[] = [];
    if (captured > 0) moves.push({ kind: 'capture', amount: 0, reservedDelta: -captured, taskId, keyId, note });
    if (back > 0) moves.push({ kind: 'release', amount: back, reservedDelta: -back, taskId, keyId, note });
    if (!(await applyMovements(trx, userId, moves))) throw new Error(`ledger: settling ${held} held for ${taskId} exceeds the reserved credits`);
  }

  /** Micro-credits: spendable and held. */
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

  /** The ledger's own sums in micro-credits, to check against the users row (tests, audits). */
  async sums(userId: string): Promise<{ amount: number; reserved: number }> {
    const row = await this.db
      .selectFrom('ledger_entries')
      .select((eb) => [eb.fn.coalesce(eb.fn.sum<number>('amount'), eb.lit(0)).as('amount'), eb.fn.coalesce(eb.fn.sum<number>('reserved_delta'), eb.lit(0)).as('reserved')])
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow();
    return { amount: Number(row.amount), reserved: Number(row.reserved) };
  }

  /**
   * What a key's `spent` should be according to the ledger: captured plus currently held, i.e.
   * the holds made through it less what their releases gave back (captures move no balance).
   */
  async keySpendFromLedger(keyId: string): Promise<number> {
    const row = await this.db
      .selectFrom('ledger_entries')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount'), eb.lit(0)).as('amount'))
      .where('api_key_id', '=', keyId)
      .where('kind', 'in', ['hold', 'release'])
      .executeTakeFirstOrThrow();
    return 0 - Number(row.amount);
  }
}
