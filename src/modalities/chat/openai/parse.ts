// An OpenAI chat-completions body (POST /v1/chat/completions) into the neutral request. Every
// field is either understood, passed on to OpenAI-dialect upstreams only (and refused for the
// others by the target check), or refused here by name: nothing is dropped silently.
import type { ChatMessage, ChatPart, ChatTool, ChatToolCall, ChatToolChoice } from '../../../providers/chat-types.js';
import {
  IMAGE_TYPES,
  array,
  boolean,
  integer,
  invalid,
  isObject,
  missing,
  number,
  object,
  onlyKnown,
  oneOf,
  parseDataUrl,
  present,
  stopList,
  string,
  unsupported,
  type Json,
} from '../read.js';
import type { DialectOnly, ParsedChat } from '../types.js';

/** Passed to OpenAI-dialect upstreams as given; the upstream checks their values. */
const OPENAI_ONLY: Record<string, string> = {
  seed: 'a seed',
  response_format: 'a response_format',
  frequency_penalty: 'a frequency_penalty',
  presence_penalty: 'a presence_penalty',
  logit_bias: 'a logit_bias',
  reasoning_effort: 'a reasoning_effort',
  prompt_cache_key: 'a prompt_cache_key',
  safety_identifier: 'a safety_identifier',
  service_tier: 'a service_tier',
};

/** OpenAI parameters this gateway does not offer (with the value that is harmless, if any). */
const NOT_OFFERED: Record<string, { harmless?: unknown; why: string }> = {
  n: { harmless: 1, why: 'Only one choice per request is supported; leave n out or set it to 1.' },
  logprobs: { harmless: false, why: 'Log probabilities are not returned by this gateway.' },
  top_logprobs: { why: 'Log probabilities are not returned by this gateway.' },
  store: { harmless: false, why: 'Stored completions are not offered by this gateway.' },
  metadata: { why: 'Stored-completion metadata is not offered by this gateway.' },
  functions: { why: "The legacy 'functions' parameter is not supported; use 'tools'." },
  function_call: { why: "The legacy 'function_call' parameter is not supported; use 'tool_choice'." },
  modalities: { why: 'Only text output is offered by this gateway.' },
  audio: { why: 'Audio output is not offered by this gateway.' },
  prediction: { why: 'Predicted outputs are not offered by this gateway.' },
  web_search_options: { why: 'Web search is not offered by this gateway.' },
  verbosity: { why: 'verbosity is not offered by this gateway.' },
};

const KNOWN = ['model', 'messages', 'stream', 'stream_options', 'max_completion_tokens', 'max_tokens', 'temperature', 'top_p', 'stop', 'tools', 'tool_choice', 'parallel_tool_calls', 'user', ...Object.keys(OPENAI_ONLY), ...Object.keys(NOT_OFFERED)];

export const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

export function parseOpenAiChat(body: Json): ParsedChat {
  onlyKnown(body, KNOWN);
  const only: DialectOnly[] = [];
  const images: string[] = [];
  for (const [name, rule] of Object.entries(NOT_OFFERED))
    if (present(body[name]) && body[name] !== rule.harmless) throw unsupported(name, rule.why);

  const model = string(body.model ?? '', 'model', { min: 1, max: 200 });
  if (!present(body.messages)) throw missing('messages');
  const { system, messages } = parseMessages(array(body.messages, 'messages', { min: 1 }), only, images);

  const stream = present(body.stream) ? boolean(body.stream, 'stream') : false;
  let includeUsage = false;
  if (present(body.stream_options)) {
    const options = object(body.stream_options, 'stream_options');
    onlyKnown(options, ['include_usage', 'include_obfuscation'], 'stream_options');
    if (present(options.include_usage)) includeUsage = boolean(options.include_usage, 'stream_options.include_usage');
    if (present(options.include_obfuscation)) boolean(options.include_obfuscation, 'stream_options.include_obfuscation');
  }

  const capParam = present(body.max_completion_tokens) ? 'max_completion_tokens' : present(body.max_tokens) ? 'max_tokens' : undefined;
  const maxTokens = capParam ? { value: integer(body[capParam], capParam, 1, 10_000_000), param: capParam } : undefined;
  if (capParam === 'max_completion_tokens' && present(body.max_tokens) && body.max_tokens !== body.max_completion_tokens)
    throw invalid('max_tokens', "Set either 'max_tokens' or 'max_completion_tokens', not both with different values.");

  const temperature = present(body.temperature) ? number(body.temperature, 'temperature', 0, 2) : undefined;
  if (temperature !== undefined && temperature > 1) only.push({ dialect: 'openai', param: 'temperature', what: 'a temperature above 1' });
  const topP = present(body.top_p) ? number(body.top_p, 'top_p', 0, 1) : undefined;
  const stop = present(body.stop) ? stopList(body.stop, 'stop', 4) : undefined;
  const tools = present(body.tools) ? parseTools(array(body.tools, 'tools', { max: 128 }), only) : undefined;
  const toolChoice = present(body.tool_choice) ? parseToolChoice(body.tool_choice) : undefined;
  const parallelToolCalls = present(body.parallel_tool_calls) ? boolean(body.parallel_tool_calls, 'parallel_tool_calls') : undefined;
  const user = present(body.user) ? string(body.user, 'user', { max: 256 }) : undefined;

  const extras: Json = {};
  for (const [name, what] of Object.entries(OPENAI_ONLY))
    if (present(body[name])) {
      extras[name] = body[name];
      only.push({ dialect: 'openai', param: name, what });
    }

  return {
    shape: 'openai',
    model,
    stream,
    includeUsage: stream && includeUsage,
    maxTokens,
    request: { system, messages, temperature, topP, stop, tools, toolChoice, parallelToolCalls, user, extras: Object.keys(extras).length ? { openai: extras } : {} },
    only,
    images,
  };
}

