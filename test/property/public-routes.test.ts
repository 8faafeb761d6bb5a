// Property-based: random and malformed requests at every public route (read from the live
// OpenAPI document, plus the dashboard's auth routes), on SQLite and PostgreSQL. Random and
// mutated bodies, headers and content types, deep and huge JSON, odd Unicode (NUL, lone
// surrogates, RTL, BOM) and out-of-range numbers. Whatever comes in: never a 5xx, every refusal
// in our JSON error shape (the chat routes' shapes carry the same `error.{code,message,type}`),
// and a refused request writes nothing to the ledger. Bounded: a few hundred runs per database.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { MAX_JSON_DEPTH } from '../../src/http/input-guard.js';
import { auditDatabase } from '../../src/services/audit.js';
import { dbTargets, dropCreatedDatabases } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

after(dropCreatedDatabases);

interface Route {
  method: string;
  /** OpenAPI path template, e.g. /api/v1/tasks/{id}. */
  path: string;
  query: string[];
  headers: string[];
  /** Top-level fields of the JSON body and their schemas, when the route takes one. */
  body?: Record<string, Schema>;
  /** The body's required fields. */
  required?: string[];
}

interface Schema {
  type?: string;
  const?: unknown;
  enum?: unknown[];
  examples?: unknown[];
  anyOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  $ref?: string;
}

/** The dashboard's sign-in routes: not in the API document, open to anyone. */
const AUTH_ROUTES: Route[] = [
  { method: 'POST', path: '/api/auth/signup', query: [], headers: [], body: { email: { type: 'string', examples: ['a@example.com'] }, password: { type: 'string' } }, required: ['email', 'password'] },
  { method: 'POST', path: '/api/auth/login', query: [], headers: [], body: { email: { type: 'string', examples: ['prop@example.com'] }, password: { type: 'string' } }, required: ['email', 'password'] },
  { method: 'POST', path: '/api/auth/logout', query: [], headers: [] },
  { method: 'GET', path: '/api/auth/session', query: [], headers: [] },
  { method: 'POST', path: '/api/auth/password', query: [], headers: [], body: { current_password: { type: 'string' }, new_password: { type: 'string' } } },
];

function routesFrom(doc: { paths: Record<string, Record<string, any>>; components?: { schemas?: Record<string, Schema> } }): Route[] {
  const deref = (s: Schema | undefined): Schema | undefined => (s?.$ref ? doc.components?.schemas?.[s.$ref.split('/').pop()!] : s);
  const routes: Route[] = [];
  for (const [path, ops] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(ops)) {
      const params = (op.parameters ?? []) as Array<{ in: string; name: string }>;
      const schema = deref(op.requestBody?.content?.['application/json']?.schema);
      routes.push({
        method: method.toUpperCase(),
        path,
        query: params.filter((p) => p.in === 'query').map((p) => p.name),
        headers: params.filter((p) => p.in === 'header').map((p) => p.name),
        body: op.requestBody ? (schema?.properties ?? {}) : undefined,
        required: schema?.required ?? [],
      });
    }
  return routes;
}

// --- hostile values -------------------------------------------------------------------------

const ODD = ['\u0000', '\ud800', '\udfff', 'a\udc00b', '\u202e', '\u200f', '\u061c', '\ufeff', '\uffff', '\ufffe', '\u0301', '\u2028', 'مرحبا', '𝕏', '👩‍👩‍👧', 'Ａ', '\u00ad', '%00', '\\u0000', '"', '\\', '\n\r\t', "'; DROP TABLE users; --", '${x}', '{{x}}', '<script>'];
const oddString = fc.array(fc.oneof(fc.constantFrom(...ODD), fc.string({ unit: 'binary', maxLength: 12 }), fc.string({ maxLength: 12 })), { maxLength: 6 }).map((parts) => parts.join(''));
const longString = fc.constantFrom(100, 4001, 5000, 60_000).chain((n) => fc.constantFrom('a', 'é', '\u0000', '字', '\ud83d').map((c) => c.repeat(n)));
const hostileString = fc.oneof({ weight: 5, arbitrary: oddString }, { weight: 1, arbitrary: longString });

