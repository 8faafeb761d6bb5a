// The client: one object per server and key, with a resource per kind of work. Media resources
// create tasks; wait() follows a task's events to its end.
import { AioApiError, AioError, NotFoundError, TaskFailedError } from './errors.js';
import type { AudioRequest, ImageRequest, Task, ToolRequest, VideoRequest } from './generated.js';
import { Transport, sleep, type ClientOptions, type RequestOptions } from './http.js';
import { readSse } from './sse.js';
import type { ChatCompletion, ChatCompletionChunk, ChatRequest, Model, TaskEvent, TaskList, TaskListQuery, TaskOf, WaitOptions } from './types.js';

const ENDED = ['succeeded', 'failed', 'canceled'];
const isEnded = (task: { status: string }) => ENDED.includes(task.status);
const RECONNECT_MS = 1000;
const MAX_STREAM_FAILURES = 5;

/** One kind of task: create it, or create it and wait for the result. */
export class MediaResource<Req, K extends 'images' | 'videos' | 'audio'> {
  constructor(
    private readonly client: Aio,
    private readonly path: string,
  ) {}

  /** Creates the task (202: queued); follow it with `aio.wait(task)`. */
  create(body: Req, options?: RequestOptions): Promise<TaskOf<K>> {
    return this.client.transport.json<TaskOf<K>>('POST', this.path, { ...options, body });
  }

  /** Creates the task and waits for its end: the succeeded task, or a TaskFailedError. */
  async createAndWait(body: Req, options: RequestOptions & WaitOptions = {}): Promise<TaskOf<K>> {
    const task = await this.create(body, options);
    const ended = (await this.client.wait(task, options)) as TaskOf<K>;
    if (ended.status !== 'succeeded') throw new TaskFailedError(ended);
    return ended;
  }
}

/** A streamed chat completion: iterate for the chunks; `text()` gathers the answer. */
export class ChatStream implements AsyncIterable<ChatCompletionChunk> {
  constructor(
    private readonly response: Response,
    private readonly requestId: string | null,
  ) {}

  async *[Symbol.asyncIterator](): AsyncIterator<ChatCompletionChunk> {
    for await (const message of readSse(this.response.body!)) {
      if (message.data === '[DONE]') return;
      const chunk = JSON.parse(message.data) as ChatCompletionChunk & { error?: { code?: string; message?: string; param?: string; type?: string } };
      if (chunk.error)
        throw new AioApiError(chunk.error.message ?? 'The stream failed.', { code: chunk.error.code ?? 'stream_error', param: chunk.error.param, type: chunk.error.type, requestId: this.requestId });
      yield chunk;
    }
  }

  async text(): Promise<string> {
    let text = '';
    for await (const chunk of this) text += chunk.choices[0]?.delta.content ?? '';
    return text;
  }
}

export class Aio {
  readonly transport: Transport;
  readonly images: MediaResource<ImageRequest, 'images'>;
  readonly videos: MediaResource<VideoRequest, 'videos'>;
  readonly audio: MediaResource<AudioRequest, 'audio'>;
  readonly tools: MediaResource<ToolRequest, 'images'>;

  readonly tasks = {
    get: (id: string, options?: RequestOptions) => this.transport.json<Task>('GET', `/api/v1/tasks/${encodeURIComponent(id)}`, options),
    list: (query: TaskListQuery = {}, options?: RequestOptions) => this.transport.json<TaskList>('GET', '/api/v1/tasks', { ...options, query: { ...query } }),
    /** Cancels a queued task (refunded); a started one is a ConflictError `task_not_cancelable`. */
    cancel: (id: string, options?: RequestOptions) => this.transport.json<Task>('POST', `/api/v1/tasks/${encodeURIComponent(id)}/cancel`, options),
  };

  readonly models = {
    list: (query: { type?: Model['type'] } = {}, options?: RequestOptions) => this.transport.json<{ object: 'list'; data: Model[] }>('GET', '/api/v1/models', { ...options, query }),
    retrieve: (id: string, options?: RequestOptions) => this.transport.json<Model>('GET', `/api/v1/models/${encodeURIComponent(id)}`, options),
  };

  readonly chat = {
    completions: {
      create: ((body: ChatRequest, options?: RequestOptions) => this.chatCompletion(body, options)) as {
        (body: ChatRequest & { stream: true }, options?: RequestOptions): Promise<ChatStream>;
        (body: ChatRequest & { stream?: false }, options?: RequestOptions): Promise<ChatCompletion>;
        (body: ChatRequest, options?: RequestOptions): Promise<ChatCompletion | ChatStream>;
      },
    },
  };

