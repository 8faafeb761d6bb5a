// Talking to the server: the same-origin dashboard API (session cookie + CSRF header) and the
// public API (Bearer key). Every failure becomes an ApiError whose message a person can read.
import type { ApiKey, LedgerEntry, Model, Order, Task, User } from './types';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly param?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let csrfToken: string | null = null;
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function readCookie(name: string): string | null {
  for (const part of document.cookie.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return null;
}

interface RequestOptions {
  body?: unknown;
  /** A multipart body (an upload); the browser sets its content type. */
  form?: FormData;
  /** A public-API key: sent as `Authorization: Bearer`, and no cookies are relied on. */
  bearer?: string;
  query?: Record<string, string | number | undefined | null>;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export function withQuery(path: string, query?: RequestOptions['query']): string {
  if (!query) return path;
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (opts.bearer) headers.authorization = `Bearer ${opts.bearer}`;
  if (method !== 'GET' && method !== 'HEAD') {
    const token = readCookie('aio_csrf') ?? csrfToken;
    if (token) headers['x-csrf-token'] = token;
  }
  let res: Response;
  try {
    res = await fetch(withQuery(path, opts.query), {
      method,
      headers,
      body: opts.form ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
      credentials: 'same-origin',
      signal: opts.signal,
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, 'network_error', 'Could not reach the server. Check your connection and try again.');
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown = undefined;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON */
  }
  if (!res.ok) {
    const e = (data as { error?: { code?: string; message?: string; param?: string } } | undefined)?.error;
    throw new ApiError(
      res.status,
      e?.code ?? `http_${res.status}`,
      e?.message ?? (res.status >= 500 ? 'The server had a problem answering. Try again in a moment.' : `The server answered ${res.status} ${res.statusText}.`),
      e?.param,
    );
  }
  return data as T;
}

export const get = <T>(path: string, query?: RequestOptions['query']) => request<T>('GET', path, { query });
export const post = <T>(path: string, body?: unknown) => request<T>('POST', path, { body: body ?? {} });
export const patch = <T>(path: string, body: unknown) => request<T>('PATCH', path, { body });

export interface List<T> {
  object?: 'list';
  data: T[];
  has_more?: boolean;
}

export const publicApi = {
  models: () => get<List<Model>>('/api/v1/models'),
  model: (id: string) => get<Model>(`/api/v1/models/${encodeURIComponent(id)}`),
  /** Creates a task on a model's `endpoint`; `waitS` asks the server to hold the answer until it finishes (`Prefer: wait=N`). */
  submit: (key: string, endpoint: string, body: Record<string, unknown>, opts: { waitS?: number; signal?: AbortSignal } = {}) =>
    request<Task>('POST', endpoint, { bearer: key, body, signal: opts.signal, headers: opts.waitS ? { prefer: `wait=${opts.waitS}` } : undefined }),
  /** Uploads an image to use as a task input; pass its `uri` (`aio-file://...`) as the image parameter. */
  upload: (key: string, file: File) => {
    const form = new FormData();
    form.append('file', file, file.name);
    return request<UploadedFile>('POST', '/api/v1/files', { bearer: key, form });
  },
  /** `taskEndpoint` is the model's `task_endpoint` template, `/api/v1/tasks/{task_id}`. */
  task: (key: string, id: string, signal?: AbortSignal, taskEndpoint = '/api/v1/tasks/{task_id}') =>
    request<Task>('GET', taskEndpoint.replace('{task_id}', encodeURIComponent(id)), { bearer: key, signal }),
};

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
  session: () => get<{ user: User; csrf_token: string }>('/api/auth/session'),
  signup: (email: string, password: string) => post<{ user: User }>('/api/auth/signup', { email, password }),
  login: (email: string, password: string) => post<{ user: User }>('/api/auth/login', { email, password }),
  logout: () => post<void>('/api/auth/logout'),
  changePassword: (current_password: string, new_password: string) => post<void>('/api/auth/password', { current_password, new_password }),
  account: () => get<{ user: User; balance: number; reserved: number }>('/api/account'),
  keys: () => get<List<ApiKey>>('/api/account/keys'),
  createKey: (body: { name?: string; test?: boolean; expires_at?: string; credit_limit?: number; allowed_models?: string[] }) =>
    post<ApiKey & { key: string }>('/api/account/keys', body),
  revokeKey: (id: string) => post<ApiKey>(`/api/account/keys/${encodeURIComponent(id)}/revoke`),
  ledger: (q: { limit?: number; starting_after?: string; kind?: string }) => get<List<LedgerEntry>>('/api/account/ledger', q),
  tasks: (q: { limit?: number; starting_after?: string; status?: string; model?: string }) => get<List<Task>>('/api/account/tasks', q),
  task: (id: string) => get<Task>(`/api/account/tasks/${encodeURIComponent(id)}`),
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
