// `aio audit`: checks, on the configured database, every invariant the money core promises, and
// names the rows that break one. It only reads, inside one snapshot (a repeatable-read, read-only
// transaction on PostgreSQL; a transaction on SQLite, whose WAL readers see one snapshot), so it
// can run beside live traffic: a task settling mid-audit is seen either before or after.
//
// A task's (or chat request's) money, as src/services/ledger.ts writes it: one `hold` row
// (amount -H, reserved_delta +H) when it is made, and when it ends one `capture` (0, -C) and/or
// one `release` (+R, -R) with C + R = H. Amounts are integer micro-credits.
import { sql, type Kysely } from 'kysely';
import type { Settings } from '../config/settings.js';
import type { Db, DbKind } from '../db/database.js';
import type { Database } from '../db/schema.js';

export type AuditCheck =
  | 'balance_matches_ledger'
  | 'reserved_matches_ledger'
  | 'reserved_matches_open_holds'
  | 'no_negative_amounts'
  | 'ledger_row_shape'
  | 'task_settlement'
  | 'chat_settlement'
  | 'orphan_ledger_rows'
  | 'stale_open_hold'
  | 'key_spend_matches_ledger';

export const AUDIT_CHECKS: Record<AuditCheck, string> = {
  balance_matches_ledger: "each user's balance equals the sum of its ledger amounts",
  reserved_matches_ledger: "each user's reserved equals the sum of its ledger reserved_delta",
  reserved_matches_open_holds: "each user's reserved equals its open holds (per task: hold minus capture and release)",
  no_negative_amounts: 'no balance, reserved or key spend is negative',
  ledger_row_shape: 'hold, capture and release rows move money the way their kind says, and name a task',
  task_settlement: 'every task holds its price once; a finished one has exactly one settlement (capture + release = hold, charged = capture); an open one none',
  chat_settlement: 'every chat request holds once; a finished one has exactly one settlement (capture + release = hold, charged = capture)',
  orphan_ledger_rows: 'every ledger row that names a task names an existing task or chat request',
  stale_open_hold: 'no task or chat request has held credits for longer than the task timeout',
  key_spend_matches_ledger: "each API key's spent equals its holds less its releases",
};

export interface AuditFinding {
  check: AuditCheck;
  message: string;
  /** The offending row with the figures that disagree (micro-credits). */
  row: Record<string, unknown>;
}

export interface AuditReport {
  ok: boolean;
  database: DbKind;
  checkedAt: string;
  /** Open holds older than this count as stale. */
  taskTimeoutMs: number;
  counts: { users: number; apiKeys: number; tasks: number; chatRequests: number | null; ledgerRows: number };
  /** Every check and how many rows break it. */
  checks: Array<{ check: AuditCheck; description: string; violations: number }>;
  /** The offending rows, at most `limit` per check. */
  findings: AuditFinding[];
  notes: string[];
}

export interface AuditOptions {
  kind: DbKind;
  /** An open hold older than this is stale (see defaultTaskTimeoutMs). */
  taskTimeoutMs: number;
  /** Most offending rows listed per check (all are counted); default 50. */
  limit?: number;
  now?: Date;
}

/**
 * The longest a task can rightly stay open: every attempt timing out upstream and losing its
 * worker's lease, the back-off between attempts and a sweep, doubled for time spent queued.
 */
export function defaultTaskTimeoutMs(settings: Pick<Settings, 'maxAttempts' | 'upstreamTimeoutMs' | 'leaseMs' | 'retryBaseMs' | 'sweepMs'>): number {
  const attempts = settings.maxAttempts * (settings.upstreamTimeoutMs + settings.leaseMs);
  const backoff = settings.retryBaseMs * 2 ** settings.maxAttempts;
  return 2 * (attempts + backoff + settings.sweepMs);
}

const FINISHED_TASK = new Set(['succeeded', 'failed', 'canceled']);
const OPEN_TASK = new Set(['queued', 'running']);

interface SettlementRow {
  id: string;
  user_id: string;
  status: string;
  hold_micro: number;
  charged_micro: number;
  charged?: number;
  created_at: string;
  holds: number;
  held: number;
  captures: number;
  captured: number;
  releases: number;
  released: number;
  reserved_left: number;
}

/** Audits the database in a snapshot of its own. */
export async function auditDatabase(db: Db, opts: AuditOptions): Promise<AuditReport> {
  const run = (trx: Kysely<Database>) => auditSnapshot(trx, opts);
  if (opts.kind === 'postgres') return db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only').execute(run);
  return db.transaction().execute(run);
}

