// The `aio` client commands: talk to any API in One server (AIO_BASE_URL, AIO_API_KEY, or
// --base-url / --key) through the SDK, as an application would.
import { writeFile } from 'node:fs/promises';
import { Aio, AioError, TaskFailedError, type Task } from '../../packages/sdk/src/index.js';
import type { Settings } from '../config/settings.js';
import { GENERATE_TYPES, InputError, generateBody, type GenerateType } from './client-inputs.js';
import { ProgressLine } from './progress.js';

export const CLIENT_COMMANDS = ['generate', 'tasks', 'chat'];

export const CLIENT_USAGE = `Client (any server: AIO_BASE_URL and AIO_API_KEY, or --base-url URL --key KEY)
  aio generate image "prompt" [--model M] [--size 16:9] [--format webp] [--seed N] [-o FILE]
  aio generate video "prompt" [--model M] [--size 16:9] [--duration 5] [--resolution 720p] [--image URL|FILE] [-o FILE]
  aio generate audio "text or prompt" [--model M] [--voice V] [--duration S] [--format mp3] [-o FILE]
  aio generate tool [--model M] --image URL|FILE [--scale 2] [-o FILE]
  aio tasks get ID | list [--limit N] [--status S] | watch ID | cancel ID
  aio chat "message" [--model M] [--system TEXT]    streams the answer to stdout
`;

export const CLIENT_OPTIONS = {
  'base-url': { type: 'string' },
  key: { type: 'string' },
  model: { type: 'string' },
  size: { type: 'string' },
  format: { type: 'string' },
  duration: { type: 'string' },
  image: { type: 'string' },
  scale: { type: 'string' },
  voice: { type: 'string' },
  resolution: { type: 'string' },
  seed: { type: 'string' },
  output: { type: 'string', short: 'o' },
  limit: { type: 'string' },
  status: { type: 'string' },
  system: { type: 'string' },
} as const;

export type ClientValues = { [K in keyof typeof CLIENT_OPTIONS]?: string } & { json?: boolean };

export interface ClientIo {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
}

/** A mistake in the command line (exit code 2, with the usage). */
export class ClientUsageError extends Error {}

type MediaKind = 'images' | 'videos' | 'audio';
const KIND: Record<GenerateType, MediaKind> = { image: 'images', video: 'videos', audio: 'audio', tool: 'images' };

function clientFor(v: ClientValues, settings: Settings): Aio {
  const apiKey = v.key ?? settings.client.apiKey;
  if (!apiKey) throw new ClientUsageError('no API key: set AIO_API_KEY or pass --key');
  return new Aio({ baseUrl: v['base-url'] ?? settings.client.baseUrl, apiKey });
}

/** The model to use when none is named: the server's first available model of the type. */
async function defaultModel(aio: Aio, type: GenerateType | 'chat'): Promise<string> {
  const { data } = await aio.models.list({ type });
  const model = data.find((m) => m.available) ?? data[0];
  if (!model) throw new AioError(`The server has no ${type} model.`, { code: 'model_not_found' });
  return model.id;
}

function media(task: Task, kind: MediaKind): { url: string; [k: string]: unknown } | undefined {
  return (task.output as Record<string, Array<{ url: string }>> | null)?.[kind]?.[0];
}

function describe(item: Record<string, unknown>): string {
  const parts = [item.format, item.width && item.height ? `${item.width}x${item.height}` : undefined, item.duration_s !== undefined ? `${item.duration_s}s` : undefined, `${item.bytes} bytes`];
  return parts.filter(Boolean).join(', ');
}

/** Follows a task to its end with a progress line on stderr; a failed or canceled one is an error. */
async function follow(aio: Aio, task: Task, io: ClientIo): Promise<Task> {
  const line = new ProgressLine(io.stderr, task.id);
  line.update(task.status, task.progress);
  const ended = await aio.wait(task, { onEvent: (e) => line.event(e) }).catch((err) => {
    line.finish('interrupted');
    throw err;
  });
  line.finish(ended.status);
  if (ended.status !== 'succeeded') throw new TaskFailedError(ended);
  return ended;
}