  constructor(options: ClientOptions = {}) {
    this.transport = new Transport(options);
    this.images = new MediaResource(this, '/api/v1/images/generations');
    this.videos = new MediaResource(this, '/api/v1/videos/generations');
    this.audio = new MediaResource(this, '/api/v1/audio/generations');
    this.tools = new MediaResource(this, '/api/v1/tools/runs');
  }

  /**
   * Follows a task to its end and answers the ended task (succeeded, failed or canceled). Uses the
   * task's event stream (GET /api/v1/tasks/{id}/events), resuming after a dropped connection;
   * polls GET /api/v1/tasks/{id} when the server has no such route.
   */
  async wait(task: string | { id: string }, options: WaitOptions = {}): Promise<Task> {
    const id = typeof task === 'string' ? task : task.id;
    const controller = new AbortController();
    const signal = controller.signal;
    options.signal?.addEventListener('abort', () => controller.abort(options.signal!.reason), { once: true });
    if (options.signal?.aborted) controller.abort(options.signal.reason);
    const timeout = options.timeoutMs === undefined ? undefined : setTimeout(() => controller.abort(new AioError(`Task ${id} did not end within ${options.timeoutMs} ms.`, { code: 'wait_timeout' })), options.timeoutMs);
    try {
      return await this.follow(id, options, signal);
    } catch (err) {
      if (signal.aborted && signal.reason instanceof AioError) throw signal.reason;
      throw err;
    } finally {
      clearTimeout(timeout);
    }
  }

  /** The bytes at a result URL (a task's `url`). The API key is sent only to this server. */
  async download(url: string, options?: RequestOptions): Promise<Uint8Array> {
    const res = await this.transport.send('GET', url, { ...options, headers: { accept: '*/*', ...options?.headers } });
    return new Uint8Array(await res.arrayBuffer());
  }

  private async chatCompletion(body: ChatRequest, options?: RequestOptions): Promise<ChatCompletion | ChatStream> {
    const res = await this.transport.send('POST', '/v1/chat/completions', { ...options, body, headers: body.stream ? { accept: 'text/event-stream', ...options?.headers } : options?.headers });
    return body.stream ? new ChatStream(res, res.headers.get('x-request-id')) : ((await res.json()) as ChatCompletion);
  }

  private async follow(id: string, options: WaitOptions, signal: AbortSignal): Promise<Task> {
    const path = `/api/v1/tasks/${encodeURIComponent(id)}`;
    let lastEventId: string | undefined;
    let failures = 0;
    for (;;) {
      let res: Response;
      try {
        res = await this.transport.send('GET', `${path}/events`, { signal, headers: { accept: 'text/event-stream', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) } });
      } catch (err) {
        if (err instanceof NotFoundError && err.code === 'route_not_found') return this.poll(path, options, signal);
        throw err;
      }
      try {
        for await (const message of readSse(res.body!)) {
          lastEventId = message.id ?? lastEventId;
          const data = JSON.parse(message.data);
          if (ENDED.includes(message.event)) return data as Task;
          options.onEvent?.(data as TaskEvent);
        }
      } catch (err) {
        if (signal.aborted) throw err;
        if (++failures > MAX_STREAM_FAILURES) throw new AioError(`The event stream of task ${id} kept failing: ${(err as Error).message}`, { code: 'connection_error', cause: err });
      }
      // The stream closed before the end (a proxy, a restarting server): is it over, or listen again?
      const current = await this.transport.json<Task>('GET', path, { signal });
      if (isEnded(current)) return current;
      await sleep(RECONNECT_MS, signal);
    }
  }

  private async poll(path: string, options: WaitOptions, signal: AbortSignal): Promise<Task> {
    let interval = options.pollIntervalMs ?? 1000;
    let seen = '';
    for (let seq = 1; ; seq++) {
      const task = await this.transport.json<Task>('GET', path, { signal });
      if (isEnded(task)) return task;
      const now = `${task.status}/${task.progress}`;
      if (now !== seen) {
        seen = now;
        options.onEvent?.({ type: task.progress !== null && task.status === 'running' ? 'progress' : (task.status as 'queued' | 'running'), task_id: task.id, seq, status: task.status, progress: task.progress, created_at: new Date().toISOString() });
      }
      await sleep(interval, signal);
      interval = Math.min(interval * 1.5, 5000);
    }
  }
}
