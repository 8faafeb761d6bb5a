// A raw TCP client for what fetch cannot send: malformed requests, and bodies that trickle in.
import net from 'node:net';

export interface RawAnswer {
  /** Everything the server wrote before it closed the connection. */
  text: string;
  /** The status of the first response line, if there was one. */
  status?: number;
  /** The JSON body of the first response, if it had one. */
  body?: any;
}

function parse(text: string): RawAnswer {
  const status = Number(text.match(/^HTTP\/1\.[01] (\d{3})/)?.[1]) || undefined;
  const rest = text.slice(text.indexOf('\r\n\r\n') + 4);
  let body: unknown;
  try {
    body = JSON.parse(rest);
  } catch {
    /* not JSON */
  }
  return { text, status, body };
}

/** Sends `request` as it is and collects the answer until the server closes (or `ms` pass). */
export function rawRequest(url: string, request: string | Buffer, ms = 10_000): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.write(request));
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no close within ${ms} ms; got: ${Buffer.concat(chunks).toString()}`));
    }, ms);
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(parse(Buffer.concat(chunks).toString()));
    });
  });
}

/**
 * Sends the head of a request announcing a `length`-byte body, then one byte every `everyMs`.
 * Resolves when the server closes the connection, with how many body bytes it had taken by then;
 * rejects if the whole body went through or `ms` passed first.
 */
export function trickleBody(url: string, head: string, length: number, everyMs: number, ms: number): Promise<RawAnswer & { sent: number }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    let sent = 0;
    let ticker: NodeJS.Timeout | undefined;
    const chunks: Buffer[] = [];
    const socket = net.connect(Number(port), hostname, () => {
      socket.write(`${head}\r\nContent-Length: ${length}\r\n\r\n`);
      ticker = setInterval(() => {
        if (sent >= length) return;
        socket.write(' ');
        sent++;
      }, everyMs);
    });
    const timer = setTimeout(() => {
      clearInterval(ticker);
      socket.destroy();
      reject(new Error(`the server still took the trickled body after ${ms} ms (${sent} bytes)`));
    }, ms);
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(ticker);
      clearTimeout(timer);
      if (sent >= length) return reject(new Error('the whole body was sent before the server closed'));
      resolve({ ...parse(Buffer.concat(chunks).toString()), sent });
    });
  });
}
