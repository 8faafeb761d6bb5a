// Generated files in an S3-compatible bucket, so gateways and workers on different machines
// share them (PUT, GET, and DELETE for the retention purge). The gateway still serves them at /files/{name}.
import { sha256Hex } from '../lib/hash.js';
import { amzDateOf, signRequest, type SigV4Credentials } from './sigv4.js';
import type { Storage } from './types.js';

export interface S3Config extends SigV4Credentials {
  /** e.g. `https://s3.us-east-1.amazonaws.com` or `http://127.0.0.1:9000`. */
  endpoint: string;
  bucket: string;
  /** Key prefix inside the bucket, e.g. `aio/`. */
  prefix?: string;
}

export class S3Storage implements Storage {
  constructor(private readonly config: S3Config) {}

  private async send(method: 'GET' | 'PUT' | 'DELETE', name: string, body?: Buffer, contentType?: string): Promise<Response> {
    const url = new URL(this.config.endpoint);
    const path = `${url.pathname.replace(/\/$/, '')}/${this.config.bucket}/${this.config.prefix ?? ''}${name}`;
    const headers: Record<string, string> = { host: url.host };
    if (contentType) headers['content-type'] = contentType;
    const signed = signRequest(this.config, { method, path, headers, payloadHash: sha256Hex(body ?? ''), amzDate: amzDateOf(new Date()) });
    delete signed.host; // fetch sets it
    return fetch(`${url.origin}${path}`, { method, headers: signed, body: body ? new Uint8Array(body) : undefined });
  }

  async put(name: string, data: Buffer, contentType: string): Promise<void> {
    const res = await this.send('PUT', name, data, contentType);
    if (!res.ok) throw new Error(`S3 PUT ${name} answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
  }

  /** S3 answers 204 whether or not the object existed; some compatible stores answer 404 for a missing one. */
  async delete(name: string): Promise<void> {
    const res = await this.send('DELETE', name);
    await res.arrayBuffer().catch(() => undefined);
    if (!res.ok && res.status !== 404) throw new Error(`S3 DELETE ${name} answered ${res.status}`);
  }

  async get(name: string): Promise<Buffer | null> {
    const res = await this.send('GET', name);
    if (res.status === 404) return null;
    if (!res.ok) throw new Error(`S3 GET ${name} answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
    return Buffer.from(await res.arrayBuffer());
  }
}
