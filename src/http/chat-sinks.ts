// Where a chat answer is written, in the shape of the endpoint the client called: OpenAI's
// chunks or Anthropic's named events over SSE (written event by event, waiting for the socket
// to drain: back-pressure reaches the upstream read), or one JSON body at the end.
import { once } from 'node:events';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppError } from '../lib/app-error.js';
import type { ChatAnswer } from '../modalities/chat/answer.js';
import { AnthropicEventWriter, anthropicMessage, type SseEvent } from '../modalities/chat/anthropic/respond.js';
import { OpenAiChunkWriter, openAiCompletion } from '../modalities/chat/openai/respond.js';
import type { Json } from '../modalities/chat/read.js';
import type { ChatService, ChatSink, PreparedChat } from '../modalities/chat/service.js';
import type { ChatShape } from '../modalities/chat/types.js';
import type { ChatEvent, ChatUsage } from '../providers/chat-types.js';
import { anthropicErrorBody, openAiErrorBody } from './chat-errors.js';

/** The client's connection: gone when it closes before the answer finished. */
function watch(reply: FastifyReply): AbortController {
  const gone = new AbortController();
  if (reply.raw.destroyed) gone.abort();
  else
    reply.raw.once('close', () => {
      if (!reply.raw.writableFinished) gone.abort();
    });
  return gone;
}

abstract class SseSink implements ChatSink {
  private readonly goneController: AbortController;
  readonly gone: AbortSignal;

  constructor(
    protected readonly req: FastifyRequest,
    protected readonly reply: FastifyReply,
    protected readonly chatId: string,
  ) {
    this.goneController = watch(reply);
    this.gone = this.goneController.signal;
  }

  protected open(): void {
    this.reply.hijack();
    this.reply.raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-request-id': this.req.id,
      'aio-chat-id': this.chatId,
    });
  }

  protected async send(text: string): Promise<void> {
    const res = this.reply.raw;
    if (this.gone.aborted || res.destroyed) return;
    if (res.write(text)) return;
    // The client is slower than the upstream: stop reading it until the socket drains (or closes).
    const done = new AbortController();
    await Promise.race([once(res, 'drain', { signal: done.signal }), once(res, 'close', { signal: done.signal })]).catch(() => undefined);
    done.abort();
  }

  protected end(): void {
    if (!this.reply.raw.destroyed) this.reply.raw.end();
  }

  abstract begin(usage: ChatUsage): void;
  abstract write(e: ChatEvent): Promise<void>;
  abstract finish(answer: ChatAnswer, usage: ChatUsage): Promise<void>;
  abstract fail(err: AppError): Promise<void>;
}

const data = (chunk: Json) => `data: ${JSON.stringify(chunk)}\n\n`;
const named = ([event, body]: SseEvent) => `event: ${event}\ndata: ${JSON.stringify(body)}\n\n`;

export class OpenAiStreamSink extends SseSink {
  private readonly writer: OpenAiChunkWriter;

  constructor(req: FastifyRequest, reply: FastifyReply, p: PreparedChat) {
    super(req, reply, p.row.id);
    this.writer = new OpenAiChunkWriter(`chatcmpl-${p.row.id}`, p.model.id, p.parsed.includeUsage);
  }

  begin(): void {
    this.open();
    void this.send(this.writer.start().map(data).join(''));
  }

  async write(e: ChatEvent): Promise<void> {
    const chunks = this.writer.event(e);
    if (chunks.length) await this.send(chunks.map(data).join(''));
  }

  async finish(answer: ChatAnswer, usage: ChatUsage): Promise<void> {
    await this.send(`${this.writer.end(answer.finish, usage).map(data).join('')}data: [DONE]\n\n`);
    this.end();
  }

  async fail(err: AppError): Promise<void> {
    await this.send(data(openAiErrorBody(err)));
    this.end();
  }
}

export class AnthropicStreamSink extends SseSink {
  private readonly writer: AnthropicEventWriter;

  constructor(req: FastifyRequest, reply: FastifyReply, p: PreparedChat) {
    super(req, reply, p.row.id);
    this.writer = new AnthropicEventWriter(`msg_${p.row.id}`, p.model.id);
  }

  begin(usage: ChatUsage): void {
    this.open();
    void this.send(this.writer.start(usage).map(named).join(''));
  }

  async write(e: ChatEvent): Promise<void> {
    const events = this.writer.event(e);
    if (events.length) await this.send(events.map(named).join(''));
  }

  async finish(answer: ChatAnswer, usage: ChatUsage): Promise<void> {
    await this.send(this.writer.end(answer.finish, answer.stopSequence, usage).map(named).join(''));
    this.end();
  }

  async fail(err: AppError): Promise<void> {
    await this.send(named(['error', anthropicErrorBody(err)]));
    this.end();
  }
}

/** A non-streamed answer: nothing is sent until the end; then the JSON body, or the error. */
export class JsonSink implements ChatSink {
  readonly gone: AbortSignal;
  body?: Json;
  error?: AppError;

  constructor(
    reply: FastifyReply,
    private readonly p: PreparedChat,
  ) {
    this.gone = watch(reply).signal;
  }

  begin(): void {}

  async write(): Promise<void> {}

  async finish(answer: ChatAnswer, usage: ChatUsage): Promise<void> {
    const { p } = this;
    this.body = p.parsed.shape === 'openai' ? openAiCompletion(`chatcmpl-${p.row.id}`, p.model.id, answer, usage) : anthropicMessage(`msg_${p.row.id}`, p.model.id, answer, usage);
  }

  async fail(err: AppError): Promise<void> {
    this.error = err;
  }
}

/**
 * Runs a prepared chat request and answers it in `shape`: streamed through the shape's sink, or
 * as one JSON body. A client that went away gets its socket closed; nothing else is sent.
 */
export async function answerChat(chat: ChatService, shape: ChatShape, prepared: PreparedChat, req: FastifyRequest, reply: FastifyReply): Promise<unknown> {
  const sink = !prepared.parsed.stream ? new JsonSink(reply, prepared) : shape === 'openai' ? new OpenAiStreamSink(req, reply, prepared) : new AnthropicStreamSink(req, reply, prepared);
  await chat.run(prepared, sink);
  if (reply.sent) return undefined;
  if (sink.gone.aborted) {
    reply.hijack();
    reply.raw.destroy();
    return undefined;
  }
  if (sink instanceof JsonSink) {
    if (sink.error) throw sink.error;
    reply.header('aio-chat-id', prepared.row.id);
    return sink.body;
  }
  return undefined;
}
