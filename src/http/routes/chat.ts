// Chat: `POST /v1/chat/completions` in OpenAI's shape, `POST /v1/messages` in Anthropic's
// (Anthropic clients send the key as `x-api-key`, which the API-key hook reads), each also under
// our base path /api/v1. Either reaches any chat model; errors come in the shape of the endpoint.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ChatShape } from '../../modalities/chat/types.js';
import { chatErrorShape } from '../chat-errors.js';
import { answerChat } from '../chat-sinks.js';
import type { HttpDeps } from '../deps.js';

const OpenAiBody = {
  type: 'object',
  description: "OpenAI's chat-completions request; any chat model of the catalog (GET /v1/models).",
  properties: {
    model: { type: 'string', description: 'A chat model id.' },
    messages: { type: 'array', description: 'system / developer / user / assistant / tool messages; user content may hold text and image_url parts.' },
    stream: { type: 'boolean', description: 'Server-sent chunks, ending with `data: [DONE]`.' },
    stream_options: { type: 'object', description: '`{"include_usage": true}`: a last chunk with the usage.' },
    max_completion_tokens: { type: 'integer', description: 'Output cap; without it the cap is the model’s limit lowered to what the balance covers.' },
    max_tokens: { type: 'integer', description: 'Legacy name of max_completion_tokens.' },
    temperature: { type: 'number' },
    top_p: { type: 'number' },
    stop: { description: 'Up to 4 stop sequences.' },
    tools: { type: 'array', description: 'Function tools.' },
    tool_choice: { description: 'none, auto, required, or {"type":"function","function":{"name":...}}.' },
  },
  required: ['model', 'messages'],
};

const AnthropicBody = {
  type: 'object',
  description: "Anthropic's Messages request; any chat model of the catalog (GET /v1/models).",
  properties: {
    model: { type: 'string', description: 'A chat model id.' },
    max_tokens: { type: 'integer', description: 'Output cap (required).' },
    messages: { type: 'array', description: 'user / assistant turns; blocks: text, image, tool_use, tool_result.' },
    system: { description: 'A string or text blocks.' },
    stream: { type: 'boolean', description: 'Server-sent events: message_start ... message_stop.' },
    temperature: { type: 'number' },
    top_p: { type: 'number' },
    top_k: { type: 'integer', description: 'Honoured by Anthropic-served models only.' },
    stop_sequences: { type: 'array' },
    tools: { type: 'array' },
    tool_choice: { type: 'object' },
    metadata: { type: 'object' },
  },
  required: ['model', 'max_tokens', 'messages'],
};

export function chatRoutes(api: FastifyInstance, { platform }: HttpDeps): void {
  const { settings, chat } = platform;

  const handle = (shape: ChatShape) => async (req: FastifyRequest, reply: FastifyReply) => {
    const prepared = await chat.prepare(shape, req.body, req.apiAuth, req.id);
    return answerChat(chat, shape, prepared, req, reply);
  };

  const options = (summary: string, body: object) => ({ schema: { body, summary, tags: ['chat'] }, bodyLimit: settings.chat.bodyLimitBytes });

  void api.register(async (scope) => {
    chatErrorShape(scope, 'openai');
    for (const url of ['/v1/chat/completions', '/api/v1/chat/completions'])
      scope.post(url, options('Create a chat completion (OpenAI shape), streamed or not', OpenAiBody), handle('openai'));
  });
  void api.register(async (scope) => {
    chatErrorShape(scope, 'anthropic');
    for (const url of ['/v1/messages', '/api/v1/messages']) scope.post(url, options('Create a message (Anthropic shape), streamed or not', AnthropicBody), handle('anthropic'));
  });
}
