// Example requests for every operation of the OpenAPI document, in curl, JavaScript (fetch) and
// Python (requests). A task route's body is a model's own example request; other bodies are
// made from the route's schema (required fields, with their examples, defaults or first values).
import type { JsonSchema, OpenApiOperation } from '../../api';
import { shellQuote } from '../../curl';
import type { Model } from '../../types';

export interface Operation {
  method: string;
  path: string;
  op: OpenApiOperation;
}

export interface ExampleRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** A JSON body. */
  json?: unknown;
  /** A multipart upload of one file, in this field. */
  fileField?: string;
  auth: boolean;
  /** The answer is a file (audio, video, an upload's bytes), not JSON. */
  binary: boolean;
  /** The answer is a stream of Server-Sent Events. */
  stream: boolean;
}

const SAMPLE_IDS: [RegExp, string][] = [
  [/\/tasks\/\{id\}/, 'task_0123456789abcdef'],
  [/\/webhook_endpoints\/\{id\}/, 'we_0123456789abcdef'],
  [/\/files\/\{id\}/, 'file_0123456789abcdef'],
  [/\/videos\/\{id\}/, 'video_0123456789abcdef'],
];

/** The modality a task route creates, from its tag (image, video, audio, tool). */
export const taskType = (o: Operation): string | undefined => {
  const tag = o.op.tags?.[0];
  return tag && ['image', 'video', 'audio', 'tool'].includes(tag) && o.method === 'post' && o.path.startsWith('/api/v1/') ? tag : undefined;
};

const live = (models: Model[]) => [...models.filter((m) => m.available), ...models.filter((m) => !m.available)];

function pathWithIds(path: string, models: Model[]): string {
  for (const [re, id] of SAMPLE_IDS) if (re.test(path)) return path.replace('{id}', id);
  if (path.includes('/models/{id}')) return path.replace('{id}', live(models)[0]?.id ?? 'aio-poster');
  return path.replace(/\{(\w+)\}/g, '$1');
}

/** A value for a schema: its example, default, const or first allowed value, else one of its type. */
function sampleValue(name: string, s: JsonSchema | undefined, ctx: { models: Model[]; type?: string }): unknown {
  if (!s) return 'string';
  if (s.examples?.length) return s.examples[0];
  if (s.default !== undefined) return s.default;
  if (s.const !== undefined) return s.const;
  if (s.enum?.length) return s.enum[0];
  const first = (s.anyOf ?? s.oneOf)?.[0];
  if (first) return sampleValue(name, first, ctx);
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  if (name === 'model') return live(ctx.models.filter((m) => !ctx.type || m.type === ctx.type))[0]?.id ?? 'aio-poster';
  if (name === 'prompt') return 'A paper boat on a rainy street, warm light';
  if (name === 'input' || name === 'text') return 'Hello from API in One.';
  if (name === 'url') return 'https://example.com/webhooks/aio';
  if (type === 'integer' || type === 'number') return s.minimum ?? 1;
  if (type === 'boolean') return false;
  if (type === 'array') return s.items ? [sampleValue(name, s.items, ctx)] : [];
  if (type === 'object') return sampleObject(s, ctx);
  return 'string';
}

function sampleObject(s: JsonSchema, ctx: { models: Model[]; type?: string }): Record<string, unknown> {
  const props = s.properties ?? {};
  const names = s.required?.length ? s.required : Object.keys(props).slice(0, 2);
  return Object.fromEntries(names.map((n) => [n, sampleValue(n, props[n], ctx)]));
}

/** The chat routes' bodies: a schema cannot say what a conversation looks like. */
function chatBody(o: Operation, models: Model[]): Record<string, unknown> | undefined {
  if (o.op.tags?.[0] !== 'chat') return undefined;
  const model = live(models.filter((m) => (m.type as string) === 'chat'))[0]?.id ?? 'aio-echo';
  const messages = [{ role: 'user', content: 'Write a haiku about the sea.' }];
  return o.path.endsWith('/messages') ? { model, max_tokens: 256, messages } : { model, messages };
}

