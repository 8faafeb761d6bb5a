// Shapes the server answers with (see docs/dashboard-api.md). Where the server has the type,
// it is imported from there (type-only: nothing of the server reaches the bundle).
import type { LedgerEntriesTable } from '../../src/db/schema.js';
import type { ParameterView } from '../../src/services/model-view.js';

export type { ParameterView };

export interface ModelTexts {
  name?: string;
  pitch?: string;
  description?: string;
  capabilities?: string[];
  use_cases?: string[];
  faq?: { q: string; a: string }[];
}

export interface Model {
  id: string;
  object: 'model';
  name: string;
  provider: string;
  type: string;
  enabled: boolean;
  available: boolean;
  nodes: string[];
  pitch: string;
  description: string;
  endpoint: string | null;
  task_endpoint: string;
  method: string;
  auth: string;
  webhook_required: boolean;
  input_types: string[];
  output_type: string;
  price: { credits: number; usd: number; unit: string; billing: string };
  parameters: ParameterView[];
  sizes: Record<string, { width: number; height: number }>;
  capabilities: string[];
  use_cases: string[];
  faq: { q: string; a: string }[];
  example_prompt: string;
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
  credit_limit: number | null;
  spent: number;
  allowed_models: string[] | null;
}

export type LedgerKind = LedgerEntriesTable['kind'];

export type LedgerEntry = Omit<LedgerEntriesTable, 'user_id'>;

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

export interface Task {
  id: string;
  object: 'task';
  type: string;
  model: string;
  status: TaskStatus;
  input: Record<string, unknown> & { prompt?: string };
  output: { images: TaskImage[] } | null;
  error: { code: string; message: string } | null;
  cost: { credits: number; charged: boolean };
  livemode: boolean;
  node: string | null;
  attempts: number;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  user_email?: string;
}
