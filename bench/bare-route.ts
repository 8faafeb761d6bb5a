// The ceiling of any handler, in its own process: Fastify with no logger, no hooks and no
// database, answering a task-shaped object. `POST /tasks` validates a small JSON body and answers
// 202; `GET /tasks/:id` answers 200. Prints `{"port":N}` on stdout once it listens on loopback.
import Fastify from 'fastify';

const task = {
  id: 'task_01JBENCHBENCHBENCHBENCHBENC',
  object: 'task',
  type: 'image',
  model: 'gpt-image-1',
  status: 'succeeded',
  progress: 100,
  input: { model: 'gpt-image-1', prompt: 'bench', size: '1:1', rendering_speed: 'BALANCED', output_format: 'png' },
  output: { images: [{ url: 'http://127.0.0.1:8080/files/img_abcdefghijklmnopqrstuvwx.png', width: 1024, height: 1024, format: 'png', bytes: 115725 }] },
  error: null,
  cost: { credits: 5, charged: true },
  livemode: true,
  node: 'node71',
  attempts: 1,
  created_at: '2025-01-01T00:00:00.000Z',
  started_at: '2025-01-01T00:00:00.010Z',
  finished_at: '2025-01-01T00:00:00.090Z',
};

const app = Fastify({ logger: false });
app.post(
  '/tasks',
  { schema: { body: { type: 'object', required: ['model', 'prompt'], properties: { model: { type: 'string' }, prompt: { type: 'string' }, size: { type: 'string' } } } } },
  async (_req, reply) => reply.status(202).send({ ...task, status: 'queued', output: null, finished_at: null }),
);
app.get('/tasks/:id', async () => task);
await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`${JSON.stringify({ port: (app.server.address() as { port: number }).port })}\n`);
