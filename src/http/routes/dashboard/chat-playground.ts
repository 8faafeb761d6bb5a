// The dashboard's chat playground: a chat completion on the signed-in session with one of the
// user's own keys, chosen by id (the browser never holds a secret). The body is the public
// `POST /v1/chat/completions` body and the answer is that route's, streamed or not, written by
// the same sinks: the request counts toward the key's limits and spending, and is billed by the
// token through the chat service exactly as the public route bills it. Two headers tell the
// page, before the first token, what the server counted: the prompt's tokens and the output cap.
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { answerChat } from '../../chat-sinks.js';
import type { DashboardDeps } from './deps.js';
import { usableKey } from './playground.js';
import { auth } from './session-guard.js';

const KeyQuery = Type.Object(
  { key_id: Type.String({ minLength: 1, maxLength: 100, description: 'One of your API keys, by id: the request runs as if sent with it.' }) },
  { additionalProperties: false },
);

const Body = {
  type: 'object',
  description: "The body of POST /v1/chat/completions (OpenAI's shape), checked by the same parser; `stream: true` answers in server-sent chunks.",
};

export function chatPlaygroundRoutes(app: FastifyInstance, d: DashboardDeps): void {
  const { platform, limiter } = d;
  const { chat, settings } = platform;

  app.post<{ Querystring: { key_id: string } }>(
    '/api/account/playground/chat',
    { schema: { body: Body, querystring: KeyQuery, summary: 'Playground: create a chat completion' }, bodyLimit: settings.chat.bodyLimitBytes },
    async (req, reply) => {
      const { user } = auth(req);
      const key = await usableKey(d, req.query.key_id, user.id);
      await limiter.take(key.id);
      void platform.keys.touch(key.id).catch(() => undefined);
      const prepared = await chat.prepare('openai', req.body, { user, key }, req.id);
      // Set on the raw response, so a stream's own head (written by its sink) carries them too.
      reply.raw.setHeader('aio-prompt-tokens', String(prepared.row.prompt_tokens_counted));
      reply.raw.setHeader('aio-max-output-tokens', String(prepared.row.max_output_tokens));
      return answerChat(chat, 'openai', prepared, req, reply);
    },
  );
}
