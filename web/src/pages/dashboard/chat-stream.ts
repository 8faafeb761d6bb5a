// The chat playground's call: POST /api/account/playground/chat on the session (CSRF header, key
// chosen by id), answered in OpenAI's streamed chunks, read as they arrive. A refusal before the
// stream is an ApiError as every dashboard call gives; an error chunk inside the stream too.
import { ApiError, readCookie, withQuery } from '../../api';

export interface ChatTurn {
  role: 'user' | 'assistant';
  content: string;
}

export interface ChatUsage {
  prompt_tokens: number;
  completion_tokens: number;
  prompt_tokens_details?: { cached_tokens?: number };
}

export interface StreamHandlers {
  /** The server's count of the prompt and the output cap, before the first token. */
  onStart(head: { chatId: string | null; promptTokens: number | null; maxOutputTokens: number | null }): void;
  /** A piece of the answer. */
  onText(text: string): void;
  onFinish(reason: string): void;
  onUsage(usage: ChatUsage): void;
}

export interface ChatBody {
  model: string;
  messages: { role: 'system' | 'user' | 'assistant'; content: string }[];
  max_tokens?: number;
}

/** The public request body the playground sends: streamed, with the usage at the end. */
export const streamedBody = (body: ChatBody) => ({ ...body, stream: true, stream_options: { include_usage: true } });

const numberHeader = (res: Response, name: string) => {
  const v = res.headers.get(name);
  return v === null || v === '' || Number.isNaN(Number(v)) ? null : Number(v);
};

/** Runs one streamed answer to its end (or until `signal` aborts: the server charges what was written). */
export async function streamChat(keyId: string, body: ChatBody, handlers: StreamHandlers, signal: AbortSignal): Promise<void> {
  const url = withQuery('/api/account/playground/chat', { key_id: keyId });
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { accept: 'text/event-stream', 'content-type': 'application/json', 'x-csrf-token': readCookie('aio_csrf') ?? '' },
      body: JSON.stringify(streamedBody(body)),
      credentials: 'same-origin',
      signal,
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, 'network_error', 'Could not reach the server. Check your connection and try again.');
  }
  if (!res.ok || !res.body || !(res.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
    // Not a stream: an error, in the dashboard's envelope.
    const text = await res.text();
    let e: { code?: string; message?: string; param?: string } | undefined;
    try {
      e = (JSON.parse(text) as { error?: typeof e }).error;
    } catch {
      /* not JSON */
    }
    throw new ApiError(res.status, e?.code ?? `http_${res.status}`, e?.message ?? `The server answered ${res.status}.`, e?.param, Number(res.headers.get('retry-after')) || undefined);
  }
  handlers.onStart({ chatId: res.headers.get('aio-chat-id'), promptTokens: numberHeader(res, 'aio-prompt-tokens'), maxOutputTokens: numberHeader(res, 'aio-max-output-tokens') });

  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block
        .split('\n')
        .filter((l) => l.startsWith('data: '))
        .map((l) => l.slice(6))
        .join('\n');
      if (!data || data === '[DONE]') continue;
      handleChunk(JSON.parse(data), handlers);
    }
  }
}

interface Chunk {
  error?: { code?: string; message?: string; param?: string | null };
  choices?: { delta?: { content?: string | null }; finish_reason?: string | null }[];
  usage?: ChatUsage | null;
}

function handleChunk(chunk: Chunk, h: StreamHandlers): void {
  if (chunk.error) throw new ApiError(502, chunk.error.code ?? 'upstream_failed', chunk.error.message ?? 'The answer broke off.', chunk.error.param ?? undefined);
  const choice = chunk.choices?.[0];
  if (choice?.delta?.content) h.onText(choice.delta.content);
  if (choice?.finish_reason) h.onFinish(choice.finish_reason);
  if (chunk.usage) h.onUsage(chunk.usage);
}
