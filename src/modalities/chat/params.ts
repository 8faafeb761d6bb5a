// A chat model's catalog block. Its price is per million tokens (`price.unit` = `1m_tokens`):
// `price.credits` is the input price, `price.rates` holds `output` (required), `cached_input`
// (default: the input price) and `cache_write` (Anthropic's cache writes; default: the input price).
import Type, { type Static } from 'typebox';
import type { ModelConfig } from '../../config/catalog-schema.js';
import { fromCredits } from '../../lib/credits.js';

export const CHAT_UNIT = '1m_tokens';

export const ChatParamsSchema = Type.Object(
  {
    /** Most tokens prompt and answer may take together. */
    context_length: Type.Integer({ minimum: 256, maximum: 10_000_000 }),
    /** Most tokens one answer may take. */
    max_output_tokens: Type.Integer({ minimum: 16, maximum: 1_000_000 }),
    /** Whether messages may carry images. */
    vision: Type.Boolean(),
    /** Whether the model takes tool definitions. */
    tools: Type.Boolean(),
  },
  { additionalProperties: false },
);

export type ChatParams = Static<typeof ChatParamsSchema>;

export const chatParams = (model: ModelConfig) => model.params as unknown as ChatParams;

/** Prices per million tokens in micro-credits, as a chat request keeps them. */
export interface ChatPrice {
  unit: typeof CHAT_UNIT;
  input_micro: number;
  cached_input_micro: number;
  cache_write_micro: number;
  output_micro: number;
}

export function chatPrice(model: ModelConfig): ChatPrice {
  const input = model.price.credits;
  const rates = model.price.rates ?? {};
  return {
    unit: CHAT_UNIT,
    input_micro: fromCredits(input),
    cached_input_micro: fromCredits(rates.cached_input ?? input),
    cache_write_micro: fromCredits(rates.cache_write ?? input),
    output_micro: fromCredits(rates.output ?? 0),
  };
}

export const FREE_PRICE: ChatPrice = { unit: CHAT_UNIT, input_micro: 0, cached_input_micro: 0, cache_write_micro: 0, output_micro: 0 };

export function checkChatParams(model: ModelConfig): string[] {
  const problems: string[] = [];
  const p = chatParams(model);
  if (p.max_output_tokens > p.context_length) problems.push('/params/max_output_tokens: larger than context_length');
  if (model.price.unit !== CHAT_UNIT) problems.push(`/price/unit: a chat model is priced per ${CHAT_UNIT}, not per ${model.price.unit}`);
  const rates = model.price.rates ?? {};
  if (rates.output === undefined) problems.push('/price/rates/output: a chat model needs its output price per million tokens');
  for (const name of Object.keys(rates))
    if (!['output', 'cached_input', 'cache_write'].includes(name)) problems.push(`/price/rates/${name}: a chat model's rates are output, cached_input and cache_write`);
  return problems;
}
