// A task's events as Server-Sent Events: every stored event after `Last-Event-ID` (all of them
// without one), then each new one as it is announced, ending with the finished task itself
// (as GET /api/v1/tasks/{id} shows it) and the end of the stream. Comment lines keep idle
// connections open through proxies. Shared by the API (key) and the dashboard (session).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { invalidParam } from '../lib/app-error.js';
import type { Platform } from '../platform.js';
import { isEnding } from '../services/task-event-log.js';
import { RECHECK_MS } from '../services/task-events.js';
import { TERMINAL, type TaskRow } from '../services/tasks.js';
import { presentTask } from './present.js';

/** Tells the client how long to wait before reconnecting (it sends Last-Event-ID then). */
const RETRY_MS = 2000;

export const LastEventIdHeaders = {
  type: 'object',
  properties: {
    'last-event-id': { type: 'string', description: 'Resume after this event id (browsers send it on reconnecting).' },
  },
};

/** The streams open in one app, ended before the server closes (they would hold it open). */
export class OpenStreams {
  private readonly ends = new Set<() => void>();

  constructor(app: FastifyInstance) {
    app.addHook('preClose', async () => {
      for (const end of [...this.ends]) end();
    });
  }

  add(end: () => void): void {
    this.ends.add(end);
  }

  delete(end: () => void): void {
    this.ends.delete(end);
  }
}

/** The event id to resume after: 0 without the header, a 400 for anything but a whole number. */
function resumeAfter(req: FastifyRequest): number {
  const raw = req.headers['last-event-id'];
  if (raw === undefined || raw === '') return 0;
  const value = Array.isArray(raw) ? raw[0]! : raw;
  if (!/^\d{1,9}$/.test(value.trim())) throw invalidParam('Last-Event-ID', "'Last-Event-ID' must be the id of an event of this stream (a whole number).");
  return Number(value.trim());
}

export interface StreamArgs {
  platform: Platform;
  task: TaskRow;
  /** Base of media URLs in the final task. */
  base: string;
  streams: OpenStreams;
}

export async function streamTaskEvents(req: FastifyRequest, reply: FastifyReply, { platform, task, base, streams }: StreamArgs): Promise<void> {
  let last = resumeAfter(req);
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    'x-request-id': req.id,
  });
  res.write(`retry: ${RETRY_MS}\n\n`);
  const watch = platform.events.watch(task.id);
  let closed = false;
  const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), platform.settings.sseHeartbeatMs);
  const end = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    watch.close();
    streams.delete(end);
    res.end();
  };
  streams.add(end);
  res.on('close', end);
  const send = (id: number, event: string, data: unknown) => {
    if (!closed) res.write(`id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };

  try {
    while (!closed) {
      const events = await platform.events.after(task.id, last);
      for (const event of events) {
        if (closed) return;
        if (isEnding(event.type)) {
          const row = (await platform.tasks.get(task.id))!;
          send(event.seq, event.type, presentTask(row, base));
          return end();
        }
        send(event.seq, event.type, { task_id: task.id, seq: event.seq, type: event.type, ...(JSON.parse(event.data) as object), created_at: event.created_at });
        last = event.seq;
      }
      if (events.length > 0) continue;
      const row = await platform.tasks.get(task.id);
      if (row && TERMINAL.includes(row.status)) {
        // Nothing after Last-Event-ID and the task has ended: the client has the end already,
        // unless the task ended before its events were stored; then the end is said now.
        if (!(await platform.events.hasEnding(task.id))) send(last + 1, row.status, presentTask(row, base));
        return end();
      }
      await watch.next(RECHECK_MS);
    }
  } catch (err) {
    req.log.warn({ err, task_id: task.id }, 'task event stream failed');
    end();
  }
}