/** The checks on `db` as given: a transaction the caller holds (it sees the caller's own writes). */
export async function auditSnapshot(db: Kysely<Database>, opts: AuditOptions): Promise<AuditReport> {
  const limit = opts.limit ?? 50;
  const now = opts.now ?? new Date();
  const staleBefore = new Date(now.getTime() - opts.taskTimeoutMs).toISOString();
  const violations = new Map<AuditCheck, number>(Object.keys(AUDIT_CHECKS).map((c) => [c as AuditCheck, 0]));
  const findings: AuditFinding[] = [];
  const notes: string[] = [];
  const report = (check: AuditCheck, message: string, row: Record<string, unknown>) => {
    const n = violations.get(check)! + 1;
    violations.set(check, n);
    if (n <= limit) findings.push({ check, message, row });
  };

  const hasChat = (await db.introspection.getTables()).some((t) => t.name === 'chat_requests');
  if (!hasChat) notes.push('chat_requests does not exist in this database (migration 004_chat not applied): chat_settlement skipped');

  // --- users: balance and reserved against the ledger and the open holds ---------------------
  const users = await sql<{ id: string; email: string; balance: unknown; reserved: unknown; amount_sum: unknown; reserved_sum: unknown; open_holds: unknown }>`
    SELECT u.id, u.email, u.balance, u.reserved,
      COALESCE(l.amount_sum, 0) AS amount_sum, COALESCE(l.reserved_sum, 0) AS reserved_sum, COALESCE(l.open_holds, 0) AS open_holds
    FROM users u LEFT JOIN (
      SELECT user_id, SUM(amount) AS amount_sum, SUM(reserved_delta) AS reserved_sum,
        SUM(CASE WHEN task_id IS NOT NULL AND kind IN ('hold', 'capture', 'release') THEN reserved_delta ELSE 0 END) AS open_holds
      FROM ledger_entries GROUP BY user_id
    ) l ON l.user_id = u.id
    ORDER BY u.id`.execute(db);
  for (const r of users.rows) {
    const [balance, reserved, amountSum, reservedSum, openHolds] = [r.balance, r.reserved, r.amount_sum, r.reserved_sum, r.open_holds].map(Number) as [number, number, number, number, number];
    const row = { user_id: r.id, email: r.email, balance, reserved };
    if (balance !== amountSum) report('balance_matches_ledger', `balance ${balance} but the ledger amounts sum to ${amountSum}`, { ...row, ledger_amount_sum: amountSum });
    if (reserved !== reservedSum) report('reserved_matches_ledger', `reserved ${reserved} but the ledger reserved_delta sums to ${reservedSum}`, { ...row, ledger_reserved_sum: reservedSum });
    if (reserved !== openHolds) report('reserved_matches_open_holds', `reserved ${reserved} but its open holds come to ${openHolds}`, { ...row, open_holds: openHolds });
    if (balance < 0 || reserved < 0) report('no_negative_amounts', `balance ${balance}, reserved ${reserved}`, row);
  }

  // --- ledger rows whose kind and amounts disagree ---------------------------------------------
  const misshapen = await db
    .selectFrom('ledger_entries')
    .select(['id', 'user_id', 'kind', 'amount', 'reserved_delta', 'task_id', 'api_key_id'])
    .where((eb) =>
      eb.or([
        eb.and([eb('kind', '=', 'hold'), eb.or([eb('amount', '>=', 0), eb('reserved_delta', '!=', eb.neg(eb.ref('amount'))), eb('task_id', 'is', null)])]),
        eb.and([eb('kind', '=', 'capture'), eb.or([eb('amount', '!=', 0), eb('reserved_delta', '>=', 0), eb('task_id', 'is', null)])]),
        eb.and([eb('kind', '=', 'release'), eb.or([eb('amount', '<=', 0), eb('reserved_delta', '!=', eb.neg(eb.ref('amount'))), eb('task_id', 'is', null)])]),
        eb.and([eb('kind', 'not in', ['hold', 'capture', 'release']), eb('reserved_delta', '!=', 0)]),
      ]),
    )
    .orderBy('id')
    .execute();
  for (const e of misshapen) report('ledger_row_shape', `a ${e.kind} row with amount ${e.amount}, reserved_delta ${e.reserved_delta}, task ${e.task_id ?? 'none'}`, { ...e, amount: Number(e.amount), reserved_delta: Number(e.reserved_delta) });

  // --- tasks and chat requests: one hold, one settlement ---------------------------------------
  const perTask = sql`
    SELECT task_id,
      SUM(CASE WHEN kind = 'hold' THEN 1 ELSE 0 END) AS holds,
      SUM(CASE WHEN kind = 'hold' THEN reserved_delta ELSE 0 END) AS held,
      SUM(CASE WHEN kind = 'capture' THEN 1 ELSE 0 END) AS captures,
      SUM(CASE WHEN kind = 'capture' THEN -reserved_delta ELSE 0 END) AS captured,
      SUM(CASE WHEN kind = 'release' THEN 1 ELSE 0 END) AS releases,
      SUM(CASE WHEN kind = 'release' THEN amount ELSE 0 END) AS released,
      SUM(reserved_delta) AS reserved_left
    FROM ledger_entries WHERE task_id IS NOT NULL GROUP BY task_id`;
  const tasks = await sql<Record<string, unknown>>`
    SELECT t.id, t.user_id, t.status, t.hold_micro, t.charged_micro, t.charged, t.created_at,
      l.holds, l.held, l.captures, l.captured, l.releases, l.released, l.reserved_left
    FROM tasks t LEFT JOIN (${perTask}) l ON l.task_id = t.id
    ORDER BY t.id`.execute(db);
  for (const raw of tasks.rows) checkSettlement('task_settlement', numbers(raw), { staleBefore, report, finished: FINISHED_TASK, open: OPEN_TASK });

  let chatCount: number | null = null;
  if (hasChat) {
    const chats = await sql<Record<string, unknown>>`
      SELECT c.id, c.user_id, c.status, c.hold_micro, c.charged_micro, c.created_at,
        l.holds, l.held, l.captures, l.captured, l.releases, l.released, l.reserved_left
      FROM chat_requests c LEFT JOIN (${perTask}) l ON l.task_id = c.id
      ORDER BY c.id`.execute(db);
    chatCount = chats.rows.length;
    for (const raw of chats.rows) checkSettlement('chat_settlement', numbers(raw), { staleBefore, report, finished: new Set(['finished']), open: new Set(['running']) });
  }

  const orphans = await sql<{ id: string; user_id: string; kind: string; task_id: string; amount: unknown; reserved_delta: unknown }>`
    SELECT e.id, e.user_id, e.kind, e.task_id, e.amount, e.reserved_delta FROM ledger_entries e
    WHERE e.task_id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.id = e.task_id)
      ${hasChat ? sql`AND NOT EXISTS (SELECT 1 FROM chat_requests c WHERE c.id = e.task_id)` : sql``}
    ORDER BY e.id`.execute(db);
  for (const e of orphans.rows)
    report('orphan_ledger_rows', `a ${e.kind} row for ${e.task_id}, which is neither a task nor a chat request`, { ...e, amount: Number(e.amount), reserved_delta: Number(e.reserved_delta) });

  // --- API keys: spent = holds - releases ------------------------------------------------------
  const keys = await sql<{ id: string; user_id: string; spent: unknown; from_ledger: unknown }>`
    SELECT k.id, k.user_id, k.spent, COALESCE(l.from_ledger, 0) AS from_ledger
    FROM api_keys k LEFT JOIN (
      SELECT api_key_id, -SUM(amount) AS from_ledger FROM ledger_entries WHERE kind IN ('hold', 'release') AND api_key_id IS NOT NULL GROUP BY api_key_id
    ) l ON l.api_key_id = k.id
    ORDER BY k.id`.execute(db);
  for (const k of keys.rows) {
    const [spent, fromLedger] = [Number(k.spent), Number(k.from_ledger)];
    const row = { api_key_id: k.id, user_id: k.user_id, spent, ledger_spend: fromLedger };
    if (spent !== fromLedger) report('key_spend_matches_ledger', `spent ${spent} but its holds less releases come to ${fromLedger}`, row);
    if (spent < 0) report('no_negative_amounts', `key spent ${spent}`, row);
  }

  const ledgerRows = await db.selectFrom('ledger_entries').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  const checks = (Object.keys(AUDIT_CHECKS) as AuditCheck[])
    .filter((check) => hasChat || check !== 'chat_settlement')
    .map((check) => ({ check, description: AUDIT_CHECKS[check], violations: violations.get(check)! }));
  return {
    ok: checks.every((c) => c.violations === 0),
    database: opts.kind,
    checkedAt: now.toISOString(),
    taskTimeoutMs: opts.taskTimeoutMs,
    counts: { users: users.rows.length, apiKeys: keys.rows.length, tasks: tasks.rows.length, chatRequests: chatCount, ledgerRows: Number(ledgerRows.n) },
    checks,
    findings,
    notes,
  };
}

