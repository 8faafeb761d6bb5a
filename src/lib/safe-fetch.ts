// Fetching a URL a client gave us without letting the client reach our own network (SSRF).
// Every hop is resolved with dns.lookup, every address is checked, and the connection is pinned
// to the checked addresses through the request's own `lookup` (no second resolution an attacker's
// DNS could answer differently). Redirects are followed by hand, each target checked again.
// node:http/node:https are used directly: undici's Agent (for a pinned global fetch) is not an
// installed package here.
import http from 'node:http';
import https from 'node:https';
import dns from 'node:dns';
import net from 'node:net';
import type { LookupFunction } from 'node:net';
import { CallSignal } from './call-signal.js';

export type FetchRefusedCode =
  | 'url_not_allowed'
  | 'url_unreachable'
  | 'url_too_large'
  | 'url_bad_status'
  | 'url_bad_content_type'
  | 'url_timeout';

export class FetchRefused extends Error {
  readonly code: FetchRefusedCode;
  /** The URL without credentials, query or fragment: safe to show and log. */
  readonly url: string;
  /** The HTTP status, for `url_bad_status`. */
  readonly status?: number;

  constructor(code: FetchRefusedCode, url: string, message: string, opts: { status?: number; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = 'FetchRefused';
    this.code = code;
    this.url = url;
    this.status = opts.status;
  }
}

export interface SafeFetchOptions {
  /** Allow private, loopback and other non-public addresses (tests, trusted deployments). */
  allowPrivate: boolean;
  maxBytes: number;
  /** For the whole fetch: every DNS lookup, redirect and the body. */
  timeoutMs: number;
  /** The caller's cancellation; when it fires its reason is thrown (not a FetchRefused). */
  signal?: AbortSignal;
  /** Which content types (lower case, without parameters) are wanted; default: any. */
  accept?: (contentType: string) => boolean;
  maxRedirects?: number;
}

export interface SafeFetchResult {
  data: Buffer;
  /** The media type, lower case, without parameters (`image/png`); '' when the server sent none. */
  contentType: string;
  finalUrl: string;
}

const MAX_URL_IN_MESSAGE = 200;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** A URL as it may appear in messages and logs: scheme, host and path only. */
export function describeUrl(url: string | URL): string {
  let u: URL;
  try {
    u = typeof url === 'string' ? new URL(url) : url;
  } catch {
    return '(invalid URL)';
  }
  const text = `${u.protocol}//${u.host}${u.pathname}`;
  return text.length > MAX_URL_IN_MESSAGE ? `${text.slice(0, MAX_URL_IN_MESSAGE)}...` : text;
}

export async function safeFetch(url: string, opts: SafeFetchOptions): Promise<SafeFetchResult> {
  const call = new CallSignal(opts.signal, opts.timeoutMs);
  try {
    return await fetchFollowing(url, opts, call);
  } finally {
    call.done();
  }
}

async function fetchFollowing(url: string, opts: SafeFetchOptions, call: CallSignal): Promise<SafeFetchResult> {
  const maxRedirects = opts.maxRedirects ?? 3;
  const signal = call.signal;
  let target = checkUrl(url);

  for (let redirects = 0; ; redirects++) {
    const shown = describeUrl(target);
    let hop: Hop;
    try {
      const addresses = await resolveChecked(target, shown, opts.allowPrivate, signal);
      hop = await exchange(target, shown, addresses, signal, opts);
    } catch (err) {
      if (opts.signal?.aborted) throw opts.signal.reason;
      if (call.timedOut) throw new FetchRefused('url_timeout', shown, `Fetching ${shown} took longer than ${opts.timeoutMs} ms.`, { cause: err });
      throw err;
    }
    if (hop.kind === 'done') return { ...hop.result, finalUrl: target.href };
    if (redirects >= maxRedirects)
      throw new FetchRefused('url_bad_status', shown, `${shown} redirected more than ${maxRedirects} times.`, { status: hop.status });
    let next: URL;
    try {
      next = new URL(hop.location, target);
    } catch {
      throw new FetchRefused('url_bad_status', shown, `${shown} redirected to an invalid location.`, { status: hop.status });
    }
    target = checkUrl(next.href);
  }
}

function checkUrl(raw: string): URL {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new FetchRefused('url_not_allowed', '(invalid URL)', 'The URL is not a valid absolute URL.');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new FetchRefused('url_not_allowed', `${u.protocol}...`, `Only http and https URLs can be fetched, not ${u.protocol}.`);
  return u;
}

/** The host's addresses, all of them checked; refuses when any is not public (unless allowed). */
async function resolveChecked(u: URL, shown: string, allowPrivate: boolean, signal: AbortSignal): Promise<dns.LookupAddress[]> {
  const host = bareHost(u.hostname);
  let addresses: dns.LookupAddress[];
  const family = net.isIP(host);
  if (family) {
    addresses = [{ address: host, family }];
  } else {
    try {
      addresses = await raceAbort(dns.promises.lookup(host, { all: true }), signal);
    } catch (err) {
      if (signal.aborted) throw err;
      throw new FetchRefused('url_unreachable', shown, `The host of ${shown} could not be resolved.`, { cause: err });
    }
    if (addresses.length === 0) throw new FetchRefused('url_unreachable', shown, `The host of ${shown} has no addresses.`);
  }
  if (!allowPrivate) {
    const blocked = addresses.find((a) => !isPublicAddress(a.address));
    if (blocked)
      throw new FetchRefused('url_not_allowed', shown, `${shown} points to a private or reserved address (${blocked.address}); only public addresses can be fetched.`);
  }
  return addresses;
}

type Hop =
  | { kind: 'redirect'; location: string; status: number }
  | { kind: 'done'; result: { data: Buffer; contentType: string } };

/** One request to `u`, connecting only to `addresses`; reads the body unless it is a redirect. */
function exchange(u: URL, shown: string, addresses: dns.LookupAddress[], signal: AbortSignal, opts: SafeFetchOptions): Promise<Hop> {
  // Hands the connection the checked addresses instead of resolving the name again. Node asks
  // with `all: true` when it tries several addresses (happy eyeballs), else for one.
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if (options.all) return (callback as (e: null, a: dns.LookupAddress[]) => void)(null, addresses);
    const first = addresses[0]!;
    return callback(null, first.address, first.family);
  };
  const client = u.protocol === 'https:' ? https : http;
  return new Promise<Hop>((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      fn();
    };
    const fail = (err: unknown) => finish(() => reject(err));
    const onAbort = () => {
      req.destroy();
      fail(signal.reason);
    };
    const req = client.request(
      {
        protocol: u.protocol,
        hostname: bareHost(u.hostname),
        port: u.port || undefined,
        path: `${u.pathname}${u.search}`,
        method: 'GET',
        headers: { 'user-agent': 'aio-fetch/1', accept: '*/*', 'accept-encoding': 'identity' },
        lookup: pinned,
        agent: false,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        const location = res.headers.location;
        if (REDIRECTS.has(status) && location) {
          res.destroy();
          return finish(() => resolve({ kind: 'redirect', location, status }));
        }
        if (status < 200 || status > 299) {
          res.destroy();
          return fail(new FetchRefused('url_bad_status', shown, `${shown} answered HTTP ${status}.`, { status }));
        }
        const contentType = (res.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
        if (opts.accept && !opts.accept(contentType)) {
          res.destroy();
          return fail(new FetchRefused('url_bad_content_type', shown, `${shown} answered with content type '${contentType || 'none'}', which is not accepted here.`));
        }
        const declared = Number(res.headers['content-length']);
        if (Number.isFinite(declared) && declared > opts.maxBytes) {
          res.destroy();
          return fail(tooLarge(shown, opts.maxBytes));
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > opts.maxBytes) {
            res.destroy();
            req.destroy();
            return fail(tooLarge(shown, opts.maxBytes));
          }
          chunks.push(chunk);
        });
        res.on('end', () => finish(() => resolve({ kind: 'done', result: { data: Buffer.concat(chunks, size), contentType } })));
        res.on('error', (err) => fail(unreachable(shown, err)));
        res.on('close', () => {
          if (!res.complete) fail(new FetchRefused('url_unreachable', shown, `${shown} closed the connection before the body was complete.`));
        });
      },
    );
    req.on('error', (err) => fail(unreachable(shown, err)));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    req.end();
  });
}

