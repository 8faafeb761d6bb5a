// Neutral events as OpenAI's chat-completions answer: streamed chunks (the same id and created
// in every chunk, a role chunk first, tool-call deltas by index, the finish chunk, the usage
// chunk when asked for) or one `chat.completion` object.
import type { ChatEvent, ChatFinishReason, ChatUsage } from '../../../providers/chat-types.js';
import type { ChatAnswer } from '../answer.js';
import type { Json } from '../read.js';

const FINISH: Record<ChatFinishReason, string> = { stop: 'stop', length: 'length', tool_calls: 'tool_calls', content_filter: 'content_filter', stop_sequence: 'stop', pause: 'stop' };

export const openAiFinish = (reason: ChatFinishReason | undefined) => FINISH[reason ?? 'stop'];

export function openAiUsageJson(u: ChatUsage): Json {
  const prompt = u.inputTokens + u.cachedInputTokens + u.cacheWriteTokens;
  return {
    prompt_tokens: prompt,
    completion_tokens: u.outputTokens,
    total_tokens: prompt + u.outputTokens,
    prompt_tokens_details: { cached_tokens: u.cachedInputTokens },
    completion_tokens_details: { reasoning_tokens: 0 },
  };
}

export class OpenAiChunkWriter {
  private readonly created = Math.floor(Date.now() / 1000);

  constructor(
    private readonly id: string,
    private readonly model: string,
    private readonly includeUsage: boolean,
  ) {}

  private chunk(delta: Json, finish: string | null = null): Json {
    return {
      id: this.id,
      object: 'chat.completion.chunk',
      created: this.created,
      model: this.model,
      system_fingerprint: null,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      ...(this.includeUsage ? { usage: null } : {}),
    };
  }

  start(): Json[] {
    return [this.chunk({ role: 'assistant', content: '', refusal: null })];
  }

  event(e: ChatEvent): Json[] {
    switch (e.type) {
      case 'text':
        return [this.chunk({ content: e.text })];
      case 'tool_call':
        return [this.chunk({ tool_calls: [{ index: e.index, id: e.id, type: 'function', function: { name: e.name, arguments: '' } }] })];
      case 'tool_arguments':
        return [this.chunk({ tool_calls: [{ index: e.index, function: { arguments: e.json } }] })];
      default:
        return [];
    }
  }

  end(finish: ChatFinishReason | undefined, usage: ChatUsage): Json[] {
    const out = [this.chunk({}, openAiFinish(finish))];
    if (this.includeUsage) out.push({ id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.model, system_fingerprint: null, choices: [], usage: openAiUsageJson(usage) });
    return out;
  }
}

export function openAiCompletion(id: string, model: string, answer: ChatAnswer, usage: ChatUsage): Json {
  const calls = answer.toolCalls.filter(Boolean);
  const message: Json = { role: 'assistant', content: answer.text || (calls.length ? null : ''), refusal: null };
  if (calls.length) message.tool_calls = calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } }));
  return {
    id,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    system_fingerprint: null,
    choices: [{ index: 0, message, logprobs: null, finish_reason: openAiFinish(answer.finish) }],
    usage: openAiUsageJson(usage),
  };
}
