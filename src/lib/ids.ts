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

/**
 * Public ids such as `task_...`, `usr_...`: a time prefix keeps them roughly sortable by
 * creation, the random tail makes them unguessable.
 */
export function newId(prefix: string): string {
  const time = Date.now().toString(36).padStart(9, '0');
  return `${prefix}_${time}${randomToken(16)}`;
}