function parseMessages(list: unknown[], only: DialectOnly[], images: string[]): { system: ChatPart[]; messages: ChatMessage[] } {
  const system: ChatPart[] = [];
  const messages: ChatMessage[] = [];
  list.forEach((raw, i) => {
    const at = `messages[${i}]`;
    const m = object(raw, at);
    const role = oneOf(m.role, `${at}.role`, ['system', 'developer', 'user', 'assistant', 'tool', 'function']);
    if (role === 'function') throw unsupported(`${at}.role`, "The legacy 'function' role is not supported; answer tool calls with 'tool' messages.");
    if (present(m.name)) throw unsupported(`${at}.name`, 'Participant names on messages are not supported by this gateway.');
    if (role === 'system' || role === 'developer') {
      onlyKnown(m, ['role', 'content', 'name'], at);
      const content = textContent(m.content, `${at}.content`);
      if (messages.length === 0) system.push(...content);
      else {
        messages.push({ role: 'system', content });
        only.push({ dialect: 'openai', param: at, what: 'a system message after the conversation has begun' });
      }
    } else if (role === 'user') {
      onlyKnown(m, ['role', 'content', 'name'], at);
      messages.push({ role: 'user', content: userContent(m.content, `${at}.content`, only, images) });
    } else if (role === 'assistant') {
      onlyKnown(m, ['role', 'content', 'name', 'tool_calls', 'refusal', 'function_call', 'audio'], at);
      if (present(m.function_call)) throw unsupported(`${at}.function_call`, "The legacy 'function_call' is not supported; use 'tool_calls'.");
      if (present(m.audio)) throw unsupported(`${at}.audio`, 'Audio output is not offered by this gateway.');
      const content = present(m.content) ? textContent(m.content, `${at}.content`, true) : [];
      if (present(m.refusal)) content.push({ type: 'text', text: string(m.refusal, `${at}.refusal`) });
      const toolCalls = present(m.tool_calls) ? parseToolCalls(array(m.tool_calls, `${at}.tool_calls`), `${at}.tool_calls`, only) : [];
      if (!content.length && !toolCalls.length) throw invalid(`${at}.content`, `'${at}' needs content or tool_calls.`);
      messages.push({ role: 'assistant', content, toolCalls });
    } else {
      onlyKnown(m, ['role', 'content', 'tool_call_id'], at);
      const toolCallId = string(m.tool_call_id ?? '', `${at}.tool_call_id`, { min: 1, max: 200 });
      messages.push({ role: 'tool', toolCallId, content: textContent(m.content, `${at}.content`) });
    }
  });
  if (!messages.length) throw invalid('messages', "'messages' needs at least one message besides system and developer messages.");
  return { system, messages };
}

/** A content that may only hold text: a string or text parts (and refusal parts, for assistants). */
function textContent(v: unknown, at: string, assistant = false): ChatPart[] {
  if (typeof v === 'string') return [{ type: 'text', text: v }];
  return array(v, at).map((raw, j) => {
    const part = object(raw, `${at}[${j}]`);
    const type = oneOf(part.type, `${at}[${j}].type`, assistant ? ['text', 'refusal'] : ['text']);
    onlyKnown(part, ['type', type], `${at}[${j}]`);
    return { type: 'text', text: string(part[type], `${at}[${j}].${type}`) };
  });
}

