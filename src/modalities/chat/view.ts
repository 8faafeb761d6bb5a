// What the model pages, the catalog (GET /api/v1/models, GET /v1/models) and the docs show of a
// chat model: the same facets a task modality offers (endpoint, parameters, example, describe).
import type { ModelConfig } from '../../config/catalog-schema.js';
import type { ParameterView } from '../types.js';
import { chatParams } from './params.js';

const USD_PER_CREDIT = 0.01;
const usd = (credits: number) => Number((credits * USD_PER_CREDIT).toFixed(6));

export const chatView = {
  type: 'chat' as const,
  endpoint: '/v1/chat/completions',
  summary: 'Create a chat completion',

  parameters(model: ModelConfig): ParameterView[] {
    const p = chatParams(model);
    return [
      { name: 'messages', type: 'string', required: true, widget: 'textarea', description: 'The conversation: OpenAI messages (system, user, assistant, tool) or Anthropic turns (user, assistant).' },
      { name: 'max_tokens', type: 'integer', required: false, minimum: 1, maximum: p.max_output_tokens, description: `Most tokens to write (at most ${p.max_output_tokens}). Without it, the model's limit lowered to what the balance covers.` },
      { name: 'temperature', type: 'number', required: false, minimum: 0, maximum: 2, description: 'Sampling temperature (0 to 2; Anthropic-served models take 0 to 1).' },
      { name: 'top_p', type: 'number', required: false, minimum: 0, maximum: 1, description: 'Nucleus sampling.' },
      { name: 'stream', type: 'boolean', required: false, default: false, description: 'Stream the answer as server-sent events.' },
      { name: 'stop', type: 'string', required: false, description: 'Where to stop (up to 4 sequences).' },
    ];
  },

  example(model: ModelConfig): Record<string, unknown> {
    return { model: model.id, messages: [{ role: 'user', content: model.example_prompt ?? 'Say hello in three languages.' }], max_tokens: 200 };
  },

  describe(model: ModelConfig): Record<string, unknown> {
    const p = chatParams(model);
    const rates = model.price.rates ?? {};
    const perMillion = {
      input: model.price.credits,
      cached_input: rates.cached_input ?? model.price.credits,
      cache_write: rates.cache_write ?? model.price.credits,
      output: rates.output ?? 0,
    };
    return {
      context_length: p.context_length,
      max_output_tokens: p.max_output_tokens,
      vision: p.vision,
      tools: p.tools,
      endpoints: { openai: '/v1/chat/completions', anthropic: '/v1/messages' },
      price_per_million_tokens: { credits: perMillion, usd: Object.fromEntries(Object.entries(perMillion).map(([k, v]) => [k, usd(v)])) },
    };
  },
};