function tooLarge(shown: string, maxBytes: number): FetchRefused {
  return new FetchRefused('url_too_large', shown, `${shown} is larger than the limit of ${maxBytes} bytes.`);
}

function unreachable(shown: string, err: Error): FetchRefused {
  const code = (err as NodeJS.ErrnoException).code;
  return new FetchRefused('url_unreachable', shown, `${shown} could not be fetched (${code ?? err.message}).`, { cause: err });
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/** `[::1]` (as URL.hostname gives IPv6 literals) -> `::1`. */
function bareHost(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

// ---- address classification ----

/** [network, prefix length] of IPv4 ranges that are not the public internet. */
const BLOCKED_V4: Array<[string, number]> = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata lives here)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and 255.255.255.255 broadcast
];
const BLOCKED_V4_RANGES = BLOCKED_V4.map(([ip, bits]) => ({ net: ipv4ToInt(ip)!, mask: bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0 }));

/**
 * Whether `ip` (IPv4 or IPv6 text) is an ordinary public internet address. False for private,
 * loopback, link-local, CGNAT, unspecified, multicast, broadcast, reserved and documentation
 * ranges, unique-local IPv6, and IPv6 forms that embed such an IPv4 address (mapped,
 * compatible, NAT64, 6to4); false for anything that is not an IP address.
 */
