// The OpenAPI 3.1 document, generated from the routes as registered: each route's own Fastify
// schema (the one the server validates with) becomes its parameters and request body, so the
// document cannot drift from what is enforced. Task and error shapes come from the modalities.
import type { FastifyInstance, RouteOptions } from 'fastify';
import Type, { type TSchema } from 'typebox';
import { modalityList } from '../modalities/registry.js';

declare module 'fastify' {
  /** Documentation fields a route schema may carry besides what Fastify validates. */
  interface FastifySchema {
    summary?: string;
    description?: string;
    tags?: string[];
    security?: unknown[];
  }
  /** Marks the routes that create tasks, so the document gives them the task responses. */
  interface FastifyContextConfig {
    taskRoute?: boolean;
  }
}

export interface RouteRecord {
  method: string;
  url: string;
  schema: Record<string, unknown>;
  taskRoute: boolean;
}

/** The public routes: the API under /api/v1 and the OpenAI-compatible /v1. Dashboard and web pages are not part of it. */
const isPublic = (url: string) => url.startsWith('/api/v1/') || url.startsWith('/v1/');

/** Records every public route as it is registered (call before registering them). */
export function collectRoutes(app: FastifyInstance): RouteRecord[] {
  const routes: RouteRecord[] = [];
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).filter((m) => m !== 'HEAD');
    if (!isPublic(route.url)) return;
    for (const method of methods)
      routes.push({ method: method.toLowerCase(), url: route.url, schema: (route.schema ?? {}) as Record<string, unknown>, taskRoute: !!(route.config as { taskRoute?: boolean } | undefined)?.taskRoute });
  });
  return routes;
}

const ErrorSchema = Type.Object({
  error: Type.Object({
    code: Type.String({ description: 'Stable, machine-readable code, e.g. `insufficient_credits`.' }),
    message: Type.String({ description: 'What went wrong, for people.' }),
    param: Type.Optional(Type.String({ description: 'The request parameter at fault.' })),
    type: Type.String(),
  }),
});

function taskSchema(): TSchema {
  const outputs = modalityList().map((m) => m.outputSchema);
  return Type.Object({
    id: Type.String({ pattern: '^task_' }),
    object: Type.Literal('task'),
    type: Type.Union(modalityList().map((m) => Type.Literal(m.type))),
    model: Type.String(),
    status: Type.Union(['queued', 'running', 'succeeded', 'failed', 'canceled'].map((s) => Type.Literal(s))),
    progress: Type.Union([Type.Integer({ minimum: 0, maximum: 100 }), Type.Null()]),
    input: Type.Record(Type.String(), Type.Unknown()),
    output: Type.Union([...outputs, Type.Null()]),
    error: Type.Union([Type.Object({ code: Type.String(), message: Type.String() }), Type.Null()]),
    cost: Type.Object({ credits: Type.Number({ description: 'What was charged once it succeeded; before that, or when it failed or was canceled (charged: false), the price held for it.' }), charged: Type.Boolean() }),
    livemode: Type.Boolean(),
    node: Type.Union([Type.String(), Type.Null()]),
    attempts: Type.Integer(),
    created_at: Type.String({ format: 'date-time' }),
    started_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    finished_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  });
}

const json = (schema: unknown, description: string) => ({ description, content: { 'application/json': { schema } } });
const err = (description: string) => json({ $ref: '#/components/schemas/Error' }, description);
const task = { $ref: '#/components/schemas/Task' };

const COMMON_ERRORS = {
  '400': err('Invalid JSON or parameter'),
  '401': err('Missing, invalid, revoked or expired API key'),
  '429': err('Rate limited'),
};
const TASK_CREATE_ERRORS = {
  '402': err('Not enough credits; no task was made'),
  '403': err('The key may not use this model'),
  '409': err('A request with this Idempotency-Key is in flight'),
  '413': err('Body too large'),
  '415': err('Body is not JSON'),
  '422': err('Idempotency-Key reused with another body'),
  '503': err('The model is unavailable now'),
};

/** JSON Schema object properties as OpenAPI parameters of one kind (path, query, header). */
function parameters(schema: unknown, where: 'path' | 'query' | 'header') {
  const s = schema as { properties?: Record<string, Record<string, unknown>>; required?: string[] } | undefined;
  return Object.entries(s?.properties ?? {}).map(([name, prop]) => ({
    name,
    in: where,
    required: where === 'path' || (s?.required ?? []).includes(name),
    ...(typeof prop.description === 'string' ? { description: prop.description } : {}),
    schema: prop,
  }));
}

function operation(route: RouteRecord) {
  const { schema } = route;
  const isTask = route.url.startsWith('/api/v1/tasks');
  const responses = route.taskRoute
    ? { '202': json(task, 'The task, queued'), '200': json(task, 'The finished task (with Prefer: wait)'), ...COMMON_ERRORS, ...TASK_CREATE_ERRORS }
    : isTask && route.method === 'get' && route.url.endsWith('/tasks')
      ? { '200': json(Type.Object({ object: Type.Literal('list'), data: Type.Array(task), has_more: Type.Boolean() }), 'A page of tasks'), ...COMMON_ERRORS }
      : isTask && route.url.endsWith('/events')
        ? { '200': { description: 'Server-Sent Events: `queued`, `running`, `progress` ({task_id, seq, type, status, progress, created_at}), then `succeeded`, `failed` or `canceled` with the task; `id` is the event sequence', content: { 'text/event-stream': { schema: { type: 'string' } } } }, '404': err('No such task for this key'), ...COMMON_ERRORS }
      : isTask
        ? { '200': json(task, 'The task'), '404': err('No such task for this key'), '409': err('It can no longer be canceled'), ...COMMON_ERRORS }
        : { '200': { description: 'OK' }, '404': err('Not found') };
  return {
    summary: schema.summary,
    ...(schema.tags ? { tags: schema.tags } : {}),
    ...(schema.security ? { security: schema.security } : {}),
    parameters: [...parameters(schema.params, 'path'), ...parameters(schema.querystring, 'query'), ...parameters(schema.headers, 'header')],
    ...(schema.body ? { requestBody: { required: true, content: { 'application/json': { schema: schema.body } } } } : {}),
    responses,
  };
}

export function openApiDocument(routes: RouteRecord[], serverUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.url.replace(/:([A-Za-z_]+)/g, '{$1}');
    (paths[path] ??= {})[route.method] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: { title: 'API in One', version: '1', description: 'One API key, one ledger, every kind of model. Credits are charged only for what succeeded.' },
    servers: [{ url: serverUrl }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'aio_... (live) or aio_test_... (test mode: free, local engines)' } },
      schemas: { Error: ErrorSchema, Task: taskSchema() },
    },
    paths,
  };
}
