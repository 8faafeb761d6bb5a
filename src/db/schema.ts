// Row types as stored. Booleans are 0/1 integers and times ISO-8601 text, so the same
// queries run unchanged on SQLite and PostgreSQL. Money is integer micro-credits (1 credit =
// 1,000,000; src/lib/credits.ts), bigint on PostgreSQL.

export interface UsersTable {
  id: string;
  email: string;
  password_hash: string | null;
  is_admin: number;
  disabled: number;
  /** Spendable credits, in micro-credits. */
  balance: number;
  /** Micro-credits held by tasks that have not finished. */
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
  /** Most this key may spend in all, in micro-credits; null = no limit. */
  credit_limit: number | null;
  /**
   * Micro-credits spent through this key: captured plus currently held (a hold counts at once, so
   * the limit cannot be overrun by tasks in flight; the unused part of a hold is given back when
   * the task settles). Written only by the ledger (hold/settle), for every key.
   */
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
  /** Micro-credits held when the task was submitted (its most it can cost). */
  hold_micro: number;
  /** Micro-credits captured when it settled (0..hold_micro); the rest went back. */
  charged_micro: number;
  /** JSON snapshot of the unit price the task was priced with; null for old tasks. */
  price: string | null;
  /** 1 once the task was charged (captured), else 0. */
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
  /** 0..100 while running, where the provider reports it; else null. */
  progress: number | null;
  /** When the client asked to cancel a running task; the worker acts on it. */
  cancel_requested_at: string | null;
  /** JSON object of what an upstream queue told the worker (e.g. the fal request), to resume it after a crash (007). */
  upstream_state: string | null;
  /** When the retention policy deleted the task's output files (007); null while they are kept. */
  output_expired_at: string | null;
}

export type LedgerKind = 'grant' | 'topup' | 'hold' | 'capture' | 'release' | 'adjustment' | 'redeem';

export interface LedgerEntriesTable {
  id: string;
  user_id: string;
  kind: LedgerKind;
  /** Change to `users.balance`, in micro-credits. */
  amount: number;
  /** Change to `users.reserved`, in micro-credits. */
  reserved_delta: number;
  /** `users.balance` after this movement, in micro-credits. */
  balance_after: number;
  task_id: string | null;
  /** The key whose spend a hold/capture/release counts toward; null for other movements. */
  api_key_id: string | null;
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
  /** The task the first request created, once it exists (007): a retry after a crash is answered with it. */
  task_id: string | null;
  /** While in progress: the lease its request keeps renewing; once passed, its owner is gone (007). */
  locked_until: string | null;
}

// --- dashboard (002) ---------------------------------------------------------------------

export interface SessionsTable {
  /** SHA-256 (hex) of the session token; the token itself is only in the browser's cookie. */
  token_hash: string;
  user_id: string;
  /** The CSRF token of this session (also in the readable `aio_csrf` cookie). */
  csrf_token: string;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
  ip: string | null;
  user_agent: string | null;
}

export interface RedemptionCodesTable {
  id: string;
  /** `AIO-XXXX-XXXX-XXXX`, upper case. */
  code: string;
  /** What the code is worth, in micro-credits. */
  credits_micro: number;
  note: string | null;
  created_by: string | null;
  created_at: string;
  redeemed_by: string | null;
  redeemed_at: string | null;
  /** After this time the code can no longer be redeemed (008); null = never. */
  expires_at: string | null;
  /** Set when an admin voided the code (008). */
  voided_at: string | null;
}

export type OrderStatus = 'pending' | 'paid' | 'expired' | 'failed';

export interface OrdersTable {
  id: string;
  user_id: string;
  pack_id: string;
  /** Credits bought, in micro-credits. */
  credits_micro: number;
  /** Price in US cents. */
  amount_cents: number;
  currency: string;
  status: OrderStatus;
  /** The Checkout Session (`cs_...`); null until Stripe answered. */
  stripe_session_id: string | null;
  created_at: string;
  paid_at: string | null;
  updated_at: string;
}

export interface StripeEventsTable {
  /** Stripe's event id (`evt_...`): each is handled once. */
  id: string;
  type: string;
  received_at: string;
}

export interface ModelOverridesTable {
  model_id: string;
  /** 0/1, or null to keep the catalog file's value. */
  enabled: number | null;
  /** Price per unit (image, second, ...) in micro-credits; null keeps the catalog file's price. */
  unit_price_micro: number | null;
  updated_at: string;
  updated_by: string | null;
}

export interface FilesTable {
  id: string;
  user_id: string;
  livemode: number;
  filename: string;
  content_type: string;
  bytes: number;
  storage_name: string;
  created_at: string;
}

// --- task events and webhooks (005) -------------------------------------------------------

export type TaskEventType = 'queued' | 'running' | 'progress' | 'succeeded' | 'failed' | 'canceled';

