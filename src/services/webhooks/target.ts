// Where a webhook may go: an http(s) URL whose host resolves only to public addresses, unless the
// operator allows private ones (AIO_WEBHOOK_ALLOW_PRIVATE=1). Checked when an endpoint or a
// task's `webhook_url` is given (a 400 naming the field), and again before every attempt, whose
// connection is pinned to the addresses just checked (a DNS answer cannot change in between).
import dns from 'node:dns';
import net from 'node:net';
import { invalidParam } from '../../lib/app-error.js';
import { isPublicAddress } from '../../lib/safe-fetch.js';

export const MAX_WEBHOOK_URL = 2000;
const LOOKUP_TIMEOUT_MS = 5000;

export class TargetRefused extends Error {}

/** `[::1]` (as URL.hostname gives IPv6 literals) -> `::1`. */
export const bareHost = (hostname: string) => (hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname);

/** The URL's addresses, every one of them public unless private ones are allowed. Throws TargetRefused. */
export async function resolveTarget(url: URL, allowPrivate: boolean): Promise<dns.LookupAddress[]> {
  const host = bareHost(url.hostname);
  const family = net.isIP(host);
  let addresses: dns.LookupAddress[];
  if (family) addresses = [{ address: host, family }];
  else {
    try {
      addresses = await Promise.race([
        dns.promises.lookup(host, { all: true }),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('lookup timed out')), LOOKUP_TIMEOUT_MS).unref()),
      ]);
    } catch (err) {
      throw new TargetRefused(`the host '${host}' could not be resolved (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    if (addresses.length === 0) throw new TargetRefused(`the host '${host}' has no addresses`);
  }
  const blocked = allowPrivate ? undefined : addresses.find((a) => !isPublicAddress(a.address));
  if (blocked) throw new TargetRefused(`'${host}' points to a private, loopback or reserved address (${blocked.address}); webhooks go to public addresses only`);
  return addresses;
}

/** A webhook URL a client gave, checked (400 on `param` otherwise); returns it normalised. */
export async function checkWebhookUrl(raw: string, param: string, allowPrivate: boolean): Promise<string> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalidParam(param, `'${param}' must be an absolute http or https URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalidParam(param, `'${param}' must be an http or https URL, not ${url.protocol}.`);
  if (url.username || url.password) throw invalidParam(param, `'${param}' must not carry a user name or password.`);
  if (url.href.length > MAX_WEBHOOK_URL) throw invalidParam(param, `'${param}' may be at most ${MAX_WEBHOOK_URL} characters.`);
  try {
    await resolveTarget(url, allowPrivate);
  } catch (err) {
    if (err instanceof TargetRefused) throw invalidParam(param, `'${param}' cannot be used: ${err.message}.`, 'url_not_allowed');
    throw err;
  }
  return url.href;
}