export function isPublicAddress(ip: string): boolean {
  const v = net.isIP(ip.split('%')[0]!);
  if (v === 4) return isPublicV4(ipv4ToInt(ip)!);
  if (v === 6) {
    const h = ipv6Hextets(ip);
    return h !== null && isPublicV6(h);
  }
  return false;
}

function isPublicV4(n: number): boolean {
  return !BLOCKED_V4_RANGES.some((r) => ((n & r.mask) >>> 0) === r.net);
}

function isPublicV6(h: number[]): boolean {
  const [a, b, c, d, e, f, g, hh] = h as [number, number, number, number, number, number, number, number];
  const embedded = ((g << 16) | hh) >>> 0;
  if (a === 0 && b === 0 && c === 0 && d === 0 && e === 0) {
    if (f === 0xffff) return isPublicV4(embedded); // ::ffff:a.b.c.d, IPv4-mapped
    if (f === 0) return g !== 0 && isPublicV4(embedded); // ::, ::1 and ::a.b.c.d (IPv4-compatible)
    return false;
  }
  if (a === 0x64 && b === 0xff9b) return c === 0 && d === 0 && e === 0 && f === 0 && isPublicV4(embedded); // NAT64
  if (a === 0x2002) return isPublicV4(((b << 16) | c) >>> 0); // 6to4
  if (a === 0x2001 && b === 0) return false; // Teredo
  if (a === 0x2001 && b === 0xdb8) return false; // documentation
  if (a === 0x100 && b === 0 && c === 0 && d === 0) return false; // discard-only
  if ((a & 0xfe00) === 0xfc00) return false; // fc00::/7 unique-local
  if ((a & 0xffc0) === 0xfe80 || (a & 0xffc0) === 0xfec0) return false; // link-local, old site-local
  if ((a & 0xff00) === 0xff00) return false; // multicast
  return true;
}

function ipv4ToInt(ip: string): number | null {
  const parts = ip.split('.');
  if (parts.length !== 4) return null;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return null;
    n = n * 256 + Number(p);
  }
  return n >>> 0;
}

function ipv6Hextets(ip: string): number[] | null {
  let s = ip.split('%')[0]!.toLowerCase();
  const lastColon = s.lastIndexOf(':');
  const tail = s.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = ipv4ToInt(tail);
    if (v4 === null) return null;
    s = `${s.slice(0, lastColon + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((x) => parseInt(x, 16)));
  const head = parse(halves[0]!);
  if (halves.length === 1) return head.length === 8 ? head : null;
  const rest = parse(halves[1]!);
  const fill = 8 - head.length - rest.length;
  if (fill < 1) return null;
  return [...head, ...new Array<number>(fill).fill(0), ...rest];
}