/** A JSON number token written raw, so values JSON.stringify cannot produce reach the parser. */
class Raw {
  constructor(readonly token: string) {}
}
const NUMBER_TOKENS = ['1e999', '-1e999', '1e-999', '-0', '0.0', '1.5', '2147483648', '-1', '9007199254740993', '18446744073709551616', `1${'0'.repeat(400)}`, '1.0000000000000000000001', '123456789012345678901234567890'];
const hostileNumber = fc.oneof(
  fc.constantFrom(...NUMBER_TOKENS).map((t) => new Raw(t)),
  fc.constantFrom(-1, 0, 2 ** 31, 2 ** 31 - 1, 2 ** 53, -(2 ** 53), Number.MAX_VALUE, Number.MIN_VALUE, 0.1),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 3, arbitrary: hostileNumber },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}, [null], { '': null }, { __proto__: { polluted: 1 } }, { constructor: { prototype: { x: 1 } } }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

/** Writes a value as JSON text, Raw tokens as they are, keys possibly odd. */
function toJson(v: unknown): string {
  if (v instanceof Raw) return v.token;
  if (Array.isArray(v)) return `[${v.map(toJson).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}:${toJson(x)}`).join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

/** A value the field would accept, from its schema: const, enum or example; else a plain one of its type. */
function plausible(schema: Schema): fc.Arbitrary<unknown> {
  const options = [...(schema.anyOf ?? []).flatMap((s) => (s.const !== undefined ? [s.const] : [])), ...(schema.enum ?? []), ...(schema.const !== undefined ? [schema.const] : []), ...(schema.examples ?? [])];
  if (options.length) return fc.constantFrom(...options);
  switch (schema.type) {
    case 'integer':
      return fc.integer({ min: 0, max: 100 });
    case 'number':
      return fc.double({ min: 0, max: 100, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.constant([]);
    case 'object':
      return fc.constant({});
    default:
      return fc.constantFrom('A poster reading "HELLO"', 'hello', 'aio-poster');
  }
}

/**
 * A body for the route's fields: each plausible, hostile or left out (optional ones mostly left
 * out: the documents list every model's fields), plus maybe unknown fields.
 */
function mutatedBody(fields: Record<string, Schema>, required: string[] = []): fc.Arbitrary<string> {
  const entries = Object.entries(fields);
  const record = fc.tuple(
    ...entries.map(([name, schema]) =>
      required.includes(name)
        ? fc.oneof({ weight: 12, arbitrary: plausible(schema) }, { weight: 2, arbitrary: hostileValue }, { weight: 1, arbitrary: fc.constant(undefined) })
        : fc.oneof({ weight: 3, arbitrary: plausible(schema) }, { weight: 1, arbitrary: hostileValue }, { weight: 8, arbitrary: fc.constant(undefined) }),
    ),
  );
  const extra = fc.dictionary(hostileString.filter((k) => k.length < 200), hostileValue, { maxKeys: 2 });
  return fc.tuple(record, extra, fc.nat(3).map((n) => n === 0)).map(([values, more, withExtra]) => {
    const body: Record<string, unknown> = {};
    entries.forEach(([name], i) => {
      if (values[i] !== undefined) body[name] = values[i];
    });
    return toJson(withExtra ? { ...body, ...more } : body);
  });
}

const deepJson = fc.tuple(fc.constantFrom(MAX_JSON_DEPTH, MAX_JSON_DEPTH + 1, 1000, 20_000), fc.constantFrom('array', 'object', 'mixed')).map(([depth, kind]) => {
  if (kind === 'array') return `${'['.repeat(depth)}${']'.repeat(depth)}`;
  if (kind === 'object') return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
  return `{"model":"aio-poster","prompt":${'{"a":['.repeat(depth / 2)}1${']}'.repeat(depth / 2)}}`;
});
const hugeJson = fc.constantFrom(
  () => `{"prompt":"${'x'.repeat(70_000)}"}`,
  () => `{${Array.from({ length: 5000 }, (_, i) => `"k${i}":${i}`).join(',')}}`,
  () => `[${'1,'.repeat(30_000)}1]`,
  () => `{"model":"aio-poster","prompt":"${'\\u0000'.repeat(10_000)}"}`,
).map((make) => make());
const malformed = fc.oneof(
  fc.constantFrom('', ' ', '{', '}', '[', '{"a":}', '{"a" 1}', "{'a':1}", '{"a":1,}', 'null', 'true', '"str"', '1', 'NaN', 'undefined', '{"a":01}', '{"a":0x10}', '\ufeff{}', '{"__proto__":{"x":1}}', '{"a":"\\ud800"}', '{"a":"\\u0000"}', '{"\\u0000":1}', '{"a":"\\x00"}', '{"a":1}{"b":2}'),
  fc.string({ unit: 'binary', maxLength: 40 }),
);
/** Bytes that are not UTF-8 at all. */
const invalidUtf8 = fc.constantFrom(Buffer.from([0xff, 0xfe, 0x7b, 0x7d]), Buffer.from('{"prompt":"\xc3\x28"}', 'latin1'), Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d]), Buffer.from([0xc0, 0xaf]));

