// Anthropic Messages, streamed: `POST {base}/v1/messages` with `x-api-key` and
// `anthropic-version: 2023-06-01`.
import { buildAnthropicBody } from '../../modalities/chat/anthropic/build.js';
import { AnthropicStreamDecoder } from '../../modalities/chat/anthropic/stream.js';
import { chatOperation } from '../chat-types.js';
import { chatStreamOf, openEventSource, parseEventData } from '../chat-http.js';

export const NAME = 'Anthropic';
export const ANTHROPIC_VERSION = '2023-06-01';

export const chatWithAnthropic = chatOperation('anthropic', async (input, ctx) => {
  const headers = { 'x-api-key': ctx.credentials.apiKey ?? '', 'anthropic-version': ANTHROPIC_VERSION, 'Content-Type': 'application/json', Accept: 'text/event-stream' };
  const source = await openEventSource(NAME, `${ctx.credentials.baseUrl}/v1/messages`, { method: 'POST', headers, body: JSON.stringify(buildAnthropicBody(input)) }, ctx);
  const decoder = new AnthropicStreamDecoder(NAME);
  return chatStreamOf(NAME, source, (m) => {
    const events = decoder.decode(m.event ?? 'message', parseEventData(NAME, m.data));
    return { events, complete: decoder.done };
  });
});
