// A browser for the dashboard API tests: keeps the cookies the server sets, sends them back,
// sends the CSRF header and the page's Origin on state-changing requests the way the web app
// does, and lets a test leave either out or change it.
import type { TestServer } from './server.js';

export interface CallOptions {
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
  /** The x-csrf-token to send (default: the aio_csrf cookie), or false for none. */
  csrf?: string | false;
  /** The Origin to send on state-changing requests (default: the server's), or false for none. */
  origin?: string | false;
}

export interface Answer {
  status: number;
  body: any;
  headers: Headers;
  text: string;
}

const CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export class Browser {
  readonly cookies = new Map<string, string>();
  /** Every Set-Cookie header received, raw, newest last. */
  readonly setCookies: string[] = [];

  constructor(readonly baseUrl: string) {}

  get csrf(): string | undefined {
    return this.cookies.get('aio_csrf');
  }

  async call(method: string, route: string, o: CallOptions = {}): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (CHANGING.has(method)) {
      const csrf = o.csrf === undefined ? this.csrf : o.csrf;
      if (csrf) headers['x-csrf-token'] = csrf;
      const origin = o.origin === undefined ? this.baseUrl : o.origin;
      if (origin) headers.origin = origin;
    }
    let body: string | undefined = o.raw;
    if (o.body !== undefined) {
      body = JSON.stringify(o.body);
      headers['content-type'] = 'application/json';
    }
    Object.assign(headers, o.headers);
    const res = await fetch(`${this.baseUrl}${route}`, { method, headers, body, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      this.setCookies.push(line);
      const [pair, ...attrs] = line.split(';').map((s) => s.trim());
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      const expired = attrs.some((a) => /^max-age=0$/i.test(a) || (/^expires=/i.test(a) && Date.parse(a.slice(8)) <= Date.now()));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed as any, headers: res.headers, text };
  }

  get = (route: string, o?: CallOptions) => this.call('GET', route, o);
  post = (route: string, body?: unknown, o?: CallOptions) => this.call('POST', route, { body, ...o });
  patch = (route: string, body?: unknown, o?: CallOptions) => this.call('PATCH', route, { body, ...o });
}

let n = 0;
export const uniqueEmail = (tag = 'user') => `${tag}${++n}-${Date.now()}@example.com`;
export const PASSWORD = 'correct horse battery';

/** A new account signed up through the dashboard, and its browser. */
export async function signUp(server: TestServer, email = uniqueEmail(), password = PASSWORD): Promise<Browser & { email: string; userId: string }> {
  const browser = new Browser(server.url);
  const res = await browser.post('/api/auth/signup', { email, password });
  if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${res.text}`);
  return Object.assign(browser, { email, userId: res.body.user.id as string });
}

/** A browser signed in as `email`. */
export async function signIn(server: TestServer, email: string, password = PASSWORD): Promise<Browser> {
  const browser = new Browser(server.url);
  const res = await browser.post('/api/auth/login', { email, password });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${res.text}`);
  return browser;
}

/** An administrator (made the way an operator does, then signed in through the dashboard). */
export async function signInAdmin(server: TestServer): Promise<Browser & { email: string; userId: string }> {
  const email = uniqueEmail('admin');
  const user = await server.platform.users.create({ email, password: PASSWORD, admin: true });
  return Object.assign(await signIn(server, email), { email, userId: user.id });
}