const CONTENT_TYPES = ['application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON', 'application/json; charset=latin1', 'application/json;;', 'text/plain', 'text/html', 'application/x-www-form-urlencoded', 'multipart/form-data', 'multipart/form-data; boundary=x', 'application/octet-stream', '', '*/*', 'application/vnd.api+json', 'application/json\u00e9'];
/** Header values Node can send: printable ASCII and Latin-1. */
const headerText = fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).filter((c) => c !== 0x7f).map((c) => String.fromCharCode(c)), maxLength: 80 });

// --- sending ---------------------------------------------------------------------------------

interface Sent {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

interface Answer {
  status: number;
  contentType: string;
  text: string;
}

function send(port: number, req: Sent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const body = req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body, 'utf8');
    const headers = { ...req.headers, ...(body ? { 'content-length': String(body.length) } : {}) };
    const r = http.request({ host: '127.0.0.1', port, method: req.method, path: req.path, headers, timeout: 20_000 }, (res) => {
      const contentType = String(res.headers['content-type'] ?? '');
      if (contentType.startsWith('text/event-stream')) {
        res.destroy();
        return resolve({ status: res.statusCode!, contentType, text: '' });
      }
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, contentType, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    r.on('timeout', () => r.destroy(new Error(`no answer in 20 s to ${req.method} ${req.path}`)));
    r.on('error', reject);
    r.end(body);
  });
}

function assertErrorShape(req: Sent, res: Answer): void {
  const where = `${req.method} ${req.path.slice(0, 200)} -> ${res.status} ${res.text.slice(0, 300)}`;
  if (res.status < 400) return;
  // The one documented 5xx: a model no node is configured to serve (no upstream key in this test).
  const unavailable = res.status === 503 && /"code":"model_unavailable"/.test(res.text);
  assert.ok(res.status < 500 || unavailable, `a 5xx: ${where}`);
  assert.match(res.contentType, /^application\/json/, `an error that is not JSON: ${where}`);
  const body = JSON.parse(res.text) as { error?: { code?: unknown; message?: unknown; type?: unknown } };
  assert.equal(typeof body.error?.code, 'string', `no error.code: ${where}`);
  assert.ok((body.error!.code as string).length > 0);
  assert.equal(typeof body.error?.message, 'string', `no error.message: ${where}`);
  assert.equal(typeof body.error?.type, 'string', `no error.type: ${where}`);
}

