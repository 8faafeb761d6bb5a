// A small Server-Sent Events client for the tests: real HTTP, the stream parsed with
// eventsource-parser as a browser's EventSource would, every event and comment kept in order.
import { createParser } from 'eventsource-parser';

export interface SseEvent {
  id?: string;
  event?: string;
  data: any;
}

export interface SseStream {
  status: number;
  headers: Headers;
  events: SseEvent[];
  comments: string[];
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  /** Resolves once `check` holds for what has arrived (checked on every event and comment). */
  until(check: (s: SseStream) => boolean): Promise<void>;
  close(): void;
}

export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
  const aborts = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: aborts.signal });
  const waiters: Array<{ check: (s: SseStream) => boolean; resolve: () => void }> = [];
  const stream: SseStream = {
    status: res.status,
    headers: res.headers,
    events: [],
    comments: [],
    ended: Promise.resolve(),
    until(check) {
      if (check(stream)) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ check, resolve }));
    },
    close: () => aborts.abort(),
  };
  const changed = () => {
    for (const w of [...waiters]) if (w.check(stream)) waiters.splice(waiters.indexOf(w), 1) && w.resolve();
  };
  const parser = createParser({
    onEvent: (e) => {
      let data: unknown = e.data;
      try {
        data = JSON.parse(e.data);
      } catch {
        /* text */
      }
      stream.events.push({ id: e.id, event: e.event, data });
      changed();
    },
    onComment: (comment) => {
      stream.comments.push(comment);
      changed();
    },
  });
  stream.ended = (async () => {
    if (!res.body) return;
    const decoder = new TextDecoder();
    try {
      for await (const chunk of res.body) parser.feed(decoder.decode(chunk as Uint8Array, { stream: true }));
    } catch (err) {
      if (!aborts.signal.aborted) throw err;
    }
  })();
  return stream;
}
