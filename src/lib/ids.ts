import { randomFillSync } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

// CSPRNG bytes are drawn 4 KiB at a time (as crypto.randomUUID does): a request makes several
// ids, and a new buffer and CSPRNG call for each was a visible share of a request's CPU.
const POOL_SIZE = 4096;
const pool = Buffer.alloc(POOL_SIZE);
let used = POOL_SIZE;

/** Random base62 string from the OS CSPRNG (rejection sampling keeps it unbiased). */
export function randomToken(length: number): string {
  let out = '';
  while (out.length < length) {
    if (used === POOL_SIZE) {
      randomFillSync(pool);
      used = 0;
    }
    const byte = pool[used++]!;
    if (byte < 248) out += ALPHABET[byte % 62];
  }
  return out;
}

let lastMs = 0;
let seq = 0;

/** `n` in base62 over ALPHABET, whose order is the strings' sort order. */
function base62(n: number, width: number): string {
  let out = '';
  for (let i = 0; i < width; i++, n = Math.floor(n / 62)) out = ALPHABET[n % 62] + out;
  return out;
}

/**
 * Public ids such as `task_...`, `usr_...`: a time prefix and a per-process sequence keep them
 * sortable by creation (also within one millisecond, so lists "newest first" and ledger
 * statements are stable), the random tail makes them unguessable.
 */
export function newId(prefix: string): string {
  const now = Date.now();
  seq = now === lastMs ? seq + 1 : 0;
  lastMs = now;
  const time = now.toString(36).padStart(9, '0');
  return `${prefix}_${time}${base62(seq, 4)}${randomToken(12)}`;
}