for (const target of await dbTargets()) {
  describe(`hostile requests at every public route on ${target.name}`, { skip: target.skip }, () => {
    let server: TestServer;
    let port: number;
    let routes: Route[];
    const keys: string[] = [];
    const ids: string[] = [];
    /** Each model's documented example request and the route it goes to (GET /api/v1/models). */
    let examples: Array<{ model: string; available: boolean; path: string; body: Record<string, unknown> }> = [];
    let sessionCookie = '';
    let csrf = '';

    before(async () => {
      server = await startTestServer({ databaseUrl: await target.create() });
      port = Number(new URL(server.url).port);
      const doc = await server.api('GET', '/api/v1/openapi.json');
      assert.equal(doc.status, 200);
      routes = [...routesFrom(doc.body), ...AUTH_ROUTES];
      const models = await server.api('GET', '/api/v1/models');
      examples = (models.body.data as any[]).filter((m) => m.example && m.method === 'POST').map((m) => ({ model: m.id, available: m.available, path: m.endpoint, body: m.example }));
      assert.ok(examples.filter((e) => e.available).length >= 5);
      assert.ok(routes.length > 20, `${routes.length} routes`);
      const live = await server.account({ credits: 1000 });
      const test = await server.account({ test: true });
      const broke = await server.account({ credits: 0 });
      keys.push(live.key, test.key, broke.key);
      // Real ids to aim at: a live and a test task, and another account's.
      for (const key of [live.key, test.key]) {
        const res = await server.api('POST', '/api/v1/images/generations', { key, body: { model: 'aio-poster', prompt: 'A poster reading "SEED"' } });
        assert.equal(res.status, 202);
        ids.push(res.body.id);
        await server.waitForTask(res.body.id, key, 30_000);
      }
      const signup = await server.api('POST', '/api/auth/signup', { body: { email: 'prop@example.com', password: 'correct horse battery' } });
      assert.equal(signup.status, 201);
      sessionCookie = (signup.headers.getSetCookie() ?? []).map((c) => c.split(';')[0]).join('; ');
      csrf = signup.body.csrf_token;
    });
    after(async () => {
      await server?.close();
    });

    const ledgerRows = async () => Number((await server.platform.db.selectFrom('ledger_entries').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    /** Waits until no task holds credits in flight, so a settlement cannot land inside the next check. */
    async function settle(): Promise<void> {
      for (let i = 0; i < 300; i++) {
        const open = await server.platform.db.selectFrom('tasks').select('id').where('status', 'in', ['queued', 'running']).where('hold_micro', '>', 0).executeTakeFirst();
        if (!open) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('tasks stayed open for 15 s');
    }

    /** Answers seen, by status, for the summary each test prints. */
    const seen = new Map<number, number>();
    const summary = () => [...seen].sort(([a], [b]) => a - b).map(([status, n]) => `${status}x${n}`).join(' ');

    /** Sends one request; checks the answer and that a refusal left the ledger alone. */
    async function check(req: Sent): Promise<void> {
      const before = await ledgerRows();
      const res = await send(port, req);
      seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
      if (process.env.PROP_DEBUG) console.error(req.method, req.path.slice(0, 80), String(req.body ?? '').slice(0, 150), '->', res.status, res.text.slice(0, 150));
      assertErrorShape(req, res);
      if (res.status >= 400) assert.equal(await ledgerRows(), before, `a refused request wrote to the ledger: ${req.method} ${req.path.slice(0, 200)} -> ${res.status}`);
      else await settle();
    }

    const pathSegment = () =>
      fc.oneof(
        { weight: 2, arbitrary: fc.constantFrom(...ids) },
        { weight: 3, arbitrary: oddString.map((s) => encodeURIComponent(s.replace(/[\ud800-\udfff]/g, 'x'))) },
        { weight: 2, arbitrary: fc.constantFrom('%', '%zz', '%00', '%ED%A0%80', '%C0%AF', '%FF', '..', '%2e%2e%2f', '%2F', `task_${'a'.repeat(150)}`, 'x'.repeat(5000), '0', '-1', 'null') },
      );
    const authHeader = () => fc.oneof(fc.constantFrom(...keys).map((k) => `Bearer ${k}`), fc.constantFrom('', 'Bearer', 'Bearer ', 'Basic YTpi', 'Bearer aio_', `Bearer aio_${'x'.repeat(40)}`, `Bearer ${'a'.repeat(8000)}`), headerText.map((t) => `Bearer ${t}`));

    /** A request to one of the routes: path, query, headers and body all possibly hostile. */
    const request = (pick: fc.Arbitrary<Route>, body: (r: Route) => fc.Arbitrary<string | Buffer | undefined>) =>
      pick.chain((route) =>
        fc.record({
          route: fc.constant(route),
          method: fc.oneof({ weight: 9, arbitrary: fc.constant(route.method) }, { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE') }),
          segments: fc.array(pathSegment(), { minLength: 3, maxLength: 3 }),
          query: fc.array(fc.tuple(fc.oneof(fc.constantFrom(...route.query, 'limit', 'x'), headerText.map(encodeURIComponent)), fc.oneof(hostileString.map((s) => encodeURIComponent(s.replace(/[\ud800-\udfff]/g, '\ufffd'))), fc.constantFrom('%00', '%ED%A0%80', '-1', '1e999', '101', '0', 'queued', '%'))), { maxLength: 3 }),
          auth: fc.option(authHeader(), { nil: undefined }),
          contentType: fc.option(fc.oneof({ weight: 4, arbitrary: fc.constant('application/json') }, { weight: 2, arbitrary: fc.constantFrom(...CONTENT_TYPES) }, { weight: 1, arbitrary: headerText }), { nil: undefined }),
          extra: fc.dictionary(fc.oneof(fc.constantFrom(...route.headers, 'idempotency-key', 'prefer', 'x-request-id', 'origin', 'accept', 'x-csrf-token', 'last-event-id', 'accept-encoding', 'content-encoding', 'x-forwarded-for', 'expect'), fc.stringMatching(/^[a-z][a-z0-9-]{0,30}$/)), fc.oneof(headerText, fc.constantFrom('wait=1', 'wait=0', 'wait=-1', 'wait=1e999', 'null', 'http://evil.example', 'x'.repeat(300))), { maxKeys: 3 }),
          cookie: fc.constantFrom(undefined, 'session', 'garbage'),
          body: body(route),
        }),
      ).map(({ route, method, segments, query, auth, contentType, extra, cookie, body: b }): Sent => {
        let i = 0;
        const path = route.path.replace(/\{[^}]+\}/g, () => segments[i++ % segments.length]!);
        const qs = query.map(([k, v]) => `${k}=${v}`).join('&');
        const headers: Record<string, string> = { ...extra };
        if (auth !== undefined) headers.authorization = auth;
        if (contentType !== undefined && b !== undefined) headers['content-type'] = contentType;
        if (cookie === 'session') Object.assign(headers, { cookie: sessionCookie, 'x-csrf-token': headers['x-csrf-token'] ?? csrf });
        if (cookie === 'garbage') headers.cookie = 'aio_session=%00; aio_csrf=\u00e9';
        return { method, path: qs ? `${path}?${qs}` : path, headers, body: b };
      });

    const anyRoute = () => fc.constantFrom(...routes);
    const anyBody = (r: Route): fc.Arbitrary<string | Buffer | undefined> =>
      r.body
        ? fc.oneof({ weight: 5, arbitrary: mutatedBody(r.body, r.required) }, { weight: 1, arbitrary: malformed }, { weight: 1, arbitrary: invalidUtf8 }, { weight: 1, arbitrary: fc.constant(undefined) })
        : fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: malformed });

    test('random requests at every route: no 5xx, our error shape, no ledger write on refusal', { timeout: 120_000 }, async () => {
      await fc.assert(fc.asyncProperty(request(anyRoute(), anyBody), check), { numRuns: 220 });
    });

    test('bodies built from each route’s own fields with hostile values (a live key with credits)', { timeout: 120_000 }, async () => {
      const withBody = routes.filter((r) => r.body && Object.keys(r.body).length > 0);
      const live = fc
        .constantFrom(...withBody)
        .chain((route) => fc.record({ route: fc.constant(route), body: mutatedBody(route.body!, route.required), id: fc.constantFrom(...ids), idem: fc.option(fc.uuid(), { nil: undefined }) }))
        .map(({ route, body, id, idem }): Sent => ({
          method: route.method,
          path: route.path.replace(/\{[^}]+\}/g, id),
          headers: { authorization: `Bearer ${keys[0]}`, 'content-type': 'application/json', cookie: sessionCookie, 'x-csrf-token': csrf, ...(idem ? { 'idempotency-key': idem } : {}) },
          body,
        }));
      await fc.assert(fc.asyncProperty(live, check), { numRuns: 120 });
    });

    test('a documented example with one field changed, dropped or added (a live key with credits)', { timeout: 120_000 }, async () => {
      const change = fc.constantFrom(...examples).chain((example) =>
        fc.record({
          example: fc.constant(example),
          field: fc.constantFrom(...Object.keys(example.body)),
          how: fc.constantFrom('hostile', 'hostile', 'drop', 'add', 'keep'),
          value: hostileValue,
          name: hostileString.filter((k) => k.length < 100),
        }),
      );
      const req = change.map(({ example, field, how, value, name }): Sent => {
        const body: Record<string, unknown> = { ...example.body };
        if (how === 'hostile' && field !== 'model') body[field] = value;
        if (how === 'drop') delete body[field];
        if (how === 'add') body[name] = value;
        return { method: 'POST', path: example.path, headers: { authorization: `Bearer ${keys[0]}`, 'content-type': 'application/json' }, body: toJson(body) };
      });
      const before = seen.get(202) ?? 0;
      await fc.assert(fc.asyncProperty(req, check), { numRuns: 50 });
      assert.ok((seen.get(202) ?? 0) > before, 'some changed examples were accepted (and held credits)');
    });

    test('deep, huge and broken JSON at every route that takes a body, with and without an Idempotency-Key', { timeout: 120_000 }, async () => {
      const withBody = routes.filter((r) => r.body);
      const req = fc
        .record({
          route: fc.constantFrom(...withBody),
          body: fc.oneof(deepJson, hugeJson, malformed),
          key: fc.constantFrom(...keys),
          idem: fc.option(fc.constantFrom('k1', 'k2', 'x'.repeat(255)), { nil: undefined }),
        })
        .map(({ route, body, key, idem }): Sent => ({
          method: route.method,
          path: route.path.replace(/\{[^}]+\}/g, ids[0]!),
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', cookie: sessionCookie, 'x-csrf-token': csrf, ...(idem ? { 'idempotency-key': idem } : {}) },
          body,
        }));
      await fc.assert(fc.asyncProperty(req, check), { numRuns: 60 });
    });

    test('afterwards the ledger audits clean', async (t) => {
      t.diagnostic(`answers by status: ${summary()}`);
      assert.ok(seen.get(202), 'some tasks were accepted');
      assert.ok([...seen.keys()].filter((s) => s >= 400).length >= 6, 'refusals of several kinds');
      await settle();
      const report = await auditDatabase(server.platform.db, { kind: server.platform.dbKind, taskTimeoutMs: 3_600_000 });
      assert.equal(report.ok, true, JSON.stringify(report.findings));
    });
  });
}
