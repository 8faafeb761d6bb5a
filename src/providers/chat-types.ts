// The chat operation's contract: one neutral request and one stream of neutral events, whatever
// wire shape the client spoke (OpenAI chat completions, Anthropic messages) and whatever shape
// the upstream speaks. The chat slice (src/modalities/chat) translates both ends; adapters only
// build their upstream's body from a ChatRequest and read its stream into ChatEvents.
import type { OperationBase, ProviderContext } from './types.js';

/** The wire shape an operation speaks upstream; `any` = it honours every parameter (the local echo). */
export type ChatDialect = 'openai' | 'anthropic' | 'any';

export type ChatImageSource = { kind: 'url'; url: string } | { kind: 'base64'; mediaType: string; data: string };

export type ChatPart =
  /** `cacheControl`: Anthropic's prompt-caching mark, passed to Anthropic upstreams as given. */
  | { type: 'text'; text: string; cacheControl?: unknown }
  /** `detail`: OpenAI's image fidelity (only OpenAI upstreams honour low/high). */
  | { type: 'image'; source: ChatImageSource; detail?: 'low' | 'high' | 'auto'; cacheControl?: unknown };

export interface ChatToolCall {
  id: string;
  name: string;
  /** The arguments as JSON text (an object), as the model wrote them. */
  arguments: string;
}

export type ChatMessage =
  | { role: 'user'; content: ChatPart[] }
  | { role: 'assistant'; content: ChatPart[]; toolCalls: ChatToolCall[] }
  | { role: 'tool'; toolCallId: string; content: ChatPart[]; isError?: boolean }
  /** A system message in the middle of an OpenAI conversation (leading ones are `ChatRequest.system`). */
  | { role: 'system'; content: ChatPart[] };

export interface ChatTool {
  name: string;
  description?: string;
  /** JSON Schema of the arguments object. */
  parameters: Record<string, unknown>;
  /** OpenAI's strict schema adherence. */
  strict?: boolean;
  cacheControl?: unknown;
}

export type ChatToolChoice = { type: 'auto' } | { type: 'none' } | { type: 'required' } | { type: 'tool'; name: string };

export interface ChatRequest {
  /** The leading system prompt (OpenAI system/developer messages, Anthropic `system`), as text parts. */
  system: ChatPart[];
  messages: ChatMessage[];
  /** The output cap: always set (the platform holds credits for exactly this many output tokens). */
  maxTokens: number;
  temperature?: number;
  topP?: number;
  stop?: string[];
  tools?: ChatTool[];
  toolChoice?: ChatToolChoice;
  parallelToolCalls?: boolean;
  /** An end-user id for the upstream's abuse checks (OpenAI `user`, Anthropic `metadata.user_id`). */
  user?: string;
  /** Parameters only one dialect honours, under their wire names; checked against the target before sending. */
  extras: { openai?: Record<string, unknown>; anthropic?: Record<string, unknown> };
}

/** Tokens as billed: `inputTokens` excludes the cached and cache-written ones. */
export interface ChatUsage {
  inputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
}

export type ChatFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'stop_sequence' | 'pause';

export type ChatEvent =
  | { type: 'text'; text: string }
  /** A tool call begins; `index` counts tool calls in this answer from 0. */
  | { type: 'tool_call'; index: number; id: string; name: string }
  /** A fragment of a tool call's arguments JSON. */
  | { type: 'tool_arguments'; index: number; json: string }
  /** Usage so far; `final` once the upstream reported its totals for the whole answer. */
  | { type: 'usage'; usage: ChatUsage; final: boolean }
  /** Why the answer ended; the stream may still carry a usage event after it. */
  | { type: 'finish'; reason: ChatFinishReason; stopSequence?: string | null };

export interface ChatOpInput extends OperationBase {
  request: ChatRequest;
}

/**
 * The upstream's answer, once it accepted the request (a 2xx with an event stream). Iterating
 * yields events until the answer ends; a failure after this point is thrown by the iterator as
 * an UpstreamError (an `error` event after the 200, a cut connection, an idle timeout).
 * Stopping the iteration (break/return) or calling `close()` aborts the upstream request.
 */
export interface ChatStream extends AsyncIterable<ChatEvent> {
  close(): void;
}

/**
 * Opens a chat stream. Rejects with an UpstreamError when the upstream fails before answering
 * (connection error, 429, 5xx: retryable, another node may be tried; 4xx: not). `ctx.timeoutMs`
 * bounds the wait for the answer and every silence between two chunks, not the whole answer.
 */
export interface ChatOperation {
  (input: ChatOpInput, ctx: ProviderContext): Promise<ChatStream>;
  readonly dialect: ChatDialect;
}

/** Gives a chat function its dialect. */
export const chatOperation = (dialect: ChatDialect, open: (input: ChatOpInput, ctx: ProviderContext) => Promise<ChatStream>): ChatOperation =>
  Object.assign(open, { dialect });