/** SUMs come back as strings from PostgreSQL (numeric), and as null for a task with no ledger rows. */
function numbers(raw: Record<string, unknown>): SettlementRow {
  const n = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
  return {
    id: String(raw.id),
    user_id: String(raw.user_id),
    status: String(raw.status),
    created_at: String(raw.created_at),
    hold_micro: n(raw.hold_micro),
    charged_micro: n(raw.charged_micro),
    charged: raw.charged === undefined ? undefined : n(raw.charged),
    holds: n(raw.holds),
    held: n(raw.held),
    captures: n(raw.captures),
    captured: n(raw.captured),
    releases: n(raw.releases),
    released: n(raw.released),
    reserved_left: n(raw.reserved_left),
  };
}

function checkSettlement(
  check: 'task_settlement' | 'chat_settlement',
  r: SettlementRow,
  ctx: { staleBefore: string; finished: Set<string>; open: Set<string>; report: (check: AuditCheck, message: string, row: Record<string, unknown>) => void },
): void {
  const problems: string[] = [];
  const finished = ctx.finished.has(r.status);
  const open = ctx.open.has(r.status);
  if (!finished && !open) problems.push(`unknown status '${r.status}'`);
  if (r.hold_micro === 0) {
    if (r.holds + r.captures + r.releases > 0) problems.push(`holds nothing but has ${r.holds} hold, ${r.captures} capture and ${r.releases} release rows`);
    if (r.charged_micro !== 0) problems.push(`holds nothing but charged_micro is ${r.charged_micro}`);
  } else {
    if (r.holds !== 1) problems.push(`${r.holds} hold rows (expected 1)`);
    else if (r.held !== r.hold_micro) problems.push(`its hold row holds ${r.held}, the row says ${r.hold_micro}`);
    if (finished) {
      if (r.captures > 1 || r.releases > 1 || r.captures + r.releases === 0)
        problems.push(`${r.captures} capture and ${r.releases} release rows (expected exactly one settlement)`);
      if (r.captured + r.released !== r.hold_micro) problems.push(`captured ${r.captured} + released ${r.released} != hold ${r.hold_micro}`);
      if (r.charged_micro !== r.captured) problems.push(`charged_micro ${r.charged_micro} but captured ${r.captured}`);
      if (r.status === 'failed' || r.status === 'canceled') {
        if (r.captured !== 0) problems.push(`${r.status} yet captured ${r.captured}`);
      }
      if (r.reserved_left !== 0) problems.push(`still reserves ${r.reserved_left} after it ended`);
    } else if (open) {
      if (r.captures + r.releases > 0) problems.push(`still ${r.status} but already has ${r.captures} capture and ${r.releases} release rows`);
      if (r.created_at < ctx.staleBefore)
        ctx.report('stale_open_hold', `${r.status} since ${r.created_at}, holding ${r.hold_micro}`, { id: r.id, user_id: r.user_id, status: r.status, hold_micro: r.hold_micro, created_at: r.created_at });
    }
  }
  if (r.charged !== undefined && r.charged !== (r.charged_micro > 0 ? 1 : 0)) problems.push(`charged flag ${r.charged} but charged_micro ${r.charged_micro}`);
  if (problems.length) ctx.report(check, problems.join('; '), { ...r });
}

/** The report as lines for a terminal. */
export function formatAudit(report: AuditReport): string {
  const c = report.counts;
  const lines = [
    `audit of the ${report.database} database at ${report.checkedAt}: ${c.users} users, ${c.apiKeys} keys, ${c.tasks} tasks, ${c.chatRequests ?? 'no'} chat requests, ${c.ledgerRows} ledger rows`,
  ];
  for (const check of report.checks) lines.push(`  ${check.violations === 0 ? 'ok  ' : 'FAIL'}  ${check.check.padEnd(28)} ${check.violations === 0 ? check.description : `${check.violations} offending row(s)`}`);
  for (const f of report.findings) lines.push(`  ${f.check}: ${f.message}\n      ${JSON.stringify(f.row)}`);
  const listed = report.findings.length;
  const total = report.checks.reduce((sum, check) => sum + check.violations, 0);
  if (total > listed) lines.push(`  (${total - listed} more offending rows not listed)`);
  for (const note of report.notes) lines.push(`  note: ${note}`);
  lines.push(report.ok ? 'audit: clean' : `audit: ${total} violation(s)`);
  return lines.join('\n');
}
