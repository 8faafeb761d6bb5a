// Neutral events as Anthropic's Messages answer: the SSE sequence (message_start, then per
// block content_block_start / deltas / content_block_stop, then message_delta with the stop
// reason and cumulative usage, then message_stop) or one `message` object.
import type { ChatEvent, ChatFinishReason, ChatUsage } from '../../../providers/chat-types.js';
import type { ChatAnswer } from '../answer.js';
import type { Json } from '../read.js';

const STOP: Record<ChatFinishReason, string> = { stop: 'end_turn', length: 'max_tokens', tool_calls: 'tool_use', content_filter: 'refusal', stop_sequence: 'stop_sequence', pause: 'pause_turn' };

export const anthropicStop = (reason: ChatFinishReason | undefined) => STOP[reason ?? 'stop'];

export function anthropicUsageJson(u: ChatUsage): Json {
  return { input_tokens: u.inputTokens, cache_creation_input_tokens: u.cacheWriteTokens, cache_read_input_tokens: u.cachedInputTokens, output_tokens: u.outputTokens };
}

/** Tool arguments as the object Anthropic clients expect (text that is not an object: kept under `_raw`). */
export function toolInput(text: string): Json {
  try {
    const value = JSON.parse(text || '{}') as unknown;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Json;
  } catch {
    /* below */
  }
  return { _raw: text };
}

export type SseEvent = [event: string, data: Json];

export class AnthropicEventWriter {
  private index = -1;
  private open: 'text' | 'tool' | undefined;
  private tool = -1;

  constructor(
    private readonly id: string,
    private readonly model: string,
  ) {}

  start(usage: ChatUsage): SseEvent[] {
    const message = { id: this.id, type: 'message', role: 'assistant', model: this.model, content: [], stop_reason: null, stop_sequence: null, usage: anthropicUsageJson({ ...usage, outputTokens: 0 }) };
    return [['message_start', { type: 'message_start', message }]];
  }

  private close(): SseEvent[] {
    if (!this.open) return [];
    this.open = undefined;
    return [['content_block_stop', { type: 'content_block_stop', index: this.index }]];
  }

  event(e: ChatEvent): SseEvent[] {
    switch (e.type) {
      case 'text': {
        const out: SseEvent[] = [];
        if (this.open !== 'text') {
          out.push(...this.close());
          this.index++;
          this.open = 'text';
          out.push(['content_block_start', { type: 'content_block_start', index: this.index, content_block: { type: 'text', text: '' } }]);
        }
        out.push(['content_block_delta', { type: 'content_block_delta', index: this.index, delta: { type: 'text_delta', text: e.text } }]);
        return out;
      }
      case 'tool_call': {
        const out = this.close();
        this.index++;
        this.open = 'tool';
        this.tool = e.index;
        out.push(['content_block_start', { type: 'content_block_start', index: this.index, content_block: { type: 'tool_use', id: e.id, name: e.name, input: {} } }]);
        return out;
      }
      case 'tool_arguments':
        if (this.open !== 'tool' || e.index !== this.tool) return [];
        return [['content_block_delta', { type: 'content_block_delta', index: this.index, delta: { type: 'input_json_delta', partial_json: e.json } }]];
      default:
        return [];
    }
  }

  end(finish: ChatFinishReason | undefined, stopSequence: string | null | undefined, usage: ChatUsage): SseEvent[] {
    return [
      ...this.close(),
      ['message_delta', { type: 'message_delta', delta: { stop_reason: anthropicStop(finish), stop_sequence: stopSequence ?? null }, usage: anthropicUsageJson(usage) }],
      ['message_stop', { type: 'message_stop' }],
    ];
  }
}

export function anthropicMessage(id: string, model: string, answer: ChatAnswer, usage: ChatUsage): Json {
  const content: Json[] = [];
  if (answer.text) content.push({ type: 'text', text: answer.text });
  for (const call of answer.toolCalls.filter(Boolean)) content.push({ type: 'tool_use', id: call.id, name: call.name, input: toolInput(call.arguments) });
  return {
    id,
    type: 'message',
    role: 'assistant',
    model,
    content,
    stop_reason: anthropicStop(answer.finish),
    stop_sequence: answer.stopSequence ?? null,
    usage: anthropicUsageJson(usage),
  };
}
