// An Anthropic Messages body (POST /v1/messages) into the neutral request. A user turn's
// tool_result blocks become tool messages (then the rest of the turn a user message), an
// assistant turn's tool_use blocks its tool calls. `cache_control` marks are kept for Anthropic
// upstreams (OpenAI-dialect upstreams cache prompts on their own).
import type { ChatMessage, ChatPart, ChatTool, ChatToolCall, ChatToolChoice } from '../../../providers/chat-types.js';
import { TOOL_NAME } from '../openai/parse.js';
import {
  IMAGE_TYPES,
  array,
  boolean,
  integer,
  invalid,
  missing,
  number,
  object,
  onlyKnown,
  oneOf,
  present,
  stopList,
  string,
  unsupported,
  type Json,
} from '../read.js';
import type { DialectOnly, ParsedChat } from '../types.js';

/** Passed to Anthropic upstreams as given (newer Messages fields included: the upstream checks them). */
const ANTHROPIC_ONLY: Record<string, string> = {
  top_k: 'top_k',
  service_tier: 'a service_tier',
  cache_control: 'a request-level cache_control',
  output_config: 'an output_config',
  inference_geo: 'an inference_geo',
  speed: 'a speed',
};

const NOT_OFFERED: Record<string, string> = {
  thinking: 'Extended thinking is not offered by this gateway yet.',
  container: 'Containers are not offered by this gateway.',
  mcp_servers: 'MCP servers are not offered by this gateway.',
  diagnostics: 'Diagnostics are not offered by this gateway.',
  context_management: 'Context management is not offered by this gateway.',
};

const KNOWN = ['model', 'max_tokens', 'messages', 'system', 'stream', 'temperature', 'top_p', 'stop_sequences', 'tools', 'tool_choice', 'metadata', ...Object.keys(ANTHROPIC_ONLY), ...Object.keys(NOT_OFFERED)];

export function parseAnthropicMessages(body: Json): ParsedChat {
  onlyKnown(body, KNOWN);
  for (const [name, why] of Object.entries(NOT_OFFERED))
    if (present(body[name]) && !(name === 'thinking' && (body.thinking as Json)?.type === 'disabled')) throw unsupported(name, why);
  const only: DialectOnly[] = [];
  const images: string[] = [];

  const model = string(body.model ?? '', 'model', { min: 1, max: 200 });
  if (!present(body.max_tokens)) throw missing('max_tokens');
  const maxTokens = { value: integer(body.max_tokens, 'max_tokens', 1, 10_000_000), param: 'max_tokens' };
  if (!present(body.messages)) throw missing('messages');
  const messages = parseMessages(array(body.messages, 'messages', { min: 1 }), only, images);
  const system = present(body.system) ? systemParts(body.system) : [];

  const temperature = present(body.temperature) ? number(body.temperature, 'temperature', 0, 1) : undefined;
  const topP = present(body.top_p) ? number(body.top_p, 'top_p', 0, 1) : undefined;
  const stop = present(body.stop_sequences) ? stopList(body.stop_sequences, 'stop_sequences', 8191) : undefined;
  if (stop && stop.length > 4) only.push({ dialect: 'anthropic', param: 'stop_sequences', what: 'more than 4 stop sequences' });
  const tools = present(body.tools) ? parseTools(array(body.tools, 'tools')) : undefined;
  const { toolChoice, parallelToolCalls } = present(body.tool_choice) ? parseToolChoice(body.tool_choice) : { toolChoice: undefined, parallelToolCalls: undefined };
  let user: string | undefined;
  if (present(body.metadata)) {
    const metadata = object(body.metadata, 'metadata');
    onlyKnown(metadata, ['user_id'], 'metadata');
    if (present(metadata.user_id)) user = string(metadata.user_id, 'metadata.user_id', { max: 256 });
  }
  const extras: Json = {};
  for (const [name, what] of Object.entries(ANTHROPIC_ONLY))
    if (present(body[name])) {
      extras[name] = name === 'top_k' ? integer(body[name], name, 0, 1_000_000) : body[name];
      only.push({ dialect: 'anthropic', param: name, what });
    }
  const last = messages.at(-1);
  if (last?.role === 'assistant') only.push({ dialect: 'anthropic', param: `messages[${(body.messages as unknown[]).length - 1}]`, what: 'continuing a partial assistant message (prefill)' });

  return {
    shape: 'anthropic',
    model,
    stream: present(body.stream) ? boolean(body.stream, 'stream') : false,
    includeUsage: true,
    maxTokens,
    request: { system, messages, temperature, topP, stop, tools, toolChoice, parallelToolCalls, user, extras: Object.keys(extras).length ? { anthropic: extras } : {} },
    only,
    images,
  };
}

