// Seeded randomness: every choice of a poster comes from sha256(seed:prompt).
import { createHash } from 'node:crypto';

function mulberry32(a: number): () => number {
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Rng {
  next(): number;
  range(a: number, b: number): number;
  int(a: number, b: number): number; // inclusive
  pick<T>(xs: readonly T[]): T;
  chance(p: number): boolean;
}

export function makeRng(prompt: string, seed: number): Rng {
  const digest = createHash('sha256').update(`${seed}:${prompt}`).digest();
  const next = mulberry32(digest.readUInt32LE(0) ^ digest.readUInt32LE(4));
  return {
    next,
    range: (a, b) => a + (b - a) * next(),
    int: (a, b) => a + Math.floor(next() * (b - a + 1)),
    pick: (xs) => xs[Math.floor(next() * xs.length)]!,
    chance: (p) => next() < p,
  };
}
