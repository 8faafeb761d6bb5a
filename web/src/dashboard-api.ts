// The dashboard API (docs/dashboard-api.md): session cookie + CSRF header. The browser holds no
// API key: the playground runs on the session with a key chosen by id.
import { get, type List, patch, post, request, withQuery } from './api';
import type { ApiKey, LedgerEntry, ModalityType, Order, StatementLine, Task, User } from './types';

export interface UploadedFile {
  id: string;
  object: 'file';
  filename: string;
  content_type: string;
  bytes: number;
  url: string;
  /** `aio-file://{id}`: what a task's image parameter takes. */
  uri: string;
  livemode: boolean;
  created_at: string;
}

export interface Billing {
  stripe_enabled: boolean;
  packs: { id: string; credits: number; amount_usd: number; name: string }[];
}

export const dashboardApi = {
  session: () => get<{ user: User | null; csrf_token: string | null }>('/api/auth/session'),
  signup: (email: string, password: string) => post<{ user: User }>('/api/auth/signup', { email, password }),
  login: (email: string, password: string) => post<{ user: User }>('/api/auth/login', { email, password }),
  logout: () => post<void>('/api/auth/logout'),
  changePassword: (current_password: string, new_password: string) => post<void>('/api/auth/password', { current_password, new_password }),
  account: () => get<{ user: User; balance: number; reserved: number }>('/api/account'),
  keys: () => get<List<ApiKey>>('/api/account/keys'),
  createKey: (body: { name?: string; test?: boolean; expires_at?: string; credit_limit?: number; allowed_models?: string[] }) =>
    post<ApiKey & { key: string }>('/api/account/keys', body),
  /** Changes a key's settings: only the fields given; null clears one. */
  updateKey: (id: string, body: { name?: string; expires_at?: string | null; credit_limit?: number | null; allowed_models?: string[] | null }) =>
    patch<ApiKey>(`/api/account/keys/${encodeURIComponent(id)}`, body),
  /** A new secret for the key (shown once); the old one stops working. */
  rollKey: (id: string) => post<ApiKey & { key: string }>(`/api/account/keys/${encodeURIComponent(id)}/roll`),
  revokeKey: (id: string) => post<ApiKey>(`/api/account/keys/${encodeURIComponent(id)}/revoke`),
  ledger: (q: { limit?: number; starting_after?: string; kind?: string }) => get<List<LedgerEntry>>('/api/account/ledger', q),
  /** The ledger as money: one line per task with what it cost. */
  statement: (q: { limit?: number; starting_after?: string; kind?: string }) => get<List<StatementLine>>('/api/account/ledger', { ...q, view: 'statement' }),
  /** Runs a task of `type` on the session as key `keyId` would; `waitS` holds the answer for the result. */
  playgroundRun: (type: ModalityType, keyId: string, body: Record<string, unknown>, opts: { waitS?: number; signal?: AbortSignal } = {}) =>
    request<Task>('POST', withQuery(`/api/account/playground/${type}`, { key_id: keyId, wait: opts.waitS }), { body, signal: opts.signal }),
  /** Uploads an input image for key `keyId`'s mode; pass its `uri` (`aio-file://...`) as the image parameter. */
  playgroundUpload: (keyId: string, file: File) => {
    const form = new FormData();
    form.append('file', file, file.name);
    return request<UploadedFile>('POST', withQuery('/api/account/playground/files', { key_id: keyId }), { form });
  },
  tasks: (q: { limit?: number; starting_after?: string; status?: string; model?: string }) => get<List<Task>>('/api/account/tasks', q),
  task: (id: string, signal?: AbortSignal) => request<Task>('GET', `/api/account/tasks/${encodeURIComponent(id)}`, { signal }),
  usage: (days = 30) =>
    get<{ days: number; by_day: { day: string; credits: number; tasks: number }[]; by_model: { model: string; credits: number; tasks: number }[] }>(
      '/api/account/usage',
      { days },
    ),
  redeem: (code: string) => post<{ credits: number; balance: number }>('/api/account/redeem', { code }),
  orders: () => get<List<Order>>('/api/account/orders'),
  checkout: (pack_id: string) => post<{ url: string }>('/api/account/checkout', { pack_id }),
  billing: () => get<Billing>('/api/billing'),
};
