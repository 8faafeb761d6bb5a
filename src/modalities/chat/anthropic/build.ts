// The neutral request as an Anthropic Messages body. Turns alternate: tool results join the
// next user turn (first, as the API wants them), consecutive same-role messages merge, and
// empty text is left out (the API refuses empty text blocks). Always streamed.
import type { ChatMessage, ChatOpInput, ChatPart, ChatToolChoice } from '../../../providers/chat-types.js';
import type { Json } from '../read.js';

function block(part: ChatPart): Json | undefined {
  const cache = part.cacheControl !== undefined ? { cache_control: part.cacheControl } : {};
  if (part.type === 'text') return part.text ? { type: 'text', text: part.text, ...cache } : undefined;
  const source = part.source.kind === 'url' ? { type: 'url', url: part.source.url } : { type: 'base64', media_type: part.source.mediaType, data: part.source.data };
  return { type: 'image', source, ...cache };
}

const blocks = (parts: ChatPart[]) => parts.map(block).filter((b): b is Json => b !== undefined);

function turn(m: ChatMessage): { role: 'user' | 'assistant'; content: Json[] } {
  switch (m.role) {
    case 'assistant': {
      const toolUses = m.toolCalls.map((c) => ({ type: 'tool_use', id: c.id, name: c.name, input: parseArguments(c.arguments) }));
      return { role: 'assistant', content: [...blocks(m.content), ...toolUses] };
    }
    case 'tool': {
      const result: Json = { type: 'tool_result', tool_use_id: m.toolCallId, content: blocks(m.content) };
      if (m.isError) result.is_error = true;
      return { role: 'user', content: [result] };
    }
    default:
      // A mid-conversation system message never reaches here: the target check refuses it.
      return { role: 'user', content: blocks(m.content) };
  }
}

/** Tool-call arguments are JSON object text (the target check refused any other). */
function parseArguments(text: string): Json {
  const value = JSON.parse(text || '{}') as unknown;
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

function toolChoice(choice: ChatToolChoice | undefined, parallel: boolean | undefined): Json | undefined {
  const base: Json | undefined = !choice
    ? parallel === false
      ? { type: 'auto' }
      : undefined
    : choice.type === 'tool'
      ? { type: 'tool', name: choice.name }
      : { type: choice.type === 'required' ? 'any' : choice.type };
  if (base && parallel === false && base.type !== 'none') base.disable_parallel_tool_use = true;
  return base;
}

export function buildAnthropicBody(input: ChatOpInput): Json {
  const r = input.request;
  const messages: Array<{ role: string; content: Json[] }> = [];
  for (const m of r.messages) {
    const next = turn(m);
    if (!next.content.length) continue;
    const last = messages.at(-1);
    if (last && last.role === next.role) {
      // Tool results lead a user turn.
      const results = next.content.filter((b) => b.type === 'tool_result');
      if (results.length) last.content = [...last.content.filter((b) => b.type === 'tool_result'), ...results, ...last.content.filter((b) => b.type !== 'tool_result'), ...next.content.filter((b) => b.type !== 'tool_result')];
      else last.content.push(...next.content);
    } else messages.push(next);
  }
  const body: Json = { model: input.upstreamModel, max_tokens: r.maxTokens, messages, stream: true };
  const system = blocks(r.system);
  if (system.length) body.system = system.some((b) => b.cache_control !== undefined) ? system : system.map((b) => b.text).join('\n\n');
  if (r.temperature !== undefined) body.temperature = r.temperature;
  if (r.topP !== undefined) body.top_p = r.topP;
  if (r.stop?.length) body.stop_sequences = r.stop;
  if (r.tools?.length)
    body.tools = r.tools.map((t) => ({
      name: t.name,
      ...(t.description !== undefined ? { description: t.description } : {}),
      input_schema: t.parameters,
      ...(t.cacheControl !== undefined ? { cache_control: t.cacheControl } : {}),
    }));
  const choice = r.tools?.length ? toolChoice(r.toolChoice, r.parallelToolCalls) : undefined;
  if (choice) body.tool_choice = choice;
  if (r.user !== undefined) body.metadata = { user_id: r.user };
  return { ...body, ...r.extras.anthropic };
}
