// Reads an OpenAI-shaped event stream (one JSON chunk per `data:` line) into neutral events.
// Tool-call deltas carry an index; the first delta of a call carries its id and name.
import { UpstreamError } from '../../../providers/errors.js';
import type { ChatEvent, ChatFinishReason, ChatUsage } from '../../../providers/chat-types.js';
import { isObject, type Json } from '../read.js';

const FINISH: Record<string, ChatFinishReason> = { stop: 'stop', length: 'length', tool_calls: 'tool_calls', function_call: 'tool_calls', content_filter: 'content_filter' };

const count = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.round(v) : 0);

/** OpenAI's usage object (DeepSeek names its cache hits `prompt_cache_hit_tokens`). */
export function openAiUsage(u: Json): ChatUsage {
  const details = isObject(u.prompt_tokens_details) ? u.prompt_tokens_details : {};
  const cached = count(details.cached_tokens) || count(u.prompt_cache_hit_tokens);
  const prompt = count(u.prompt_tokens);
  return { inputTokens: Math.max(0, prompt - cached), cachedInputTokens: Math.min(cached, prompt), cacheWriteTokens: 0, outputTokens: count(u.completion_tokens) };
}

export class OpenAiStreamDecoder {
  /** The upstream's tool-call index -> our ordinal. */
  private readonly tools = new Map<number, number>();

  constructor(private readonly provider: string) {}

  decode(chunk: unknown): ChatEvent[] {
    if (!isObject(chunk)) throw new UpstreamError('upstream_bad_response', `${this.provider} sent a stream chunk that is not an object`, { retryable: true });
    if (isObject(chunk.error)) {
      const message = typeof chunk.error.message === 'string' ? chunk.error.message : 'error';
      throw new UpstreamError('upstream_failed', `${this.provider} failed mid-stream: ${message.slice(0, 300)}`, { retryable: true });
    }
    const events: ChatEvent[] = [];
    const choice = Array.isArray(chunk.choices) ? chunk.choices.find((c) => isObject(c) && (c.index ?? 0) === 0) : undefined;
    if (isObject(choice)) {
      const delta = isObject(choice.delta) ? choice.delta : {};
      if (typeof delta.content === 'string' && delta.content) events.push({ type: 'text', text: delta.content });
      if (typeof delta.refusal === 'string' && delta.refusal) events.push({ type: 'text', text: delta.refusal });
      if (Array.isArray(delta.tool_calls))
        for (const call of delta.tool_calls) {
          if (!isObject(call)) continue;
          const upstreamIndex = typeof call.index === 'number' ? call.index : this.tools.size;
          const fn = isObject(call.function) ? call.function : {};
          let index = this.tools.get(upstreamIndex);
          if (index === undefined) {
            index = this.tools.size;
            this.tools.set(upstreamIndex, index);
            const id = typeof call.id === 'string' && call.id ? call.id : `call_${index}`;
            events.push({ type: 'tool_call', index, id, name: typeof fn.name === 'string' ? fn.name : '' });
          }
          if (typeof fn.arguments === 'string' && fn.arguments) events.push({ type: 'tool_arguments', index, json: fn.arguments });
        }
      if (typeof choice.finish_reason === 'string') events.push({ type: 'finish', reason: FINISH[choice.finish_reason] ?? 'stop' });
    }
    if (isObject(chunk.usage)) events.push({ type: 'usage', usage: openAiUsage(chunk.usage), final: true });
    return events;
  }
}