async function generate(aio: Aio, words: string[], v: ClientValues, io: ClientIo): Promise<void> {
  const type = words[1] as GenerateType;
  if (!GENERATE_TYPES.includes(type)) throw new ClientUsageError(`generate what? one of: ${GENERATE_TYPES.join(', ')}`);
  const model = v.model ?? (await defaultModel(aio, type));
  if (!v.model) io.stderr.write(`model: ${model} (choose with --model)\n`);
  const parameters = type === 'audio' ? ((await aio.models.retrieve(model)).parameters ?? []).map((p) => p.name) : [];
  let body: Record<string, unknown>;
  try {
    body = await generateBody(type, { ...v, model, text: words[2], parameters });
  } catch (err) {
    if (err instanceof InputError) throw new ClientUsageError(err.message);
    throw err;
  }
  const resource = { image: aio.images, video: aio.videos, audio: aio.audio, tool: aio.tools }[type] as { create(body: unknown): Promise<Task> };
  const ended = await follow(aio, await resource.create(body), io);
  const item = media(ended, KIND[type]);
  if (!item) throw new AioError(`Task ${ended.id} succeeded without ${KIND[type]}.`, { code: 'empty_output' });
  if (v.output) {
    await writeFile(v.output, await aio.download(item.url));
    io.stderr.write(`saved ${v.output} (${describe(item)})\n`);
  }
  io.stdout.write(v.json ? `${JSON.stringify(ended)}\n` : `${v.output ?? item.url}\n`);
}

function taskLine(t: Task): string {
  return `${t.id}  ${t.type.padEnd(5)}  ${t.model.padEnd(18)}  ${t.status.padEnd(9)}  ${String(t.cost.credits).padStart(8)} cr  ${t.created_at}`;
}

async function tasks(aio: Aio, words: string[], v: ClientValues, io: ClientIo): Promise<void> {
  const [, verb, id] = words;
  const needId = () => {
    if (!id) throw new ClientUsageError(`aio tasks ${verb} needs a task id`);
    return id;
  };
  const print = (task: Task) => io.stdout.write(v.json ? `${JSON.stringify(task)}\n` : `${JSON.stringify(task, null, 2)}\n`);
  switch (verb) {
    case 'get':
      return void print(await aio.tasks.get(needId()));
    case 'cancel':
      return void print(await aio.tasks.cancel(needId()));
    case 'watch': {
      const task = await aio.tasks.get(needId());
      return void print(['succeeded', 'failed', 'canceled'].includes(task.status) ? task : await follow(aio, task, io).catch((err) => (err instanceof TaskFailedError ? (err.task as Task) : Promise.reject(err))));
    }
    case 'list': {
      const limit = v.limit === undefined ? undefined : Number(v.limit);
      const page = await aio.tasks.list({ limit, status: v.status as Task['status'] | undefined });
      io.stdout.write(v.json ? `${JSON.stringify(page)}\n` : `${page.data.map(taskLine).join('\n') || 'no tasks'}\n`);
      return;
    }
  }
  throw new ClientUsageError(`unknown command 'tasks ${verb ?? ''}': use get, list, watch or cancel`);
}

async function chat(aio: Aio, words: string[], v: ClientValues, io: ClientIo): Promise<void> {
  const text = words[1];
  if (!text) throw new ClientUsageError('aio chat needs the message, e.g. aio chat "Hello"');
  const model = v.model ?? (await defaultModel(aio, 'chat'));
  const messages = [...(v.system ? [{ role: 'system' as const, content: v.system }] : []), { role: 'user' as const, content: text }];
  const stream = await aio.chat.completions.create({ model, messages, stream: true });
  for await (const chunk of stream) {
    const delta = chunk.choices[0]?.delta.content;
    if (delta) io.stdout.write(delta);
  }
  io.stdout.write('\n');
}

export async function runClientCommand(words: string[], v: ClientValues, settings: Settings, io: ClientIo): Promise<void> {
  const aio = clientFor(v, settings);
  if (words[0] === 'generate') return generate(aio, words, v, io);
  if (words[0] === 'tasks') return tasks(aio, words, v, io);
  return chat(aio, words, v, io);
}
