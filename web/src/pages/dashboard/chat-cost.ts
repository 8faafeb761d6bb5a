// What a chat answer costs, as the server bills it (src/modalities/chat/cost.ts): a chat model's
// prices are credits per million tokens (`price.credits` input, `rates.output`, `rates.cached_input`);
// the products are summed in micro-credits and rounded up once.
import type { Model } from '../../types';
import type { ChatUsage } from './chat-stream';

export interface ChatRates {
  input: number;
  cachedInput: number;
  output: number;
}

export function chatRates(model: Pick<Model, 'price'>): ChatRates {
  const rates = model.price.rates ?? {};
  return { input: model.price.credits, cachedInput: rates.cached_input ?? model.price.credits, output: rates.output ?? 0 };
}

const MICRO = 1_000_000;
const micro = (credits: number) => Math.round(credits * MICRO);

/** Credits for `usage`: cached prompt tokens at their price, the rest of the prompt at the input price. */
export function chatCostCredits(usage: ChatUsage, r: ChatRates): number {
  const cached = usage.prompt_tokens_details?.cached_tokens ?? 0;
  const sum = (usage.prompt_tokens - cached) * micro(r.input) + cached * micro(r.cachedInput) + usage.completion_tokens * micro(r.output);
  return Math.ceil(sum / MICRO) / MICRO;
}
