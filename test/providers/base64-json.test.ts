// Big base64 values read straight from a body's bytes give exactly what JSON.parse of the body
// and a base64 decode of the value give, whatever the layout; anything odd falls back to that.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { parseBase64Json } from '../../src/providers/base64-json.js';

type Body = { data?: Array<{ b64_json?: string; revised_prompt?: string } | null>; [k: string]: unknown } | null;
const paths = (json: Body) => (Array.isArray(json?.data) ? json.data.map((d) => d?.b64_json) : []);

/** What the adapter gets from each image entry, through the fast reader and through JSON.parse. */
function both(text: string): { fast: unknown; plain: unknown } {
  const parsed = parseBase64Json<Body>(Buffer.from(text), 'b64_json', paths);
  const plain = JSON.parse(text) as Body;
  const view = (json: Body, bytes: (v: unknown) => Buffer | undefined) => ({
    rest: JSON.stringify(json, (k, v) => (k === 'b64_json' ? undefined : v)),
    images: (json?.data ?? []).map((d) => bytes(d?.b64_json)?.toString('hex')),
  });
  return { fast: view(parsed.json, (v) => parsed.bytes(v)), plain: view(plain, (v) => (typeof v === 'string' ? Buffer.from(v, 'base64') : undefined)) };
}

const a = randomBytes(3000).toString('base64');
const b = randomBytes(2000).toString('base64');

test('compact, pretty-printed and several images read the same as JSON.parse', () => {
  for (const text of [
    JSON.stringify({ created: 1, data: [{ b64_json: a }] }),
    JSON.stringify({ created: 1, data: [{ b64_json: a, revised_prompt: 'a "quoted" prompt, ünïcode ✓' }, { b64_json: b }] }, null, 2),
    `{"data" : [ { "b64_json"\n:\t"${a}" } ], "usage": {"total_tokens": 5}}`,
  ]) {
    const { fast, plain } = both(text);
    assert.deepEqual(fast, plain);
    assert.ok((plain as { images: string[] }).images.every((h) => h && h.length > 1000));
  }
});

test('the field name inside a string, as a value, or outside data falls back to the same result', () => {
  for (const text of [
    JSON.stringify({ data: [{ revised_prompt: 'say \\"b64_json\\": \\"x\\"', b64_json: a }] }),
    JSON.stringify({ note: 'b64_json', data: [{ b64_json: a }] }),
    JSON.stringify({ meta: { b64_json: b }, data: [{ b64_json: a }] }),
    `{"data":[{"b64_json":"${a.slice(0, 40)}\\/${a.slice(40)}"}]}`,
    JSON.stringify({ data: [null, { b64_json: b }] }),
    JSON.stringify({ error: { message: 'no' } }),
  ]) {
    const { fast, plain } = both(text);
    assert.deepEqual(fast, plain, text.slice(0, 80));
  }
});

test('a byte order mark is dropped, as Response.text() drops it', () => {
  const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify({ data: [{ b64_json: a }] }))]);
  const parsed = parseBase64Json<Body>(body, 'b64_json', paths);
  assert.deepEqual(parsed.bytes(parsed.json?.data?.[0]?.b64_json), Buffer.from(a, 'base64'));
});

test('a body that is not JSON throws, as JSON.parse does', () => {
  assert.throws(() => parseBase64Json(Buffer.from(`{"data":[{"b64_json":"${a}"}`), 'b64_json', paths));
  assert.throws(() => parseBase64Json(Buffer.from('<html>proxy error</html>'), 'b64_json', paths));
});
