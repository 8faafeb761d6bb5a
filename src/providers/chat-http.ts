// How chat adapters talk to their upstream: one POST answered with server-sent events, read
// chunk by chunk as they come (nothing buffered beyond one event). `ctx.timeoutMs` bounds the
// wait for the answer and each silence between chunks; a stream that runs long but keeps
// talking is never cut. Closing the stream aborts the upstream request.
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { CallSignal } from '../lib/call-signal.js';
import type { ChatEvent, ChatStream, ProviderContext } from './types.js';
import { UpstreamError, errorForStatus } from './errors.js';
import { readDetail } from './http.js';

export interface EventSource {
  /** The server-sent events, in order; ends when the body ends. */
  messages(): AsyncGenerator<EventSourceMessage>;
  close(): void;
}

function describe(err: unknown): string {
  const e = err as { cause?: { code?: string }; message?: string };
  return e?.cause?.code ?? e?.message ?? String(err);
}

/** POSTs and waits for a 2xx event stream; anything else rejects, classified, before any event is read. */
export async function openEventSource(provider: string, url: string, init: RequestInit, ctx: ProviderContext): Promise<EventSource> {
  const call = new CallSignal(ctx.signal, ctx.timeoutMs);
  let closed = false;
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: call.signal });
  } catch (err) {
    if (call.timedOut) throw new UpstreamError('upstream_timeout', `${provider} did not answer within ${Math.round(ctx.timeoutMs / 1000)} s`, { retryable: true, cause: err });
    if (ctx.signal.aborted) throw new UpstreamError('upstream_failed', `${provider} call was aborted`, { retryable: false, cause: err });
    throw new UpstreamError('upstream_unavailable', `${provider} could not be reached (${describe(err)})`, { retryable: true, cause: err });
  } finally {
    call.done();
  }
  if (!res.ok) {
    const detail = await readDetail(res);
    throw errorForStatus(provider, res.status, detail, ctx.credentials.apiKey);
  }
  const type = res.headers.get('content-type') ?? '';
  if (!/^text\/event-stream/i.test(type) || !res.body) {
    call.abort();
    throw new UpstreamError('upstream_bad_response', `${provider} answered a stream request with ${type || 'no content type'}`, { retryable: true });
  }
  const body = res.body;

  async function* messages(): AsyncGenerator<EventSourceMessage> {
    const queue: EventSourceMessage[] = [];
    const parser = createParser({ onEvent: (m) => queue.push(m) });
    const reader = body.getReader();
    const decoder = new TextDecoder();
    try {
      for (;;) {
        call.restart(ctx.timeoutMs);
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await reader.read();
        } catch (err) {
          if (closed) return;
          if (call.timedOut) throw new UpstreamError('upstream_timeout', `${provider} went silent for ${Math.round(ctx.timeoutMs / 1000)} s mid-answer`, { retryable: true, cause: err });
          if (ctx.signal.aborted) throw new UpstreamError('upstream_failed', `${provider} call was aborted`, { retryable: false, cause: err });
          throw new UpstreamError('upstream_unavailable', `${provider} dropped the connection mid-answer (${describe(err)})`, { retryable: true, cause: err });
        } finally {
          call.done();
        }
        if (chunk.done) {
          parser.feed(decoder.decode());
          parser.feed('\n\n');
          yield* queue.splice(0);
          return;
        }
        parser.feed(decoder.decode(chunk.value, { stream: true }));
        yield* queue.splice(0);
      }
    } finally {
      // Stopped early (the consumer broke off) or done: either way the request is over.
      closed = true;
      call.abort();
    }
  }

  return {
    messages,
    close() {
      closed = true;
      call.abort();
    },
  };
}

/**
 * A ChatStream over an event source: `decode` turns each message into events, and says when the
 * answer is complete; a body that ends before that (and before `close()`) is a cut connection.
 */
export function chatStreamOf(provider: string, source: EventSource, decode: (m: EventSourceMessage) => { events: ChatEvent[]; complete: boolean }): ChatStream {
  let closed = false;
  return {
    close() {
      closed = true;
      source.close();
    },
    async *[Symbol.asyncIterator]() {
      for await (const message of source.messages()) {
        const { events, complete } = decode(message);
        yield* events;
        if (complete) return;
      }
      // Closed by the consumer: it asked for the end. Otherwise the body ended too soon.
      if (closed) return;
      throw new UpstreamError('upstream_unavailable', `${provider}'s stream ended before the answer was complete`, { retryable: true });
    },
  };
}

/** A `data:` payload as JSON, or a retryable bad response. */
export function parseEventData(provider: string, data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    throw new UpstreamError('upstream_bad_response', `${provider} sent a stream event that is not JSON`, { retryable: true });
  }
}
