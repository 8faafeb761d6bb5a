// Reads a JSON body that carries images as big base64 strings (OpenAI's `b64_json`) without
// turning the whole body into one string: each base64 value is cut out of the bytes and decoded
// from them, and only the small rest is parsed. Decoding a 160 KB body to text and parsing it
// was most of an image request's own CPU, and two large strings of garbage. Anything unusual (an
// escape inside a value, a cut that does not land exactly on the expected fields, a rest that
// does not parse) falls back to parsing the whole body, so the result is always what JSON.parse
// of the body would give, with the named fields' values decoded.
import { randomToken } from '../lib/ids.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const isSpace = (byte: number | undefined) => byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;

export interface Base64Json<T> {
  json: T;
  /** The bytes of a value of the base64 field, as it came in `json` (undefined for anything but a string). */
  bytes(value: unknown): Buffer | undefined;
}

const decodeString = (value: unknown) => (typeof value === 'string' ? Buffer.from(value, 'base64') : undefined);

/**
 * Parses `body` (throws as JSON.parse does on a body that is not JSON), cutting out the values of
 * `field` found at `paths(json)`, the places the caller reads them from.
 */
export function parseBase64Json<T>(body: Buffer, field: string, paths: (json: T) => unknown[]): Base64Json<T> {
  // As Response.text() reads it (a byte order mark dropped).
  const whole = (): Base64Json<T> => ({ json: JSON.parse(new TextDecoder().decode(body)) as T, bytes: decodeString });
  const key = Buffer.from(`"${field}"`);
  const cuts: Array<[start: number, end: number]> = [];
  for (let at = body.indexOf(key); at >= 0; at = body.indexOf(key, at + key.length)) {
    let i = at + key.length;
    while (isSpace(body[i])) i++;
    if (body[i] !== COLON) continue; // the name inside some other string, or a value: not ours
    i++;
    while (isSpace(body[i])) i++;
    if (body[i] !== QUOTE) continue;
    const end = body.indexOf(QUOTE, i + 1);
    if (end < 0) return whole();
    const escape = body.indexOf(BACKSLASH, i + 1);
    if (escape >= 0 && escape < end) return whole();
    cuts.push([i + 1, end]);
    at = end;
  }
  if (cuts.length === 0) return whole();

  const mark = `aio-b64-${randomToken(12)}-`;
  const parts: Buffer[] = [];
  let from = 0;
  cuts.forEach(([start, end], n) => {
    parts.push(body.subarray(from, start), Buffer.from(`${mark}${n}`));
    from = end;
  });
  parts.push(body.subarray(from));
  let json: T;
  try {
    json = JSON.parse(Buffer.concat(parts).toString('utf8')) as T;
  } catch {
    return whole();
  }
  // Every cut must be exactly one of the values the caller reads, and nothing else.
  const found = paths(json).filter((v) => typeof v === 'string' && v.startsWith(mark));
  if (found.length !== cuts.length || new Set(found).size !== cuts.length) return whole();
  return {
    json,
    bytes(value) {
      if (typeof value === 'string' && value.startsWith(mark)) {
        const [start, end] = cuts[Number(value.slice(mark.length))]!;
        return Buffer.from(body.toString('latin1', start, end), 'base64');
      }
      return decodeString(value);
    },
  };
}
