// The OpenAPI 3.1 document of the public API, built from TypeBox schemas and the live catalog,
// so the allowed models, sizes, speeds and formats in it are the ones the gateway enforces.
import Type, { type TSchema } from 'typebox';
import type { Catalog } from '../services/catalog.js';
import { IMAGE_ENDPOINT } from '../services/model-view.js';

const literals = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));
const union = (lists: string[][]) => [...new Set(lists.flat())];

const ErrorSchema = Type.Object({
  error: Type.Object({
    code: Type.String({ description: 'Stable, machine-readable code, e.g. `insufficient_credits`.' }),
    message: Type.String({ description: 'What went wrong, for people.' }),
    param: Type.Optional(Type.String({ description: 'The request parameter at fault.' })),
    type: Type.String(),
  }),
});

const ImageSchema = Type.Object({
  url: Type.String({ format: 'uri' }),
  width: Type.Integer(),
  height: Type.Integer(),
  format: literals(['png', 'jpeg', 'webp']),
  bytes: Type.Integer(),
  seed: Type.Optional(Type.Integer()),
});

function requestSchema(catalog: Catalog): TSchema {
  const models = catalog.models.filter((m) => m.enabled && m.type === 'image');
  return Type.Object(
    {
      model: literals(models.map((m) => m.id)),
      prompt: Type.String({ minLength: 1, maxLength: 4000 }),
      size: Type.Optional(literals(union(models.map((m) => Object.keys(m.params.size.values))))),
      rendering_speed: Type.Optional(literals([...union(models.map((m) => m.params.rendering_speed.values)), 'DEFAULT'])),
      output_format: Type.Optional(literals([...union(models.map((m) => m.params.output_format.values)), 'jpg'])),
      seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 2147483647 })),
      negative_prompt: Type.Optional(Type.String({ maxLength: 4000, description: 'Only for models whose parameters list it.' })),
    },
    { additionalProperties: false, description: 'Which values each model accepts: GET /api/v1/models/{id}.' },
  );
}

const TaskSchema = Type.Object({
  id: Type.String({ pattern: '^task_' }),
  object: Type.Literal('task'),
  type: literals(['image', 'video', 'audio', 'tool']),
  model: Type.String(),
  status: literals(['queued', 'running', 'succeeded', 'failed', 'canceled']),
  input: Type.Record(Type.String(), Type.Unknown()),
  output: Type.Union([Type.Object({ images: Type.Array(ImageSchema) }), Type.Null()]),
  error: Type.Union([Type.Object({ code: Type.String(), message: Type.String() }), Type.Null()]),
  cost: Type.Object({ credits: Type.Integer(), charged: Type.Boolean() }),
  livemode: Type.Boolean(),
  node: Type.Union([Type.String(), Type.Null()]),
  attempts: Type.Integer(),
  created_at: Type.String({ format: 'date-time' }),
  started_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  finished_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

const json = (schema: TSchema | { $ref: string }, description: string) => ({ description, content: { 'application/json': { schema } } });
const err = (description: string) => json({ $ref: '#/components/schemas/Error' }, description);
const task = { $ref: '#/components/schemas/Task' };
const taskId = { name: 'task_id', in: 'path', required: true, schema: { type: 'string' } };

export function openApiDocument(catalog: Catalog, serverUrl: string) {
  return {
    openapi: '3.1.0',
    info: { title: 'API in One', version: '1', description: 'One API key, one endpoint, many models. Credits are charged only for successful requests.' },
    servers: [{ url: serverUrl }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'aio_... (live) or aio_test_... (test mode: free, local renderer)' } },
      schemas: { Error: ErrorSchema, Task: TaskSchema, ImageGenerationRequest: requestSchema(catalog) },
    },
    paths: {
      [IMAGE_ENDPOINT]: {
        post: {
          summary: 'Create an image generation task',
          parameters: [
            { name: 'Idempotency-Key', in: 'header', schema: { type: 'string', maxLength: 255 } },
            { name: 'Prefer', in: 'header', schema: { type: 'string', examples: ['wait', 'wait=30'] } },
          ],
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/ImageGenerationRequest' } } } },
          responses: {
            '202': json(task, 'The task, queued'),
            '200': json(task, 'The finished task (with Prefer: wait)'),
            '400': err('Invalid JSON or parameter'),
            '401': err('Missing, invalid, revoked or expired API key'),
            '402': err('Not enough credits; no task was made'),
            '403': err('The key may not use this model'),
            '413': err('Body too large'),
            '415': err('Body is not JSON'),
            '422': err('Idempotency-Key reused with another body'),
            '429': err('Rate limited'),
            '503': err('No node can serve the model now'),
          },
        },
      },
      '/api/v1/tasks/{task_id}': {
        get: { summary: 'Retrieve a task', parameters: [taskId], responses: { '200': json(task, 'The task'), '404': err('No such task for this account') } },
      },
      '/api/v1/tasks/{task_id}/cancel': {
        post: { summary: 'Cancel a queued task (refunded)', parameters: [taskId], responses: { '200': json(task, 'The canceled task'), '409': err('Already started or finished') } },
      },
      '/api/v1/tasks': {
        get: {
          summary: "List the account's tasks, newest first",
          parameters: ['limit', 'starting_after', 'status', 'model'].map((name) => ({ name, in: 'query', schema: { type: name === 'limit' ? 'integer' : 'string' } })),
          responses: { '200': json(Type.Object({ object: Type.Literal('list'), data: Type.Array(TaskSchema), has_more: Type.Boolean() }), 'A page of tasks') },
        },
      },
      '/api/v1/models': { get: { summary: 'The public model catalog', security: [], responses: { '200': { description: 'Every enabled model with parameters and price' } } } },
      '/api/v1/models/{id}': {
        get: { summary: 'One model', security: [], parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': { description: 'The model' }, '404': err('No such model') } },
      },
    },
  };
}
