import { createHash } from 'node:crypto';

/** SHA-256 as lower-case hex: stored key and session hashes, request fingerprints, SigV4. */
export const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
