// One schema, one reference: every public route (/api/v1/*, /v1/*) declares its schema, and the
// OpenAPI document at /api/v1/openapi.json lists every public route the router really has. The
// router's own table (printRoutes) is the independent truth the document is checked against.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { loadSettings } from '../../src/config/settings.js';
import { collectRoutes, openApiDocument } from '../../src/http/openapi.js';
import { buildServer } from '../../src/http/server.js';
import { createPlatform, type Platform } from '../../src/platform.js';
import { tempDir } from '../helpers/databases.js';
import { quietLogger } from '../helpers/server.js';

/** POST routes that take no JSON body, and why; any other POST must declare `body`. */
const BODYLESS_POSTS: Record<string, string> = {
  'post /api/v1/tasks/{id}/cancel': 'the task id is the whole request',
  'post /api/v1/webhook_endpoints/{id}/rotate': 'the endpoint id is the whole request',
  'post /api/v1/files': 'a multipart/form-data upload',
};

const isPublic = (url: string) => url.startsWith('/api/v1/') || url.startsWith('/v1/');

/** `method path` of every route in Fastify's route tree (`printRoutes({ commonPrefix: false })`), HEAD left out. */
function routesOfTree(tree: string): string[] {
  const segments: string[] = [];
  const routes: string[] = [];
  for (const line of tree.split('\n').filter((l) => l.trim())) {
    const m = /^((?:│ {3}| {4})*)(?:├── |└── )(\S+)(?: \(([A-Z, ]+)\))?$/.exec(line);
    assert.ok(m, `a route tree line this test cannot read: '${line}'`);
    const depth = m[1]!.length / 4;
    segments.length = depth;
    segments.push(m[2]!);
    for (const method of m[3]?.split(', ') ?? []) if (method !== 'HEAD') routes.push(`${method.toLowerCase()} ${segments.join('')}`);
  }
  return routes;
}

/** What a route's schema lacks, as the document generated from it shows. */
function schemaProblems(doc: any): string[] {
  const problems: string[] = [];
  for (const [p, ops] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
    for (const [method, op] of Object.entries(ops)) {
      const route = `${method} ${p}`;
      if (typeof op.summary !== 'string' || !op.summary.trim()) problems.push(`${route}: no schema (no summary)`);
      const declared = new Set((op.parameters ?? []).filter((x: any) => x.in === 'path').map((x: any) => x.name));
      for (const [, name] of p.matchAll(/\{([^}]+)\}/g)) if (!declared.has(name)) problems.push(`${route}: path parameter '${name}' has no schema`);
      if (['post', 'put', 'patch'].includes(method) && !op.requestBody && !(route in BODYLESS_POSTS)) problems.push(`${route}: no body schema`);
    }
  }
  return problems;
}

describe('OpenAPI document and route schemas', () => {
  let platform: Platform;
  let app: FastifyInstance;
  let doc: any;
  let registered: string[];

  before(async () => {
    const dataDir = tempDir();
    platform = await createPlatform(loadSettings({ AIO_DATA_DIR: dataDir, DATABASE_URL: path.join(dataDir, 'aio.sqlite') }), { workers: false, logger: quietLogger() });
    app = await buildServer(platform);
    await app.ready();
    registered = routesOfTree(app.printRoutes({ commonPrefix: false }))
      .filter((r) => isPublic(r.split(' ')[1]!))
      .map((r) => r.replace(/:([A-Za-z_]+)/g, '{$1}'));
    const res = await app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    assert.equal(res.statusCode, 200);
    doc = res.json();
  });
  after(async () => {
    await app?.close();
    await platform?.close();
  });

  test('the route tree parser reads what Fastify prints', () => {
    assert.deepEqual(routesOfTree('├── /api/v1/tasks (GET, HEAD)\n│   └── /:id (GET, HEAD)\n│       └── /cancel (POST)\n└── /v1/models (GET, HEAD)\n'), [
      'get /api/v1/tasks',
      'get /api/v1/tasks/:id',
      'post /api/v1/tasks/:id/cancel',
      'get /v1/models',
    ]);
    for (const expected of ['post /v1/images/generations', 'get /v1/videos/{id}/content', 'post /api/v1/images/generations', 'get /api/v1/tasks/{id}'])
      assert.ok(registered.includes(expected), `${expected} is among the routes read from the router`);
  });

  test('the document lists every registered public route, and nothing else', () => {
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`));
    assert.deepEqual([...new Set(registered)].sort(), documented.sort());
  });

  test('every public route declares its schema: a summary, its path parameters, its body', () => {
    assert.deepEqual(schemaProblems(doc), []);
  });

  test('the check catches a route without a schema', async () => {
    const bare = Fastify();
    const routes = collectRoutes(bare);
    bare.get('/v1/things/:id', async () => 'no schema');
    bare.post('/api/v1/things', { schema: { summary: 'Make a thing' } }, async () => 'no body schema');
    await bare.ready();
    assert.deepEqual(schemaProblems(openApiDocument(routes, 'http://x')), [
      "get /v1/things/{id}: no schema (no summary)",
      "get /v1/things/{id}: path parameter 'id' has no schema",
      'post /api/v1/things: no body schema',
    ]);
    await bare.close();
  });

  test('the OpenAI-compatible routes are documented with the bodies they validate', () => {
    const images = doc.paths['/v1/images/generations'].post;
    assert.deepEqual(images.requestBody.content['application/json'].schema.required.sort(), ['model', 'prompt']);
    assert.equal(images.requestBody.content['application/json'].schema.properties.n.maximum, 4);
    assert.ok(doc.paths['/v1/videos/{id}/content'].get.parameters.some((x: any) => x.in === 'query' && x.name === 'variant'));
  });
});
