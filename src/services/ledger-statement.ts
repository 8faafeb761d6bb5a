// The ledger as a statement people read as money (GET /api/account/ledger?view=statement): one
// line per task or chat request with what it cost, its hold and release folded away once it is
// settled, and every other movement (grant, top-up, code, adjustment) as it is. Read only.
//
// A task writes `hold` (balance -> reserved), then `capture` (reserved -> gone) and/or `release`
// (reserved -> balance). Its line is its capture when it was charged, else its release (nothing
// charged), else its hold (still running). `balance_after` is the account's total after the line:
// balance plus reserved, which only charges and credits change, so the lines add up.
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { LedgerKind } from '../db/schema.js';
import { toCredits } from '../lib/credits.js';

export const STATEMENT_KINDS = ['grant', 'topup', 'redeem', 'adjustment', 'task'] as const;
export type StatementKind = (typeof STATEMENT_KINDS)[number];

const CREDIT_KINDS: LedgerKind[] = ['grant', 'topup', 'redeem', 'adjustment'];

export interface StatementLine {
  /** The ledger entry the line stands on (the cursor for `starting_after`). */
  id: string;
  kind: StatementKind;
  /** Task lines: `held` while it runs, `charged` (cost > 0), `not_charged` (failed, canceled or free). */
  status: 'held' | 'charged' | 'not_charged' | null;
  /** Change to the account's credits: what a task cost (negative), or what was added. */
  amount: number;
  /** Task lines: the credits held for it (given back, less its cost, when it ended). */
  held: number | null;
  /** The account's credits (balance plus reserved) after this line. */
  balance_after: number;
  task_id: string | null;
  /** Task lines: the model it ran. */
  model: string | null;
  api_key_id: string | null;
  note: string | null;
  created_at: string;
}

export async function ledgerStatement(
  db: Db,
  userId: string,
  opts: { limit: number; before?: string; kind?: StatementKind },
): Promise<{ lines: StatementLine[]; hasMore: boolean }> {
  let q = db
    .selectFrom('ledger_entries as e')
    .selectAll('e')
    .select((eb) =>
      eb
        .selectFrom('ledger_entries as x')
        .select(sql<string | number>`COALESCE(SUM(x.amount + x.reserved_delta), 0)`.as('total'))
        .whereRef('x.user_id', '=', 'e.user_id')
        .whereRef('x.id', '<=', 'e.id')
        .as('total_after'),
    )
    .where('e.user_id', '=', userId)
    .where((eb) => {
      const settledBy = (kinds: LedgerKind[]) =>
        eb.exists(eb.selectFrom('ledger_entries as s').select('s.id').whereRef('s.task_id', '=', 'e.task_id').where('s.kind', 'in', kinds));
      const taskLine = eb.or([
        eb('e.kind', '=', 'capture'),
        eb.and([eb('e.kind', '=', 'release'), eb.not(settledBy(['capture']))]),
        eb.and([eb('e.kind', '=', 'hold'), eb.not(settledBy(['capture', 'release']))]),
      ]);
      if (opts.kind === 'task') return taskLine;
      if (opts.kind) return eb('e.kind', '=', opts.kind);
      return eb.or([eb('e.kind', 'in', CREDIT_KINDS), taskLine]);
    });
  if (opts.before) q = q.where('e.id', '<', opts.before);
  const rows = await q.orderBy('e.id', 'desc').limit(opts.limit + 1).execute();
  const page = rows.slice(0, opts.limit);

  const taskIds = [...new Set(page.map((r) => r.task_id).filter((id): id is string => id !== null))];
  const holds = new Map<string, number>();
  const models = new Map<string, string>();
  if (taskIds.length) {
    const held = await db.selectFrom('ledger_entries').select(['task_id', 'reserved_delta']).where('task_id', 'in', taskIds).where('kind', '=', 'hold').execute();
    for (const h of held) if (h.task_id) holds.set(h.task_id, Number(h.reserved_delta));
    const tasks = await db.selectFrom('tasks').select(['id', 'model']).where('id', 'in', taskIds).execute();
    const chats = await db.selectFrom('chat_requests').select(['id', 'model']).where('id', 'in', taskIds).execute();
    for (const t of [...tasks, ...chats]) models.set(t.id, t.model);
  }

  const lines = page.map((r): StatementLine => {
    const task = !CREDIT_KINDS.includes(r.kind);
    // A capture's reserved_delta is minus what was charged; a hold or a release changes nothing in total.
    const amount = task ? (r.kind === 'capture' ? Number(r.reserved_delta) : 0) : Number(r.amount);
    return {
      id: r.id,
      kind: task ? 'task' : (r.kind as StatementKind),
      status: !task ? null : r.kind === 'capture' ? 'charged' : r.kind === 'release' ? 'not_charged' : 'held',
      amount: toCredits(amount),
      held: task && r.task_id ? toCredits(holds.get(r.task_id) ?? 0) : null,
      balance_after: toCredits(Number(r.total_after)),
      task_id: r.task_id,
      model: r.task_id ? (models.get(r.task_id) ?? null) : null,
      api_key_id: r.api_key_id,
      note: r.note,
      created_at: r.created_at,
    };
  });
  return { lines, hasMore: rows.length > opts.limit };
}
