// aio-echo: the local chat engine. It serves every test-key chat request, whatever chat model
// it names, so integrations can be built offline: a deterministic answer that says what it
// received (or, given tools, a well-formed call to one), streamed token by token, with real
// token counts (gpt-tokenizer) and the output cap and stop sequences honoured.
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { countPrompt, loadTokenizer, tokenizer } from '../../modalities/chat/tokens.js';
import { chatOperation, type ChatEvent, type ChatFinishReason, type ChatMessage, type ChatRequest, type ChatTool } from '../chat-types.js';

const AS_TEXT = { disallowedSpecial: new Set<string>() };
const QUOTE_MAX = 200;

const textOf = (m: ChatMessage | undefined) => (m ? m.content.map((p) => (p.type === 'text' ? p.text : '')).join(' ').trim() : '');
const quote = (text: string) => JSON.stringify(text.length > QUOTE_MAX ? `${text.slice(0, QUOTE_MAX)}…` : text);

/** The tool to call, if the conversation asks for one: tools given, not refused, and a user turn to answer. */
function toolToCall(r: ChatRequest): ChatTool | undefined {
  if (!r.tools?.length || r.toolChoice?.type === 'none') return undefined;
  if (r.toolChoice?.type === 'tool') return r.tools.find((t) => t.name === (r.toolChoice as { name: string }).name);
  if (r.toolChoice?.type === 'required') return r.tools[0];
  return r.messages.at(-1)?.role === 'user' ? r.tools[0] : undefined;
}

/** A value of the JSON-Schema type asked for: the first enum value, the user's words for strings. */
function exampleValue(schema: unknown, name: string, words: string): unknown {
  const s = (typeof schema === 'object' && schema ? schema : {}) as Record<string, unknown>;
  if (Array.isArray(s.enum) && s.enum.length) return s.enum[0];
  if ('const' in s) return s.const;
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  switch (type) {
    case 'integer':
      return typeof s.minimum === 'number' ? Math.ceil(s.minimum) : 1;
    case 'number':
      return typeof s.minimum === 'number' ? s.minimum : 1;
    case 'boolean':
      return true;
    case 'array':
      return [exampleValue(s.items, name, words)];
    case 'object':
      return exampleObject(s, words);
    case 'null':
      return null;
    default:
      return words || name;
  }
}

function exampleObject(schema: Record<string, unknown>, words: string): Record<string, unknown> {
  const properties = (typeof schema.properties === 'object' && schema.properties ? schema.properties : {}) as Record<string, unknown>;
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : Object.keys(properties);
  return Object.fromEntries(required.filter((k) => k in properties).map((k) => [k, exampleValue(properties[k], k, words)]));
}

function describe(r: ChatRequest, model: string): string {
  const turns = r.messages.length;
  const images = [...r.system, ...r.messages.flatMap((m) => m.content)].filter((p) => p.type === 'image').length;
  const parts = [`Echo from aio-echo (as ${model}): I received ${turns} message${turns === 1 ? '' : 's'}`];
  const system = r.system.map((p) => (p.type === 'text' ? p.text : '')).join(' ').trim();
  if (system) parts.push(` and a system prompt of ${system.length} characters`);
  parts.push('.');
  if (images) parts.push(` They carry ${images} image${images === 1 ? '' : 's'}.`);
  if (r.tools?.length) parts.push(` Tools offered: ${r.tools.map((t) => t.name).join(', ')}.`);
  const last = r.messages.at(-1);
  if (last?.role === 'tool') {
    const call = r.messages.flatMap((m) => (m.role === 'assistant' ? m.toolCalls : [])).find((c) => c.id === last.toolCallId);
    parts.push(` The tool ${call?.name ?? last.toolCallId} answered: ${quote(textOf(last))}.`);
  } else if (last) parts.push(` Your last ${last.role} message says: ${quote(textOf(last))}.`);
  return parts.join('');
}

/** The answer's tokens, cut at the first stop sequence and at the cap. */
function plan(text: string, r: ChatRequest): { tokens: number[]; finish: ChatFinishReason; stopSequence?: string } {
  let finish: ChatFinishReason = 'stop';
  let stopSequence: string | undefined;
  for (const stop of r.stop ?? []) {
    const at = text.indexOf(stop);
    if (at >= 0) {
      text = text.slice(0, at);
      finish = 'stop_sequence';
      stopSequence = stop;
    }
  }
  let tokens = tokenizer().encode(text, AS_TEXT);
  if (tokens.length > r.maxTokens) {
    tokens = tokens.slice(0, r.maxTokens);
    finish = 'length';
    stopSequence = undefined;
  }
  return { tokens, finish, stopSequence };
}

/** Token by token, but never half a character: tokens are grouped until they decode cleanly. */
function* pieces(tokens: number[]): Generator<string> {
  let group: number[] = [];
  for (const token of tokens) {
    group.push(token);
    const text = tokenizer().decode(group);
    if (!text.endsWith('\uFFFD')) {
      yield text;
      group = [];
    }
  }
  if (group.length) yield tokenizer().decode(group);
}

async function* answer(request: ChatRequest, model: string, closed: () => boolean): AsyncGenerator<ChatEvent> {
  const input = countPrompt(request);
  const usage = { inputTokens: input, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0 };
  yield { type: 'usage', usage, final: false };
  const tool = toolToCall(request);
  if (tool) {
    const args = JSON.stringify(exampleObject(tool.parameters, textOf(request.messages.at(-1))));
    yield { type: 'tool_call', index: 0, id: `call_echo_${tool.name}`.slice(0, 64), name: tool.name };
    let output = tokenizer().encode(tool.name, AS_TEXT).length;
    for (const piece of pieces(tokenizer().encode(args, AS_TEXT))) {
      await yieldToLoop();
      if (closed()) return;
      output += tokenizer().encode(piece, AS_TEXT).length;
      yield { type: 'tool_arguments', index: 0, json: piece };
    }
    yield { type: 'finish', reason: 'tool_calls' };
    yield { type: 'usage', usage: { ...usage, outputTokens: output }, final: true };
    return;
  }
  const { tokens, finish, stopSequence } = plan(describe(request, model), request);
  for (const piece of pieces(tokens)) {
    await yieldToLoop();
    if (closed()) return;
    yield { type: 'text', text: piece };
  }
  yield { type: 'finish', reason: finish, stopSequence: stopSequence ?? null };
  yield { type: 'usage', usage: { ...usage, outputTokens: tokens.length }, final: true };
}

export const chatLocally = chatOperation('any', async (input) => {
  await loadTokenizer();
  let closed = false;
  const events = answer(input.request, input.model, () => closed);
  return {
    close() {
      closed = true;
    },
    [Symbol.asyncIterator]: () => events,
  };
});
