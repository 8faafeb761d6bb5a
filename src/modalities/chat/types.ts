// What the chat slice makes of a client's body before it knows the target: the neutral request
// (src/providers/chat-types.ts) plus what only the client's shape or only one upstream can honour.
import type { ChatRequest } from '../../providers/chat-types.js';

/** The wire shape the client spoke: `POST /v1/chat/completions` or `POST /v1/messages`. */
export type ChatShape = 'openai' | 'anthropic';

/** A parameter only one upstream dialect can honour, by the name the client used. */
export interface DialectOnly {
  dialect: 'openai' | 'anthropic';
  param: string;
  /** What it is, for the refusal: e.g. "a temperature above 1". */
  what: string;
}

export interface ParsedChat {
  shape: ChatShape;
  model: string;
  stream: boolean;
  /** OpenAI's `stream_options.include_usage`: the client wants the usage chunk. */
  includeUsage: boolean;
  /** The output cap the client asked for, and the parameter it used. */
  maxTokens?: { value: number; param: string };
  request: Omit<ChatRequest, 'maxTokens'>;
  only: DialectOnly[];
  /** Where the images are, e.g. `messages[1].content[0]` (refused for models without vision). */
  images: string[];
}
