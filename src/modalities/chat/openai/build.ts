// The neutral request as an OpenAI chat-completions body, for any upstream that speaks that
// shape. Always streamed with the usage chunk asked for: the platform bills from it.
import type { ChatMessage, ChatOpInput, ChatPart, ChatToolChoice } from '../../../providers/chat-types.js';
import type { Json } from '../read.js';

export interface OpenAiBodyOptions {
  /** OpenAI itself takes `max_completion_tokens`; most compatible providers only `max_tokens`. */
  maxTokensField: 'max_completion_tokens' | 'max_tokens';
}

export const joinText = (parts: ChatPart[]) => parts.map((p) => (p.type === 'text' ? p.text : '')).join('\n\n');

function imageUrl(part: Extract<ChatPart, { type: 'image' }>): Json {
  const url = part.source.kind === 'url' ? part.source.url : `data:${part.source.mediaType};base64,${part.source.data}`;
  return { type: 'image_url', image_url: part.detail ? { url, detail: part.detail } : { url } };
}

function message(m: ChatMessage): Json {
  switch (m.role) {
    case 'system':
      return { role: 'system', content: joinText(m.content) };
    case 'user':
      if (m.content.length === 1 && m.content[0]!.type === 'text') return { role: 'user', content: m.content[0]!.text };
      return { role: 'user', content: m.content.map((p) => (p.type === 'text' ? { type: 'text', text: p.text } : imageUrl(p))) };
    case 'assistant': {
      const text = joinText(m.content);
      const out: Json = { role: 'assistant', content: text || (m.toolCalls.length ? null : '') };
      if (m.toolCalls.length) out.tool_calls = m.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } }));
      return out;
    }
    case 'tool':
      return { role: 'tool', tool_call_id: m.toolCallId, content: `${m.isError ? 'Error: ' : ''}${joinText(m.content)}` };
  }
}

function toolChoice(choice: ChatToolChoice): unknown {
  return choice.type === 'tool' ? { type: 'function', function: { name: choice.name } } : choice.type;
}

export function buildOpenAiBody(input: ChatOpInput, opts: OpenAiBodyOptions): Json {
  const r = input.request;
  const messages: Json[] = [];
  if (r.system.length) messages.push({ role: 'system', content: joinText(r.system) });
  for (const m of r.messages) messages.push(message(m));
  const body: Json = {
    model: input.upstreamModel,
    messages,
    stream: true,
    stream_options: { include_usage: true },
    [opts.maxTokensField]: r.maxTokens,
  };
  if (r.temperature !== undefined) body.temperature = r.temperature;
  if (r.topP !== undefined) body.top_p = r.topP;
  if (r.stop?.length) body.stop = r.stop;
  if (r.tools?.length)
    body.tools = r.tools.map((t) => ({
      type: 'function',
      function: { name: t.name, ...(t.description !== undefined ? { description: t.description } : {}), parameters: t.parameters, ...(t.strict !== undefined ? { strict: t.strict } : {}) },
    }));
  if (r.toolChoice) body.tool_choice = toolChoice(r.toolChoice);
  if (r.parallelToolCalls !== undefined && r.tools?.length) body.parallel_tool_calls = r.parallelToolCalls;
  if (r.user !== undefined) body.user = r.user;
  return { ...body, ...r.extras.openai };
}
