// What chat tokens cost. Prices are micro-credits per million tokens; products are summed exactly
// (BigInt) and rounded up once, so a charge is never short and never off by float noise.
import type { ChatUsage } from '../../providers/chat-types.js';
import type { ChatPrice } from './params.js';

const PER = 1_000_000n;

const ceilDiv = (a: bigint, b: bigint) => Number((a + b - 1n) / b);

export function costMicro(u: ChatUsage, p: ChatPrice): number {
  const sum =
    BigInt(u.inputTokens) * BigInt(p.input_micro) +
    BigInt(u.cachedInputTokens) * BigInt(p.cached_input_micro) +
    BigInt(u.cacheWriteTokens) * BigInt(p.cache_write_micro) +
    BigInt(u.outputTokens) * BigInt(p.output_micro);
  return ceilDiv(sum, PER);
}

/** The most the prompt can cost: every token at the dearest input price (a cache write can cost more than input). */
const promptPrice = (p: ChatPrice) => Math.max(p.input_micro, p.cache_write_micro);

export function holdMicro(promptTokens: number, outputCap: number, p: ChatPrice): number {
  return ceilDiv(BigInt(promptTokens) * BigInt(promptPrice(p)) + BigInt(outputCap) * BigInt(p.output_micro), PER);
}

/** How many output tokens `available` micro-credits cover once the prompt is paid for (Infinity for free output). */
export function affordableOutputTokens(available: number, promptTokens: number, p: ChatPrice): number {
  const left = BigInt(available) * PER - BigInt(promptTokens) * BigInt(promptPrice(p));
  if (left < 0n) return 0;
  if (p.output_micro === 0) return Number.POSITIVE_INFINITY;
  return Number(left / BigInt(p.output_micro));
}