/** The example request of an operation, for this server's `origin`. */
export function exampleRequest(o: Operation, models: Model[], origin: string): ExampleRequest {
  const auth = !(Array.isArray(o.op.security) && o.op.security.length === 0);
  const headers: Record<string, string> = {};
  const type = taskType(o);
  let json: unknown;
  let fileField: string | undefined;
  const schema = o.op.requestBody?.content?.['application/json']?.schema;
  if (type) {
    json = live(models.filter((m) => m.type === type))[0]?.example ?? (schema ? sampleObject(schema, { models, type }) : {});
    headers.Prefer = 'wait';
  } else if (schema) {
    json = chatBody(o, models) ?? sampleObject(schema, { models });
  } else if (o.method === 'post' && /\/files$/.test(o.path)) {
    fileField = 'file';
  }
  const binary = o.path.endsWith('/content') || o.path === '/v1/audio/speech';
  const stream = o.path.endsWith('/events');
  return { method: o.method.toUpperCase(), url: `${origin}${pathWithIds(o.path, models)}`, headers, json, fileField, auth, binary, stream };
}

const KEY_SHELL = '$AIO_API_KEY';

export function curlExample(r: ExampleRequest): string {
  const lines = [`curl${r.stream ? ' -N' : ''}${r.method === 'GET' ? '' : ` -X ${r.method}`} ${r.url}`];
  if (r.auth) lines.push(`  -H "Authorization: Bearer ${KEY_SHELL}"`);
  for (const [k, v] of Object.entries(r.headers)) lines.push(`  -H "${k}: ${v}"`);
  if (r.fileField) lines.push(`  -F ${r.fileField}=@picture.png`);
  if (r.json !== undefined) {
    lines.push('  -H "Content-Type: application/json"');
    lines.push(`  --data-raw ${shellQuote(JSON.stringify(r.json, null, 2))}`);
  }
  if (r.binary) lines.push('  -o result.bin');
  return lines.join(' \\\n');
}

const indent = (text: string, by: string) => text.split('\n').join(`\n${by}`);

export function jsExample(r: ExampleRequest): string {
  const headers: string[] = [];
  if (r.auth) headers.push('Authorization: `Bearer ${process.env.AIO_API_KEY}`');
  for (const [k, v] of Object.entries(r.headers)) headers.push(`${/^[A-Za-z_]\w*$/.test(k) ? k : JSON.stringify(k)}: ${JSON.stringify(v)}`);
  if (r.json !== undefined) headers.push("'Content-Type': 'application/json'");
  const lines: string[] = [];
  if (r.fileField) {
    lines.push("import { openAsBlob } from 'node:fs';", '', 'const form = new FormData();', `form.append('${r.fileField}', await openAsBlob('picture.png'), 'picture.png');`);
  }
  const options = [`method: '${r.method}'`];
  if (headers.length) options.push(`headers: { ${headers.join(', ')} }`);
  if (r.json !== undefined) options.push(`body: JSON.stringify(${indent(JSON.stringify(r.json, null, 2), '  ')})`);
  if (r.fileField) options.push('body: form');
  lines.push(`const res = await fetch('${r.url}', {`, ...options.map((o) => `  ${o},`), '});');
  if (r.binary) lines.push("await (await import('node:fs/promises')).writeFile('result.bin', Buffer.from(await res.arrayBuffer()));");
  else if (r.stream) lines.push('for await (const chunk of res.body) process.stdout.write(chunk);');
  else lines.push('console.log(res.status, await res.json());');
  return lines.join('\n');
}

/** JSON as a Python literal (True, False, None). */
function python(value: unknown, pad = ''): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  const inner = `${pad}    `;
  if (Array.isArray(value)) return value.length ? `[\n${value.map((v) => `${inner}${python(v, inner)},`).join('\n')}\n${pad}]` : '[]';
  const entries = Object.entries(value as Record<string, unknown>);
  return entries.length ? `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${python(v, inner)},`).join('\n')}\n${pad}}` : '{}';
}

export function pythonExample(r: ExampleRequest): string {
  const headers: string[] = [];
  if (r.auth) headers.push('"Authorization": f"Bearer {os.environ[\'AIO_API_KEY\']}"');
  for (const [k, v] of Object.entries(r.headers)) headers.push(`${JSON.stringify(k)}: ${JSON.stringify(v)}`);
  const args = [`    "${r.url}",`];
  if (headers.length) args.push(`    headers={${headers.join(', ')}},`);
  if (r.json !== undefined) args.push(`    json=${python(r.json, '    ')},`);
  if (r.fileField) args.push(`    files={"${r.fileField}": open("picture.png", "rb")},`);
  if (r.stream) args.push('    stream=True,');
  const read = r.binary
    ? ['with open("result.bin", "wb") as f:', '    f.write(res.content)']
    : r.stream
      ? ['for line in res.iter_lines(decode_unicode=True):', '    print(line)']
      : ['print(res.status_code, res.json())'];
  return ['import os', 'import requests', '', `res = requests.${r.method.toLowerCase()}(`, ...args, ')', ...read].join('\n');
}
