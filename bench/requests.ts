// The requests the bench sends: the same image and chat requests to the fake upstream directly,
// through Portkey's gateway, and through ours, plus our task intake and task read.
import type { Target } from './load.js';

export const PROMPT = 'A clean editorial poster reading "SUMMER DESIGN WEEK", bold typography, warm daylight, modern layout';
const MESSAGES = [
  { role: 'system', content: 'You are a concise assistant.' },
  { role: 'user', content: 'Name three things a gateway adds between a client and a model.' },
];
const UPSTREAM_KEY = 'sk-proj-bench';
const json = { 'content-type': 'application/json' };

/** OpenAI's image request (what a client of OpenAI, or of a proxy of it, sends). */
export const openAiImageBody = (extra: Record<string, unknown> = {}) => JSON.stringify({ model: 'gpt-image-1', prompt: PROMPT, size: '1024x1024', ...extra });
export const chatBody = (stream: boolean) =>
  JSON.stringify({ model: 'gpt-4.1-mini', messages: MESSAGES, max_completion_tokens: 64, ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}) });

export type Path = 'image' | 'chat' | 'chat-stream';

/** Straight to the fake upstream: the limit. */
export function direct(upstream: string, path: Path): Target {
  const headers = { ...json, authorization: `Bearer ${UPSTREAM_KEY}` };
  if (path === 'image') return { method: 'POST', url: `${upstream}/v1/images/generations`, headers, body: openAiImageBody() };
  return { method: 'POST', url: `${upstream}/v1/chat/completions`, headers, body: chatBody(path === 'chat-stream') };
}

/** Through Portkey's gateway, provider config in headers, to the same upstream. */
export function viaPortkey(portkey: string, upstream: string, path: Path): Target {
  const headers = { ...json, authorization: `Bearer ${UPSTREAM_KEY}`, 'x-portkey-provider': 'openai', 'x-portkey-custom-host': `${upstream}/v1` };
  if (path === 'image') return { method: 'POST', url: `${portkey}/v1/images/generations`, headers, body: openAiImageBody() };
  return { method: 'POST', url: `${portkey}/v1/chat/completions`, headers, body: chatBody(path === 'chat-stream') };
}

/** Ours, with a live key. */
export const ours = {
  /** The native image route, answered when the image is stored (`Prefer: wait`). */
  imageWait: (base: string, key: string): Target => ({
    method: 'POST',
    url: `${base}/api/v1/images/generations`,
    headers: { ...json, authorization: `Bearer ${key}`, prefer: 'wait' },
    body: JSON.stringify({ model: 'gpt-image-1', prompt: PROMPT, size: '1:1' }),
  }),
  /** The OpenAI-compatible image route, answering the image inline as OpenAI does. */
  openAiImage: (base: string, key: string): Target => ({
    method: 'POST',
    url: `${base}/v1/images/generations`,
    headers: { ...json, authorization: `Bearer ${key}` },
    body: openAiImageBody({ response_format: 'b64_json' }),
  }),
  chat: (base: string, key: string, stream: boolean): Target => ({
    method: 'POST',
    url: `${base}/v1/chat/completions`,
    headers: { ...json, authorization: `Bearer ${key}` },
    body: chatBody(stream),
  }),
  /** Task intake: the 202 of the native image route, no waiting. */
  intake: (base: string, key: string): Target => ({
    method: 'POST',
    url: `${base}/api/v1/images/generations`,
    headers: { ...json, authorization: `Bearer ${key}` },
    body: JSON.stringify({ model: 'gpt-image-1', prompt: PROMPT, size: '1:1' }),
  }),
  read: (base: string, key: string, taskId: string): Target => ({ method: 'GET', url: `${base}/api/v1/tasks/${taskId}`, headers: { authorization: `Bearer ${key}` } }),
};

/** The bare Fastify route process: the same shapes with nothing behind them. */
export const bare = {
  post: (base: string): Target => ({ method: 'POST', url: `${base}/tasks`, headers: json, body: JSON.stringify({ model: 'gpt-image-1', prompt: PROMPT, size: '1:1' }) }),
  get: (base: string): Target => ({ method: 'GET', url: `${base}/tasks/task_01JBENCHBENCHBENCHBENCHBENC`, headers: {} }),
};
