// Money in integer micro-credits (1 credit = 1,000,000), so per-second and per-token prices stay
// exact. Every money column is multiplied by 1,000,000 (bigint on PostgreSQL first: int4 ends at
// 2,147 credits); columns whose name said "credits" are renamed to say what they now hold. Tasks
// learn what they held and what they captured, and ledger rows which API key's spend they count.
import { PostgresAdapter, sql, type Kysely } from 'kysely';

const MICRO = 1_000_000;

/** Every money column as it is named at 002. */
const MONEY: Record<string, string[]> = {
  users: ['balance', 'reserved'],
  ledger_entries: ['amount', 'reserved_delta', 'balance_after'],
  api_keys: ['credit_limit', 'spent'],
  tasks: ['cost_credits'],
  model_overrides: ['price_credits'],
  redemption_codes: ['credits'],
  orders: ['credits'],
};

const RENAMES: Array<[table: string, from: string, to: string]> = [
  ['tasks', 'cost_credits', 'hold_micro'],
  ['model_overrides', 'price_credits', 'unit_price_micro'],
  ['redemption_codes', 'credits', 'credits_micro'],
  ['orders', 'credits', 'credits_micro'],
];

export async function up(db: Kysely<any>): Promise<void> {
  // The migrator runs each PostgreSQL migration in a transaction, but not SQLite's: do it here,
  // so a failure halfway cannot leave some amounts multiplied and others not.
  if (db.getExecutor().adapter instanceof PostgresAdapter) await migrate(db, 'postgres');
  else await db.transaction().execute((trx) => migrate(trx, 'sqlite'));
}

async function migrate(db: Kysely<any>, kind: 'sqlite' | 'postgres'): Promise<void> {
  for (const [table, columns] of Object.entries(MONEY)) {
    if (kind === 'postgres')
      for (const column of columns) await db.schema.alterTable(table).alterColumn(column, (c) => c.setDataType('bigint')).execute();
    const assignments = columns.map((c) => sql`${sql.ref(c)} = ${sql.ref(c)} * ${sql.lit(MICRO)}`);
    await sql`UPDATE ${sql.table(table)} SET ${sql.join(assignments)}`.execute(db);
  }
  for (const [table, from, to] of RENAMES) await db.schema.alterTable(table).renameColumn(from, to).execute();

  await db.schema.alterTable('tasks').addColumn('charged_micro', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('tasks').addColumn('price', 'text').execute();
  await db.schema.alterTable('tasks').addColumn('progress', 'integer').execute();
  await db.schema.alterTable('tasks').addColumn('cancel_requested_at', 'text').execute();
  await sql`UPDATE tasks SET charged_micro = hold_micro WHERE status = 'succeeded' AND charged = 1`.execute(db);

  await db.schema.alterTable('ledger_entries').addColumn('api_key_id', 'text').execute();
  await sql`
    UPDATE ledger_entries SET api_key_id = (SELECT tasks.api_key_id FROM tasks WHERE tasks.id = ledger_entries.task_id)
    WHERE kind IN ('hold', 'capture', 'release') AND task_id IS NOT NULL`.execute(db);
  await db.schema.createIndex('ledger_api_key').on('ledger_entries').column('api_key_id').execute();

  // `spent` (captured + held) used to be kept only for keys with a limit; the ledger now keeps it
  // for every key, so keys without one start from what their ledger rows say.
  await sql`
    UPDATE api_keys SET spent = (
      SELECT COALESCE(-SUM(amount), 0) FROM ledger_entries
      WHERE ledger_entries.api_key_id = api_keys.id AND kind IN ('hold', 'release'))
    WHERE credit_limit IS NULL`.execute(db);
}
