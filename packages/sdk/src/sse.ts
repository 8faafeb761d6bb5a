// Server-Sent Events from a fetch body, parsed as the HTML standard says (fields `event`, `data`,
// `id`, `retry`; comments; LF, CR or CRLF line ends), with no dependency: it runs in Node 20+
// and in browsers.

export interface SseMessage {
  /** `message` when the server named none. */
  event: string;
  data: string;
  /** The last event id seen so far (for Last-Event-ID on reconnecting). */
  id?: string;
}

const LINE_END = /\r\n|\r|\n/;

export async function* readSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseMessage> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let first = true;
  let event = '';
  let data: string[] = [];
  let lastId: string | undefined;
  let ended = false;
  try {
    while (!ended) {
      const { value, done } = await reader.read();
      if (done) {
        ended = true;
        buffer += decoder.decode();
      } else buffer += decoder.decode(value, { stream: true });
      if (first && buffer.length) {
        if (buffer.charCodeAt(0) === 0xfeff) buffer = buffer.slice(1);
        first = false;
      }
      for (;;) {
        const match = LINE_END.exec(buffer);
        // A lone CR at the end may be the first half of a CRLF still on its way.
        if (!match || (match[0] === '\r' && match.index === buffer.length - 1 && !ended)) break;
        const line = buffer.slice(0, match.index);
        buffer = buffer.slice(match.index + match[0].length);
        if (line === '') {
          if (data.length) yield { event: event || 'message', data: data.join('\n'), ...(lastId !== undefined ? { id: lastId } : {}) };
          event = '';
          data = [];
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon === -1 ? line : line.slice(0, colon);
        let value = colon === -1 ? '' : line.slice(colon + 1);
        if (value.startsWith(' ')) value = value.slice(1);
        if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
        else if (field === 'id' && !value.includes('\0')) lastId = value;
      }
    }
  } finally {
    reader.releaseLock();
  }
}
