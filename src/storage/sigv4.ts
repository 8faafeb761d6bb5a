// AWS Signature Version 4 for S3-compatible stores (AWS, MinIO, R2, ...): enough to PUT and GET
// objects without pulling in an SDK.
import { createHmac } from 'node:crypto';
import { sha256Hex } from '../lib/hash.js';

export interface SigV4Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  service?: string;
}

const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

/** RFC 3986 encoding as SigV4 wants it; `/` kept in paths. */
export function uriEncode(value: string, keepSlash: boolean): string {
  return [...value]
    .map((ch) => {
      if (/[A-Za-z0-9\-._~]/.test(ch) || (keepSlash && ch === '/')) return ch;
      return [...Buffer.from(ch, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
    })
    .join('');
}

/**
 * Signs a request: returns the headers to send (`authorization`, `x-amz-date`,
 * `x-amz-content-sha256` plus the ones given). `headers` must include `host`.
 */
export function signRequest(
  creds: SigV4Credentials,
  req: { method: string; path: string; query?: Record<string, string>; headers: Record<string, string>; payloadHash: string; amzDate: string },
): Record<string, string> {
  const service = creds.service ?? 's3';
  const date = req.amzDate.slice(0, 8);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = v.trim().replace(/\s+/g, ' ');
  headers['x-amz-date'] = req.amzDate;
  headers['x-amz-content-sha256'] = req.payloadHash;
  const names = Object.keys(headers).sort();
  const query = Object.entries(req.query ?? {})
    .map(([k, v]) => [uriEncode(k, false), uriEncode(v, false)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonical = [req.method, uriEncode(req.path, true), query, names.map((n) => `${n}:${headers[n]}\n`).join(''), names.join(';'), req.payloadHash].join('\n');
  const scope = `${date}/${creds.region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', req.amzDate, scope, sha256Hex(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${creds.secretAccessKey}`, date), creds.region), service), 'aws4_request');
  const signature = createHmac('sha256', key).update(toSign).digest('hex');
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${creds.accessKeyId}/${scope},SignedHeaders=${names.join(';')},Signature=${signature}`;
  return headers;
}

export const amzDateOf = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
