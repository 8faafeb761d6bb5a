// A webhook receiver on loopback for the tests: a real node:http server that keeps every
// request (path, headers, raw body) and answers each path with the statuses a test queues up
// (200 once the queue is empty). It verifies nothing itself: the tests do, with standardwebhooks.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface Receiver {
  url: string;
  port: number;
  received: Received[];
  /** Answers the next requests to `path` with these statuses (and a Location for 3xx). */
  answer(path: string, ...statuses: number[]): void;
  /** Resolves once `check` holds for what has arrived. */
  until(check: (received: Received[]) => boolean): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(port = 0): Promise<Receiver> {
  const received: Received[] = [];
  const queued = new Map<string, number[]>();
  const waiters: Array<{ check: (r: Received[]) => boolean; resolve: () => void }> = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0]!;
      received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const status = queued.get(path)?.shift() ?? 200;
      if (status >= 300 && status < 400) res.setHeader('location', `${receiver.url}/redirected`);
      res.writeHead(status).end('ok');
      for (const w of [...waiters]) if (w.check(received)) waiters.splice(waiters.indexOf(w), 1) && w.resolve();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const actual = (server.address() as AddressInfo).port;
  const receiver: Receiver = {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    received,
    answer: (path, ...statuses) => queued.set(path, [...(queued.get(path) ?? []), ...statuses]),
    until: (check) => (check(received) ? Promise.resolve() : new Promise((resolve) => waiters.push({ check, resolve }))),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  return receiver;
}

/** A loopback port with nothing listening on it (for a receiver that is down). */
export async function closedPort(): Promise<number> {
  const r = await startReceiver();
  await r.close();
  return r.port;
}
