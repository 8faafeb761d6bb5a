// Reads an Anthropic Messages event stream into neutral events: `message_start` carries the
// input usage, blocks carry text and tool calls, `message_delta` the stop reason and the
// cumulative usage, `message_stop` ends it; `ping` and unknown events are ignored, an `error`
// event (possible after the 200) is thrown.
import { UpstreamError, type UpstreamErrorCode } from '../../../providers/errors.js';
import type { ChatEvent, ChatFinishReason, ChatUsage } from '../../../providers/chat-types.js';
import { isObject, type Json } from '../read.js';

const STOP: Record<string, ChatFinishReason> = {
  end_turn: 'stop',
  max_tokens: 'length',
  stop_sequence: 'stop_sequence',
  tool_use: 'tool_calls',
  pause_turn: 'pause',
  refusal: 'content_filter',
  model_context_window_exceeded: 'length',
};

const count = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.round(v) : undefined);

/** An Anthropic error type as our classification: overload, rate limits and server errors may go to another node. */
export function anthropicErrorCode(type: string): { code: UpstreamErrorCode; retryable: boolean } {
  switch (type) {
    case 'overloaded_error':
    case 'api_error':
    case 'timeout_error':
      return { code: 'upstream_unavailable', retryable: true };
    case 'rate_limit_error':
      return { code: 'upstream_rate_limited', retryable: true };
    case 'authentication_error':
    case 'permission_error':
      return { code: 'upstream_auth_failed', retryable: false };
    default:
      return { code: 'upstream_invalid_request', retryable: false };
  }
}

export class AnthropicStreamDecoder {
  private readonly blocks = new Map<number, { tool?: number }>();
  private tools = 0;
  private usage: ChatUsage = { inputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0 };
  /** True after `message_stop`: the answer is complete. */
  done = false;

  constructor(private readonly provider: string) {}

  private mergeUsage(u: unknown): ChatUsage {
    if (!isObject(u)) return this.usage;
    const next = { ...this.usage };
    next.inputTokens = count(u.input_tokens) ?? next.inputTokens;
    next.cachedInputTokens = count(u.cache_read_input_tokens) ?? next.cachedInputTokens;
    next.cacheWriteTokens = count(u.cache_creation_input_tokens) ?? next.cacheWriteTokens;
    next.outputTokens = count(u.output_tokens) ?? next.outputTokens;
    this.usage = next;
    return next;
  }

  decode(event: string, data: unknown): ChatEvent[] {
    const d: Json = isObject(data) ? data : {};
    const type = typeof d.type === 'string' ? d.type : event;
    switch (type) {
      case 'message_start':
        return [{ type: 'usage', usage: this.mergeUsage(isObject(d.message) ? d.message.usage : undefined), final: false }];
      case 'content_block_start': {
        const index = typeof d.index === 'number' ? d.index : this.blocks.size;
        const block = isObject(d.content_block) ? d.content_block : {};
        if (block.type === 'tool_use') {
          const tool = this.tools++;
          this.blocks.set(index, { tool });
          return [{ type: 'tool_call', index: tool, id: String(block.id ?? `toolu_${tool}`), name: String(block.name ?? '') }];
        }
        this.blocks.set(index, {});
        return block.type === 'text' && typeof block.text === 'string' && block.text ? [{ type: 'text', text: block.text }] : [];
      }
      case 'content_block_delta': {
        const delta = isObject(d.delta) ? d.delta : {};
        if (delta.type === 'text_delta' && typeof delta.text === 'string' && delta.text) return [{ type: 'text', text: delta.text }];
        const tool = this.blocks.get(typeof d.index === 'number' ? d.index : -1)?.tool;
        if (delta.type === 'input_json_delta' && tool !== undefined && typeof delta.partial_json === 'string' && delta.partial_json)
          return [{ type: 'tool_arguments', index: tool, json: delta.partial_json }];
        return [];
      }
      case 'message_delta': {
        const events: ChatEvent[] = [];
        const delta = isObject(d.delta) ? d.delta : {};
        if (typeof delta.stop_reason === 'string')
          events.push({ type: 'finish', reason: STOP[delta.stop_reason] ?? 'stop', stopSequence: typeof delta.stop_sequence === 'string' ? delta.stop_sequence : null });
        events.push({ type: 'usage', usage: this.mergeUsage(d.usage), final: true });
        return events;
      }
      case 'message_stop':
        this.done = true;
        return [];
      case 'error': {
        const err = isObject(d.error) ? d.error : {};
        const errorType = typeof err.type === 'string' ? err.type : 'api_error';
        const { code, retryable } = anthropicErrorCode(errorType);
        throw new UpstreamError(code, `${this.provider} sent an error event (${errorType}): ${String(err.message ?? '').slice(0, 300)}`, { retryable });
      }
      default:
        return [];
    }
  }
}
