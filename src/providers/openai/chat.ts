// OpenAI chat completions, streamed: `POST {base}/v1/chat/completions` with Bearer auth. The same
// adapter serves every provider that speaks this shape at its own base URL (DeepSeek, Qwen,
// Moonshot, Mistral, Gemini's OpenAI endpoint, ...): see ../openai-compatible.ts.
import { buildOpenAiBody, type OpenAiBodyOptions } from '../../modalities/chat/openai/build.js';
import { OpenAiStreamDecoder } from '../../modalities/chat/openai/stream.js';
import { chatOperation, type ChatOperation } from '../chat-types.js';
import { chatStreamOf, openEventSource, parseEventData } from '../chat-http.js';

export interface OpenAiChatOptions extends OpenAiBodyOptions {
  /** The provider's name in messages and logs. */
  name: string;
  /** Appended to the base URL: `/v1/chat/completions` for OpenAI (base without /v1), `/chat/completions` for most others. */
  path: string;
}

export function openAiChat(opts: OpenAiChatOptions): ChatOperation {
  return chatOperation('openai', async (input, ctx) => {
    const body = buildOpenAiBody(input, opts);
    const headers = { Authorization: `Bearer ${ctx.credentials.apiKey ?? ''}`, 'Content-Type': 'application/json', Accept: 'text/event-stream' };
    const source = await openEventSource(opts.name, `${ctx.credentials.baseUrl}${opts.path}`, { method: 'POST', headers, body: JSON.stringify(body) }, ctx);
    const decoder = new OpenAiStreamDecoder(opts.name);
    return chatStreamOf(opts.name, source, (m) => (m.data.trim() === '[DONE]' ? { events: [], complete: true } : { events: decoder.decode(parseEventData(opts.name, m.data)), complete: false }));
  });
}

export const chatWithOpenAi = openAiChat({ name: 'OpenAI', path: '/v1/chat/completions', maxTokensField: 'max_completion_tokens' });
