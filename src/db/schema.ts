// Row types as stored. Booleans are 0/1 integers and times ISO-8601 text, so the same
// queries run unchanged on SQLite and PostgreSQL.

export interface UsersTable {
  id: string;
  email: string;
  password_hash: string | null;
  is_admin: number;
  disabled: number;
  /** Spendable credits. */
  balance: number;
  /** Credits held by tasks that have not finished. */
  reserved: number;
  created_at: string;
}

export interface ApiKeysTable {
  id: string;
  user_id: string;
  name: string;
  /** The readable start of the key, e.g. `aio_test_Ab3x`, shown in lists. */
  prefix: string;
  /** Random characters used to find the row; the hash decides. */
  lookup: string;
  /** SHA-256 of the whole key, hex. */
  hash: string;
  livemode: number;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
  /** Most credits this key may spend in all; null = no limit. */
  credit_limit: number | null;
  /** Credits spent (captured) through this key. */
  spent: number;
  /** JSON array of model ids, or null for all. */
  allowed_models: string | null;
}

export interface TasksTable {
  id: string;
  user_id: string;
  api_key_id: string | null;
  type: string;
  model: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed' | 'canceled';
  input: string;
  output: string | null;
  error: string | null;
  cost_credits: number;
  charged: number;
  livemode: number;
  node: string | null;
  attempts: number;
  request_id: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  /** Set while running; a task whose lease passed was left by a dead worker. */
  lease_until: string | null;
}

export type LedgerKind = 'grant' | 'topup' | 'hold' | 'capture' | 'release' | 'adjustment' | 'redeem';

export interface LedgerEntriesTable {
  id: string;
  user_id: string;
  kind: LedgerKind;
  /** Change to `users.balance`. */
  amount: number;
  /** Change to `users.reserved`. */
  reserved_delta: number;
  balance_after: number;
  task_id: string | null;
  note: string | null;
  created_at: string;
}

export interface IdempotencyKeysTable {
  user_id: string;
  key: string;
  request_hash: string;
  /** Null while the first request is still being answered. */
  status_code: number | null;
  response: string | null;
  created_at: string;
}

export interface Database {
  idempotency_keys: IdempotencyKeysTable;
  users: UsersTable;
  api_keys: ApiKeysTable;
  tasks: TasksTable;
  ledger_entries: LedgerEntriesTable;
}
