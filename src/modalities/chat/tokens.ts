// Token counts with a real tokenizer (gpt-tokenizer, o200k_base). Exact for OpenAI's current
// models, an estimate for others (the hold adds a margin; the charge comes from the upstream's
// usage whenever it reports one).
import type { ChatPart, ChatRequest } from '../../providers/chat-types.js';

/** Special-token text in a prompt is counted as text, never refused. */
const AS_TEXT = { disallowedSpecial: new Set<string>() };

/** What an image costs at most, about: Anthropic bills ~1,600 tokens for a 1.15-megapixel image, OpenAI less. */
export const IMAGE_TOKENS = 1600;
/** The chat format's framing per message (role, separators), as OpenAI documents it. */
const PER_MESSAGE = 4;
/** The answer's own priming. */
const PER_ANSWER = 3;

type Tokenizer = typeof import('gpt-tokenizer');
let loaded: Tokenizer | undefined;
let loading: Promise<Tokenizer> | undefined;

/**
 * Loads the tokenizer once. Its encoding takes about 60 MB and 0.2 s to load, so it is loaded by
 * the first chat request (or by `aio serve` once it listens, when the catalog has chat models),
 * not by every process: workers never answer chat.
 */
export function loadTokenizer(): Promise<Tokenizer> {
  loading ??= import('gpt-tokenizer').then((m) => (loaded = m));
  return loading;
}

/** The loaded tokenizer; `loadTokenizer()` must have finished. */
export function tokenizer(): Tokenizer {
  if (!loaded) throw new Error('chat tokens: the tokenizer is used before loadTokenizer() finished');
  return loaded;
}

export const countText = (text: string): number => (text ? tokenizer().countTokens(text, AS_TEXT) : 0);

const countParts = (parts: ChatPart[]) => parts.reduce((n, p) => n + (p.type === 'text' ? countText(p.text) : IMAGE_TOKENS), 0);

export function countPrompt(r: Omit<ChatRequest, 'maxTokens'>): number {
  let n = PER_ANSWER;
  if (r.system.length) n += PER_MESSAGE + countParts(r.system);
  for (const m of r.messages) {
    n += PER_MESSAGE + countParts(m.content);
    if (m.role === 'assistant') for (const c of m.toolCalls) n += countText(c.name) + countText(c.arguments) + PER_MESSAGE;
  }
  if (r.tools?.length) n += countText(JSON.stringify(r.tools.map((t) => ({ name: t.name, description: t.description, parameters: t.parameters })))) + 10 * r.tools.length;
  return n;
}

/** The prompt tokens a hold covers: the count plus a margin for other tokenizers (Claude's counts more). */
export const promptTokensToHold = (counted: number): number => Math.ceil(counted * 1.25) + 16;
