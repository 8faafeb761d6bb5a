// One attempt at a webhook delivery: a signed JSON POST to a checked, pinned address. Redirects
// are not followed (a 3xx is a failed attempt), and the answer's body is not read beyond a peek.
import http from 'node:http';
import https from 'node:https';
import type dns from 'node:dns';
import type { LookupFunction } from 'node:net';
import { bareHost, resolveTarget, TargetRefused } from './target.js';
import { CallSignal } from '../../lib/call-signal.js';

export interface AttemptResult {
  ok: boolean;
  /** The HTTP status, when the receiver answered. */
  status?: number;
  /** Why it failed, for the delivery list. */
  error?: string;
}

export interface PostOptions {
  allowPrivate: boolean;
  timeoutMs: number;
  signal: AbortSignal;
}

export async function postWebhook(rawUrl: string, body: string, headers: Record<string, string>, opts: PostOptions): Promise<AttemptResult> {
  const url = new URL(rawUrl);
  let addresses: dns.LookupAddress[];
  try {
    addresses = await resolveTarget(url, opts.allowPrivate);
  } catch (err) {
    if (err instanceof TargetRefused) return { ok: false, error: `Refused: ${err.message}.` };
    throw err;
  }
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if (options.all) return (callback as (e: null, a: typeof addresses) => void)(null, addresses);
    return callback(null, addresses[0]!.address, addresses[0]!.family);
  };
  const client = url.protocol === 'https:' ? https : http;
  const call = new CallSignal(opts.signal, opts.timeoutMs);
  const signal = call.signal;
  return new Promise<AttemptResult>((resolve) => {
    let settled = false;
    const finish = (result: AttemptResult) => {
      if (settled) return;
      settled = true;
      call.done();
      signal.removeEventListener('abort', onAbort);
      resolve(result);
    };
    const onAbort = () => {
      req.destroy();
      finish({ ok: false, error: opts.signal.aborted ? 'Interrupted: the server was stopping.' : `No answer within ${opts.timeoutMs} ms.` });
    };
    const req = client.request(
      {
        protocol: url.protocol,
        hostname: bareHost(url.hostname),
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'aio-webhooks/1' },
        lookup: pinned,
        agent: false,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        res.resume();
        res.on('error', () => undefined);
        if (status >= 200 && status < 300) return finish({ ok: true, status });
        const why = status >= 300 && status < 400 ? 'a redirect, which is not followed' : 'not a 2xx status';
        finish({ ok: false, status, error: `The receiver answered HTTP ${status}: ${why}.` });
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) => finish({ ok: false, error: `Could not reach the receiver (${err.code ?? err.message}).` }));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    req.end(body);
  });
}
