// Shapes the server answers with (README "The API", docs/dashboard-api.md). Money is in credits,
// as decimals (0.35, 0.000123); 1 credit = $0.01. Where the server has an import-free type, it is
// imported from there (type-only: nothing of the server reaches the bundle).
import type { LedgerKind } from '../../src/db/schema.js';

export type { LedgerKind };

export type { ModalityType, ParameterView } from '../../src/modalities/parameter-view.js';
import type { ModalityType, ParameterView } from '../../src/modalities/parameter-view.js';

export interface ModelTexts {
  name?: string;
  pitch?: string;
  description?: string;
  capabilities?: string[];
  use_cases?: string[];
  faq?: { q: string; a: string }[];
}

export type PriceUnit = 'image' | 'second' | '1k_characters' | 'run' | 'megapixel';

export interface ModelPrice {
  unit: PriceUnit;
  /** Credits per unit at the base rate. */
  credits: number;
  usd: number;
  /** Other rates per unit by name, e.g. `{audio: 14}` (credits per second with sound). */
  rates: Record<string, number>;
  billing: 'per_successful_request' | 'per_token';
}

export interface Model {
  id: string;
  object: 'model';
  name: string;
  provider: string;
  type: ModalityType;
  enabled: boolean;
  available: boolean;
  pitch: string;
  description: string;
  /** The route to POST to, e.g. `/api/v1/videos/generations`. */
  endpoint: string;
  /** `/api/v1/tasks/{task_id}` */
  task_endpoint: string;
  method: 'POST';
  auth: 'bearer';
  input_types: string[];
  output_type: string;
  price: ModelPrice;
  parameters: ParameterView[];
  /** A full example request body. */
  example: Record<string, unknown>;
  /** Image models: each `size` value in pixels. */
  sizes?: Record<string, { width: number; height: number }>;
  capabilities: string[];
  use_cases: string[];
  faq: { q: string; a: string }[];
  example_prompt?: string;
  i18n: Record<string, ModelTexts>;
}

export interface User {
  id: string;
  email: string;
  is_admin: boolean;
  created_at: string;
}

export interface ApiKey {
  id: string;
  object: 'api_key';
  name: string | null;
  prefix: string;
  livemode: boolean;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
  /** Credits; null = no limit. */
  credit_limit: number | null;
  /** Credits. */
  spent: number;
  allowed_models: string[] | null;
}

export interface LedgerEntry {
  id: string;
  kind: LedgerKind;
  /** Change to the balance, in credits. */
  amount: number;
  /** Change to the reserved credits. */
  reserved_delta: number;
  balance_after: number;
  task_id: string | null;
  /** The key a hold, capture or release counts toward; null otherwise. */
  api_key_id: string | null;
  note: string | null;
  created_at: string;
}

/** A line of the ledger read as money (`view=statement`): a task with what it cost, or a credit. */
export interface StatementLine {
  id: string;
  kind: 'grant' | 'topup' | 'redeem' | 'adjustment' | 'task';
  /** Task lines: held while it runs, charged, or not charged (failed, canceled, free). */
  status: 'held' | 'charged' | 'not_charged' | null;
  /** Change to the account's credits, in credits: minus what a task cost, plus what was added. */
  amount: number;
  /** Task lines: the credits held for it. */
  held: number | null;
  /** The account's credits (balance plus held) after this line. */
  balance_after: number;
  task_id: string | null;
  model: string | null;
  api_key_id: string | null;
  note: string | null;
  created_at: string;
}

export interface Order {
  id: string;
  pack_id: string;
  credits: number;
  amount_usd: number;
  status: 'pending' | 'paid' | 'expired' | 'failed';
  created_at: string;
  paid_at: string | null;
}

export type TaskStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'canceled';

export interface TaskImage {
  url: string;
  format: string;
  width: number;
  height: number;
  bytes: number;
  seed?: number;
}

export interface TaskVideo {
  url: string;
  width: number;
  height: number;
  duration_s: number;
  format: 'mp4';
  bytes: number;
  thumbnail_url: string;
}

export interface TaskAudio {
  url: string;
  format: string;
  duration_s: number;
  bytes: number;
  sample_rate: number;
}

export interface TaskOutput {
  images?: TaskImage[];
  videos?: TaskVideo[];
  audio?: TaskAudio[];
}

export interface Task {
  id: string;
  object: 'task';
  type: ModalityType;
  model: string;
  status: TaskStatus;
  /** 0–100 while running, where the upstream tells; null otherwise. */
  progress: number | null;
  input: Record<string, unknown>;
  output: TaskOutput | null;
  error: { code: string; message: string } | null;
  /** Credits held (then charged) for the task: a decimal. */
  cost: { credits: number; charged: boolean };
  livemode: boolean;
  node: string | null;
  attempts: number;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  user_email?: string;
}
