// A real HTTP proxy in front of a test server that misbehaves on cue, as networks and overloaded
// gateways do: answers a status of its own (503, 429 with Retry-After, a 404 route), or drops the
// connection before or after the server has handled the request. Every request is recorded.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';

export type Fault =
  | { kind: 'status'; status: number; code: string; retryAfter?: string }
  /** Close the connection without forwarding: the server never sees the request. */
  | { kind: 'drop-before' }
  /** Forward, let the server finish, then close the connection instead of answering. */
  | { kind: 'drop-after' };

export interface Seen {
  method: string;
  path: string;
  idempotencyKey?: string;
  at: number;
  fault?: Fault['kind'];
}

export interface FaultProxy {
  url: string;
  seen: Seen[];
  /** The next `times` requests whose `METHOD path` matches `pattern` get `fault` (Infinity: all of them). */
  inject(pattern: RegExp, fault: Fault, times?: number): void;
  close(): Promise<void>;
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const seen: Seen[] = [];
  const rules: Array<{ pattern: RegExp; fault: Fault; left: number }> = [];
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const line = `${req.method} ${req.url}`;
    const rule = rules.find((r) => r.left > 0 && r.pattern.test(line));
    if (rule) rule.left--;
    const fault = rule?.fault;
    seen.push({ method: req.method!, path: req.url!, idempotencyKey: req.headers['idempotency-key'] as string | undefined, at: Date.now(), fault: fault?.kind });
    if (fault?.kind === 'status') {
      const body = JSON.stringify({ error: { code: fault.code, message: `The proxy answered ${fault.status} on purpose.`, type: 'api_error' } });
      res.writeHead(fault.status, { 'content-type': 'application/json', ...(fault.retryAfter ? { 'retry-after': fault.retryAfter } : {}) });
      return res.end(body);
    }
    if (fault?.kind === 'drop-before') return req.socket.destroy();
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'connection', 'content-length'].includes(k))) as Record<string, string>;
    const upstream = await fetch(`${target}${req.url}`, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined });
    if (fault?.kind === 'drop-after') {
      await upstream.arrayBuffer();
      return req.socket.destroy();
    }
    const out: Record<string, string> = {};
    upstream.headers.forEach((value, name) => {
      if (!['content-length', 'content-encoding', 'transfer-encoding', 'connection'].includes(name)) out[name] = value;
    });
    res.writeHead(upstream.status, out);
    if (!upstream.body) return res.end();
    Readable.fromWeb(upstream.body as never).pipe(res);
    res.on('close', () => void upstream.body?.cancel().catch(() => undefined));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    inject(pattern, fault, times = 1) {
      rules.push({ pattern, fault, left: times });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