export interface TaskEventsTable {
  task_id: string;
  /** 1, 2, 3... per task, in the order the changes were committed: the SSE event id. */
  seq: number;
  type: TaskEventType;
  /** JSON: `{status, progress}` as the task was right after the change. */
  data: string;
  created_at: string;
}

export interface WebhookEndpointsTable {
  id: string;
  user_id: string;
  url: string;
  /** JSON array of event types, e.g. ["task.succeeded"]. */
  events: string;
  /** `whsec_...` (Standard Webhooks: base64 after the prefix). Kept to sign; shown once. */
  secret: string;
  /** The secret before the last rotation, still signing alongside the new one until it expires. */
  previous_secret: string | null;
  previous_secret_expires_at: string | null;
  livemode: number;
  created_at: string;
}

export interface TaskWebhooksTable {
  /** A task submitted with `webhook_url`. */
  task_id: string;
  url: string;
}

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface WebhookDeliveriesTable {
  /** `msg_...`: the `webhook-id` header, the same on every attempt, so receivers can deduplicate. */
  id: string;
  user_id: string;
  /** The account endpoint; null for a task's own `webhook_url`. */
  endpoint_id: string | null;
  task_id: string;
  event_type: string;
  url: string;
  /** The exact body sent (and signed) on every attempt. */
  payload: string;
  livemode: number;
  status: WebhookDeliveryStatus;
  attempts: number;
  next_attempt_at: string;
  /** Set while a worker is sending it; a passed lease means that worker died. */
  lease_until: string | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: string;
  delivered_at: string | null;
}

// --- chat (004) --------------------------------------------------------------------------

export type ChatEndReason = 'stop' | 'length' | 'client_gone' | 'upstream_error' | 'timeout' | 'interrupted';

/** One chat request (direct, no task); its id is the ledger's `task_id` of its hold and settlement. */
export interface ChatRequestsTable {
  id: string;
  user_id: string;
  api_key_id: string | null;
  model: string;
  livemode: number;
  /** The client's wire shape: `openai` (/v1/chat/completions) or `anthropic` (/v1/messages). */
  shape: string;
  stream: number;
  status: 'running' | 'finished';
  node: string | null;
  attempts: number;
  /** JSON ChatPrice: micro-credits per million input, cached-input, cache-write and output tokens. */
  price: string;
  /** The output cap held for (and sent upstream). */
  max_output_tokens: number;
  /** Our tokenizer's count of the prompt. */
  prompt_tokens_counted: number;
  hold_micro: number;
  /** What the usage costs at the price (may exceed the hold only if the upstream overran its cap). */
  cost_micro: number;
  /** What was captured: min(cost, hold). */
  charged_micro: number;
  input_tokens: number;
  cached_input_tokens: number;
  cache_write_tokens: number;
  output_tokens: number;
  /** `upstream` (its usage report), `counted` (our tokenizer), or null while running. */
  usage_source: string | null;
  end_reason: ChatEndReason | null;
  /** The answer's finish reason (stop, length, tool_calls, ...). */
  finish_reason: string | null;
  error_code: string | null;
  request_id: string | null;
  created_at: string;
  first_token_at: string | null;
  finished_at: string | null;
  ttft_ms: number | null;
  latency_ms: number | null;
  /** JSON of the prompt and text of the answer, only when the operator stores them. */
  prompt: string | null;
  completion: string | null;
}

// --- provider connections, password resets (008) ----------------------------------------

export interface ConnectionsTable {
  /** The node id (queues and tasks name it). */
  id: string;
  provider: string;
  name: string | null;
  /** null: the provider's default base URL. */
  base_url: string | null;
  /** AES-256-GCM sealed API key (src/lib/secret-box.ts); null = none. */
  api_key_encrypted: string | null;
  api_key_last4: string | null;
  /** JSON array of model ids. */
  models: string;
  concurrency: number;
  priority: number;
  weight: number;
  enabled: number;
  last_check_at: string | null;
  last_check_ok: number | null;
  last_check_message: string | null;
  created_at: string;
  updated_at: string;
  updated_by: string | null;
}

export interface PasswordResetsTable {
  /** SHA-256 (hex) of the token sent by e-mail. */
  token_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface Database {
  idempotency_keys: IdempotencyKeysTable;
  users: UsersTable;
  api_keys: ApiKeysTable;
  tasks: TasksTable;
  ledger_entries: LedgerEntriesTable;
  sessions: SessionsTable;
  redemption_codes: RedemptionCodesTable;
  orders: OrdersTable;
  stripe_events: StripeEventsTable;
  model_overrides: ModelOverridesTable;
  files: FilesTable;
  task_events: TaskEventsTable;
  webhook_endpoints: WebhookEndpointsTable;
  task_webhooks: TaskWebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  chat_requests: ChatRequestsTable;
  connections: ConnectionsTable;
  password_resets: PasswordResetsTable;
}