function userContent(v: unknown, at: string, only: DialectOnly[], images: string[]): ChatPart[] {
  if (typeof v === 'string') return [{ type: 'text', text: v }];
  return array(v, at, { min: 1 }).map((raw, j): ChatPart => {
    const where = `${at}[${j}]`;
    const part = object(raw, where);
    const type = oneOf(part.type, `${where}.type`, ['text', 'image_url', 'input_audio', 'file']);
    if (type === 'input_audio' || type === 'file') throw unsupported(where, `'${type}' content parts are not supported by this gateway; send text and images.`);
    if (type === 'text') {
      onlyKnown(part, ['type', 'text'], where);
      return { type: 'text', text: string(part.text, `${where}.text`) };
    }
    onlyKnown(part, ['type', 'image_url'], where);
    const image = object(part.image_url, `${where}.image_url`);
    onlyKnown(image, ['url', 'detail'], `${where}.image_url`);
    const url = string(image.url, `${where}.image_url.url`, { min: 1 });
    const detail = present(image.detail) ? oneOf(image.detail, `${where}.image_url.detail`, ['auto', 'low', 'high']) : undefined;
    if (detail && detail !== 'auto') only.push({ dialect: 'openai', param: `${where}.image_url.detail`, what: `image detail '${detail}'` });
    images.push(where);
    const data = parseDataUrl(url);
    if (data) {
      if (!IMAGE_TYPES.includes(data.mediaType)) throw invalid(`${where}.image_url.url`, `Images must be one of ${IMAGE_TYPES.join(', ')}; this one is ${data.mediaType}.`);
      return { type: 'image', source: { kind: 'base64', mediaType: data.mediaType, data: data.data }, detail };
    }
    if (!/^https?:\/\//i.test(url)) throw invalid(`${where}.image_url.url`, 'An image URL must be an http(s) URL or a base64 data URL.');
    return { type: 'image', source: { kind: 'url', url }, detail };
  });
}

function parseToolCalls(list: unknown[], at: string, only: DialectOnly[]): ChatToolCall[] {
  return list.map((raw, j) => {
    const where = `${at}[${j}]`;
    const call = object(raw, where);
    onlyKnown(call, ['id', 'type', 'function'], where);
    oneOf(call.type ?? 'function', `${where}.type`, ['function']);
    const fn = object(call.function, `${where}.function`);
    onlyKnown(fn, ['name', 'arguments'], `${where}.function`);
    const args = string(fn.arguments ?? '{}', `${where}.function.arguments`);
    if (!isJsonObjectText(args)) only.push({ dialect: 'openai', param: `${where}.function.arguments`, what: 'tool-call arguments that are not a JSON object' });
    return { id: string(call.id, `${where}.id`, { min: 1, max: 200 }), name: string(fn.name, `${where}.function.name`, { min: 1, max: 64 }), arguments: args };
  });
}

function isJsonObjectText(text: string): boolean {
  try {
    return isObject(JSON.parse(text));
  } catch {
    return false;
  }
}

function parseTools(list: unknown[], only: DialectOnly[]): ChatTool[] {
  return list.map((raw, i) => {
    const at = `tools[${i}]`;
    const tool = object(raw, at);
    onlyKnown(tool, ['type', 'function'], at);
    if (tool.type !== 'function') throw unsupported(`${at}.type`, "Only tools of type 'function' are supported.");
    const fn = object(tool.function, `${at}.function`);
    onlyKnown(fn, ['name', 'description', 'parameters', 'strict'], `${at}.function`);
    const name = string(fn.name, `${at}.function.name`, { min: 1 });
    if (!TOOL_NAME.test(name)) throw invalid(`${at}.function.name`, 'A tool name is 1 to 64 letters, digits, underscores or dashes.');
    const strict = present(fn.strict) ? boolean(fn.strict, `${at}.function.strict`) : undefined;
    if (strict) only.push({ dialect: 'openai', param: `${at}.function.strict`, what: 'strict tool schemas' });
    return {
      name,
      description: present(fn.description) ? string(fn.description, `${at}.function.description`) : undefined,
      parameters: present(fn.parameters) ? object(fn.parameters, `${at}.function.parameters`) : { type: 'object', properties: {} },
      strict,
    };
  });
}

function parseToolChoice(v: unknown): ChatToolChoice {
  if (typeof v === 'string') return { type: oneOf(v, 'tool_choice', ['none', 'auto', 'required']) };
  const choice = object(v, 'tool_choice');
  if (choice.type === 'allowed_tools') throw unsupported('tool_choice', "'allowed_tools' tool choices are not supported by this gateway.");
  onlyKnown(choice, ['type', 'function'], 'tool_choice');
  oneOf(choice.type, 'tool_choice.type', ['function']);
  const fn = object(choice.function, 'tool_choice.function');
  onlyKnown(fn, ['name'], 'tool_choice.function');
  return { type: 'tool', name: string(fn.name, 'tool_choice.function.name', { min: 1 }) };
}
