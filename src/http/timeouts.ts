// How long a client may hold a connection, as Fastify server options. Without these (Fastify's
// defaults are 0) a body trickling in a byte at a time keeps a connection and its parser forever.
import type { ServerOptions } from 'node:http';

/** The longest `Prefer: wait` answer plus slack: a socket may be silent this long while a route works. */
const LONGEST_QUIET_MS = 120_000;
/** Longer than common load balancers' idle timeout (60 s), so they close idle connections first. */
const KEEP_ALIVE_MS = 72_000;

export function serverTimeouts(requestTimeoutMs: number): {
  requestTimeout: number;
  connectionTimeout: number;
  keepAliveTimeout: number;
  http: ServerOptions;
} {
  if (requestTimeoutMs <= 0) return { requestTimeout: 0, connectionTimeout: 0, keepAliveTimeout: KEEP_ALIVE_MS, http: {} };
  return {
    // The whole request (headers and body) must arrive within this; Node answers 408 otherwise.
    requestTimeout: requestTimeoutMs,
    // A socket with no traffic at all in either direction for this long is closed.
    connectionTimeout: Math.max(2 * requestTimeoutMs, LONGEST_QUIET_MS),
    keepAliveTimeout: KEEP_ALIVE_MS,
    http: {
      requestTimeout: requestTimeoutMs,
      headersTimeout: Math.min(requestTimeoutMs, 60_000),
      // Node looks for late requests this often (30 s by default, too coarse for short timeouts).
      connectionsCheckingInterval: Math.min(30_000, Math.max(100, Math.floor(requestTimeoutMs / 4))),
    },
  };
}
