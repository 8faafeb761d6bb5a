// Seals secrets stored in the database (provider API keys added from the admin pages) with
// AES-256-GCM. The key comes from AIO_SECRET_KEY, or is generated once into the data directory
// (`secret.key`, mode 0600). Every process that reads the credentials (gateways, workers) needs the
// same key: in distributed mode set AIO_SECRET_KEY on all of them.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const VERSION = 'v1';
const IV_BYTES = 12;
const MIN_SECRET_CHARS = 16;
export const SECRET_KEY_FILE = 'secret.key';

export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

export class SecretBox {
  private readonly key: Buffer;

  /** `secret`: any string of at least 16 characters; the AES key is derived from it (HKDF-SHA256). */
  constructor(secret: string) {
    if (secret.trim().length < MIN_SECRET_CHARS) throw new SecretBoxError(`the secret key must have at least ${MIN_SECRET_CHARS} characters`);
    this.key = Buffer.from(hkdfSync('sha256', secret.trim(), 'aio-secret-box', 'stored credentials', 32));
  }

  seal(plaintext: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join('.');
  }

  /** Throws SecretBoxError when the text was sealed with another key or was altered. */
  open(sealed: string): string {
    const [version, iv, tag, data] = sealed.split('.');
    if (version !== VERSION || iv === undefined || tag === undefined || data === undefined) throw new SecretBoxError('not a sealed secret');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretBoxError('the secret was sealed with another key (AIO_SECRET_KEY differs between processes?) or was altered');
    }
  }
}

/** The box of this process: AIO_SECRET_KEY when set, else the data directory's key file (made on first start). */
export function openSecretBox(opts: { secretKey?: string; dataDir: string }): SecretBox {
  if (opts.secretKey) return new SecretBox(opts.secretKey);
  const file = path.join(opts.dataDir, SECRET_KEY_FILE);
  try {
    return new SecretBox(readFileSync(file, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  mkdirSync(opts.dataDir, { recursive: true });
  try {
    // `wx`: two processes starting at once must not both write a key.
    writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return new SecretBox(readFileSync(file, 'utf8'));
}

/** The last four characters of a secret, the only part ever shown again. */
export const lastFour = (secret: string) => secret.slice(-4);