function systemParts(v: unknown): ChatPart[] {
  if (typeof v === 'string') return v ? [{ type: 'text', text: v }] : [];
  return array(v, 'system').map((raw, i) => {
    const block = object(raw, `system[${i}]`);
    onlyKnown(block, ['type', 'text', 'cache_control', 'citations'], `system[${i}]`);
    oneOf(block.type, `system[${i}].type`, ['text']);
    return textBlock(block, `system[${i}]`);
  });
}

function textBlock(block: Json, at: string): ChatPart {
  if (present(block.citations)) throw unsupported(`${at}.citations`, 'Citations are not offered by this gateway.');
  const part: ChatPart = { type: 'text', text: string(block.text, `${at}.text`) };
  if (present(block.cache_control)) part.cacheControl = object(block.cache_control, `${at}.cache_control`);
  return part;
}

function imageBlock(block: Json, at: string, images: string[]): ChatPart {
  onlyKnown(block, ['type', 'source', 'cache_control'], at);
  const source = object(block.source, `${at}.source`);
  const kind = oneOf(source.type, `${at}.source.type`, ['base64', 'url', 'file']);
  if (kind === 'file') throw unsupported(`${at}.source`, 'File references are not offered by this gateway; send the image as base64 or a URL.');
  images.push(at);
  const cacheControl = present(block.cache_control) ? object(block.cache_control, `${at}.cache_control`) : undefined;
  if (kind === 'url') {
    onlyKnown(source, ['type', 'url'], `${at}.source`);
    const url = string(source.url, `${at}.source.url`, { min: 1 });
    if (!/^https?:\/\//i.test(url)) throw invalid(`${at}.source.url`, 'An image URL must be an http(s) URL.');
    return { type: 'image', source: { kind: 'url', url }, cacheControl };
  }
  onlyKnown(source, ['type', 'media_type', 'data'], `${at}.source`);
  const mediaType = oneOf(source.media_type, `${at}.source.media_type`, IMAGE_TYPES);
  return { type: 'image', source: { kind: 'base64', mediaType, data: string(source.data, `${at}.source.data`, { min: 1 }) }, cacheControl };
}

function parseMessages(list: unknown[], only: DialectOnly[], images: string[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  list.forEach((raw, i) => {
    const at = `messages[${i}]`;
    const m = object(raw, at);
    onlyKnown(m, ['role', 'content'], at);
    const role = oneOf(m.role, `${at}.role`, ['user', 'assistant']);
    const blocks: Json[] =
      typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : array(m.content, `${at}.content`, { min: 1 }).map((b, j) => object(b, `${at}.content[${j}]`));
    if (role === 'assistant') {
      const content: ChatPart[] = [];
      const toolCalls: ChatToolCall[] = [];
      blocks.forEach((block, j) => {
        const where = `${at}.content[${j}]`;
        const type = oneOf(block.type, `${where}.type`, ['text', 'tool_use', 'thinking', 'redacted_thinking', 'server_tool_use', 'web_search_tool_result']);
        if (type === 'text') {
          onlyKnown(block, ['type', 'text', 'cache_control', 'citations'], where);
          content.push(textBlock(block, where));
        } else if (type === 'tool_use') {
          onlyKnown(block, ['type', 'id', 'name', 'input', 'cache_control'], where);
          const input = present(block.input) ? object(block.input, `${where}.input`) : {};
          toolCalls.push({ id: string(block.id, `${where}.id`, { min: 1, max: 200 }), name: string(block.name, `${where}.name`, { min: 1, max: 64 }), arguments: JSON.stringify(input) });
        } else throw unsupported(where, `'${type}' blocks are not supported by this gateway.`);
      });
      out.push({ role: 'assistant', content, toolCalls });
      return;
    }
    const content: ChatPart[] = [];
    blocks.forEach((block, j) => {
      const where = `${at}.content[${j}]`;
      const type = oneOf(block.type, `${where}.type`, ['text', 'image', 'tool_result', 'document', 'search_result']);
      if (type === 'text') {
        onlyKnown(block, ['type', 'text', 'cache_control', 'citations'], where);
        content.push(textBlock(block, where));
      } else if (type === 'image') content.push(imageBlock(block, where, images));
      else if (type === 'tool_result') {
        onlyKnown(block, ['type', 'tool_use_id', 'content', 'is_error', 'cache_control'], where);
        const result = toolResultParts(block.content, `${where}.content`, images);
        if (result.some((p) => p.type === 'image')) only.push({ dialect: 'anthropic', param: `${where}.content`, what: 'images in a tool result' });
        out.push({
          role: 'tool',
          toolCallId: string(block.tool_use_id, `${where}.tool_use_id`, { min: 1, max: 200 }),
          content: result,
          isError: present(block.is_error) ? boolean(block.is_error, `${where}.is_error`) : undefined,
        });
      } else throw unsupported(where, `'${type}' blocks are not supported by this gateway; send text and images.`);
    });
    if (content.length) out.push({ role: 'user', content });
  });
  return out;
}

function toolResultParts(v: unknown, at: string, images: string[]): ChatPart[] {
  if (!present(v)) return [];
  if (typeof v === 'string') return [{ type: 'text', text: v }];
  return array(v, at).map((raw, k) => {
    const where = `${at}[${k}]`;
    const block = object(raw, where);
    const type = oneOf(block.type, `${where}.type`, ['text', 'image']);
    if (type === 'text') {
      onlyKnown(block, ['type', 'text', 'cache_control', 'citations'], where);
      return textBlock(block, where);
    }
    return imageBlock(block, where, images);
  });
}

function parseTools(list: unknown[]): ChatTool[] {
  return list.map((raw, i) => {
    const at = `tools[${i}]`;
    const tool = object(raw, at);
    if (present(tool.type) && tool.type !== 'custom') throw unsupported(`${at}.type`, `Server tools ('${String(tool.type)}') are not offered by this gateway; define your own tools.`);
    onlyKnown(tool, ['type', 'name', 'description', 'input_schema', 'cache_control'], at);
    const name = string(tool.name, `${at}.name`, { min: 1 });
    if (!TOOL_NAME.test(name)) throw invalid(`${at}.name`, 'A tool name is 1 to 64 letters, digits, underscores or dashes.');
    return {
      name,
      description: present(tool.description) ? string(tool.description, `${at}.description`) : undefined,
      parameters: object(tool.input_schema, `${at}.input_schema`),
      cacheControl: present(tool.cache_control) ? object(tool.cache_control, `${at}.cache_control`) : undefined,
    };
  });
}

function parseToolChoice(v: unknown): { toolChoice: ChatToolChoice; parallelToolCalls?: boolean } {
  const choice = object(v, 'tool_choice');
  onlyKnown(choice, ['type', 'name', 'disable_parallel_tool_use'], 'tool_choice');
  const type = oneOf(choice.type, 'tool_choice.type', ['auto', 'any', 'tool', 'none']);
  const parallelToolCalls = present(choice.disable_parallel_tool_use) ? !boolean(choice.disable_parallel_tool_use, 'tool_choice.disable_parallel_tool_use') : undefined;
  if (type === 'tool') return { toolChoice: { type: 'tool', name: string(choice.name, 'tool_choice.name', { min: 1 }) }, parallelToolCalls };
  return { toolChoice: { type: type === 'any' ? 'required' : type }, parallelToolCalls };
}
