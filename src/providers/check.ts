// The shared part of every provider's connection test: one request with a short timeout, and
// its answer put in words an operator can act on. The credentials never appear in a result.
import { UpstreamError } from './errors.js';
import { upstreamRequest } from './http.js';
import type { CheckContext, CheckResult, ProviderContext, ProviderCredentials } from './types.js';

const QUIET = { info() {}, warn() {} };

export interface CheckRequest {
  /** The provider's name as operators know it, e.g. `OpenAI`. */
  name: string;
  url: string;
  init: RequestInit;
  /** Reads an answer the generic rules below do not settle (a 2xx, or a status the check expects). */
  interpret(res: Response): Promise<CheckResult | undefined>;
}

/** Sends the request and says what its answer means for the credentials. */
export async function checkByRequest(req: CheckRequest, credentials: ProviderCredentials, ctx: CheckContext): Promise<CheckResult> {
  if (!credentials.baseUrl) return { ok: false, message: 'No base URL is set.' };
  const providerCtx: ProviderContext = { signal: ctx.signal, timeoutMs: ctx.timeoutMs, credentials, log: QUIET };
  let res: Response;
  try {
    res = await upstreamRequest(req.name, req.url, req.init, providerCtx);
  } catch (err) {
    const reason = err instanceof UpstreamError ? err.message : String(err);
    return { ok: false, message: `${reason} (${hostOf(req.url)}).` };
  }
  try {
    const read = await req.interpret(res);
    if (read) return { ...read, status: res.status };
    return { ...byStatus(req.name, res.status), status: res.status };
  } finally {
    await res.body?.cancel().catch(() => undefined);
  }
}

/** The usual meaning of a status for a request that should have worked with good credentials. */
export function byStatus(name: string, status: number): Omit<CheckResult, 'status'> {
  if (status >= 200 && status < 300) return { ok: true, message: `Connected: ${name} accepted the key.` };
  if (status === 401 || status === 403) return { ok: false, message: `${name} refused the key (${status}). Check that it is right and active.` };
  if (status === 429) return { ok: true, message: `${name} accepted the key but is rate limiting requests now (429).` };
  if (status === 404) return { ok: false, message: `${name} answered 404: the base URL looks wrong (it should point at the API's root).` };
  if (status >= 500) return { ok: false, message: `${name} answered ${status}: the service seems to be down; try again later.` };
  return { ok: false, message: `${name} answered ${status}, which this test did not expect.` };
}

/** Counts the entries of a list answer (`{data: [...]}` or `{models: [...]}`), if it is one. */
export async function countListed(res: Response, field: 'data' | 'models'): Promise<number | undefined> {
  try {
    const body = (await res.json()) as Record<string, unknown>;
    const list = body?.[field];
    return Array.isArray(list) ? list.length : undefined;
  } catch {
    return undefined;
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the base URL';
  }
}
