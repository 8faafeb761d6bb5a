// A fake OpenAI API following /work/shared/spec/upstreams.md (Images) and upstreams-media-chat.md
// section 3 (text-to-speech): Bearer auth, JSON body, each model's own parameters checked
// strictly, `{"error":{message,type,param,code}}` errors. Speech answers real audio (FFmpeg) of
// about the length the text takes to say, in the format asked for.
import type http from 'node:http';
import { type FakeOptions, type FakeUpstream, type ImageFormat, type RecordedRequest, sendJson, startFake } from './http-helpers.js';
import { type FakeAudioFormat, NOT_MEDIA, fakeAudioContentType, makeAudio } from './media.js';

export type { RecordedRequest };

interface ModelSpec {
  sizes: string[];
  maxN: number;
  maxPrompt: number;
  /** Allowed values of the enum parameters this model takes (besides model, prompt, n, size). */
  enums: Record<string, string[]>;
  /** Integer parameters and their ranges. */
  ints: Record<string, [number, number]>;
}

const MODELS: Record<string, ModelSpec> = {
  'gpt-image-1': {
    sizes: ['1024x1024', '1536x1024', '1024x1536', 'auto'],
    maxN: 10,
    maxPrompt: 32000,
    enums: { quality: ['low', 'medium', 'high', 'auto'], output_format: ['png', 'jpeg', 'webp'], background: ['transparent', 'opaque', 'auto'], moderation: ['low', 'auto'] },
    ints: { output_compression: [0, 100] },
  },
  'dall-e-3': {
    sizes: ['1024x1024', '1792x1024', '1024x1792'],
    maxN: 1,
    maxPrompt: 4000,
    enums: { quality: ['standard', 'hd'], style: ['vivid', 'natural'], response_format: ['url', 'b64_json'] },
    ints: {},
  },
};

export interface FakeOpenAI extends FakeUpstream {
  /** dall-e-3 answers with a `url` even when `b64_json` was asked for (the contract allows either). */
  preferUrl: boolean;
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type: string,
    readonly param: string | null,
    readonly code: string | null,
  ) {
    super(message);
  }
}

const invalid = (message: string, param: string | null, code: string | null = 'invalid_value') => new ApiError(400, message, 'invalid_request_error', param, code);

function errorJson(message: string, type: string, param: string | null, code: string | null) {
  return { error: { message, type, param, code } };
}

export async function startFakeOpenAI(opts: FakeOptions = {}): Promise<FakeOpenAI> {
  const core = await startFake(
    {
      keyPrefix: 'sk-proj-',
      errorBody: (status) =>
        status >= 500
          ? errorJson('The server had an error while processing your request. Sorry about that!', 'server_error', null, null)
          : status === 429
            ? errorJson('Rate limit reached for images per minute. Please try again later.', 'requests', null, 'rate_limit_exceeded')
            : errorJson(`Request failed with status ${status}.`, 'invalid_request_error', null, null),
      rateLimited: (res) => sendJson(res, 429, errorJson('Rate limit reached for images per minute. Please try again later.', 'requests', null, 'rate_limit_exceeded')),
      handle,
    },
    opts,
  );
  const fake = Object.assign(core.fake, { preferUrl: false }) as FakeOpenAI;
  const reset = fake.reset;
  fake.reset = () => {
    reset();
    fake.preferUrl = false;
  };
  return fake;

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, rec: RecordedRequest): Promise<void> {
    try {
      // GET /v1/models: the models the key may use (the admin pages' connection test).
      if (rec.method === 'GET' && rec.path === '/v1/models') {
        checkAuth(req.headers.authorization, fake.apiKey);
        const ids = [...Object.keys(MODELS), ...SPEECH_MODELS];
        return sendJson(res, 200, { object: 'list', data: ids.map((id) => ({ id, object: 'model', created: 1698785189, owned_by: 'system' })) });
      }
      const route = rec.method === 'POST' ? { '/v1/images/generations': images, '/v1/audio/speech': speech }[rec.path] : undefined;
      if (!route) throw new ApiError(404, `Invalid URL (${rec.method} ${rec.path})`, 'invalid_request_error', null, null);
      checkAuth(req.headers.authorization, fake.apiKey);
      await route(res, rec);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      sendJson(res, err.status, errorJson(err.message, err.type, err.param, err.code));
    }
  }

  async function speech(res: http.ServerResponse, rec: RecordedRequest): Promise<void> {
    const body = parseSpeechBody(rec);
    const format = (body.response_format as FakeAudioFormat | undefined) ?? 'mp3';
    // About 15 characters a second at speed 1.
    const seconds = Math.max(0.5, Math.round(((body.input as string).length / 15 / ((body.speed as number | undefined) ?? 1)) * 10) / 10);
    const data = fake.garbage ? NOT_MEDIA : await makeAudio(format, seconds, (body.voice as string).length);
    res.writeHead(200, { 'Content-Type': fakeAudioContentType(format), 'Content-Length': data.length });
    res.end(data);
  }

  async function images(res: http.ServerResponse, rec: RecordedRequest): Promise<void> {
    const body = parseBody(rec);
    const model = body.model as string;
    const n = (body.n as number | undefined) ?? 1;
    if (fake.unsafe)
      throw model === 'dall-e-3'
        ? new ApiError(400, 'Your request was rejected as a result of our safety system. Your prompt may contain text that is not allowed by our safety system.', 'image_generation_user_error', null, 'content_policy_violation')
        : new ApiError(400, 'Your request was rejected by the safety system. If you believe this is an error, contact us for help.', 'image_generation_user_error', null, 'moderation_blocked');
    const size = !body.size || body.size === 'auto' ? '1024x1024' : (body.size as string);
    const [width, height] = size.split('x').map(Number) as [number, number];
    const format = (body.output_format as ImageFormat | undefined) ?? 'png';
    const asUrl = model === 'dall-e-3' && (body.response_format !== 'b64_json' || fake.preferUrl);
    const data = [];
    for (let i = 0; i < n; i++) {
      const image = await core.makeImage(width, height, format, i + 1);
      const entry: Record<string, string> = asUrl ? { url: core.host(image, `image/${format}`, 60 * 60_000) } : { b64_json: image.toString('base64') };
      if (model === 'dall-e-3') entry.revised_prompt = `A detailed rendering of: ${body.prompt as string}`;
      data.push(entry);
    }
    const usage = { total_tokens: 100 + 272 * n, input_tokens: 100, output_tokens: 272 * n, input_tokens_details: { text_tokens: 100, image_tokens: 0 } };
    sendJson(res, 200, { created: Math.floor(Date.now() / 1000), data, ...(model === 'dall-e-3' ? {} : { usage }) });
  }
}

export const SPEECH_MODELS = ['tts-1', 'tts-1-hd', 'gpt-4o-mini-tts'];
export const SPEECH_VOICES = ['alloy', 'ash', 'ballad', 'coral', 'echo', 'fable', 'onyx', 'nova', 'sage', 'shimmer', 'verse', 'marin', 'cedar'];
export const SPEECH_FORMATS = ['mp3', 'opus', 'aac', 'flac', 'wav', 'pcm'];

function parseSpeechBody(rec: RecordedRequest): Record<string, unknown> {
  const fields = jsonObject(rec);
  for (const name of Object.keys(fields))
    if (!['model', 'input', 'voice', 'instructions', 'response_format', 'speed'].includes(name)) throw invalid(`Unknown parameter: '${name}'.`, name, 'unknown_parameter');
  if (!SPEECH_MODELS.includes(fields.model as string)) throw invalid(`Invalid value for 'model' = ${JSON.stringify(fields.model)}.`, 'model');
  if (typeof fields.input !== 'string' || !fields.input) throw invalid("Missing required parameter: 'input'.", 'input', 'missing_required_parameter');
  if (fields.input.length > 4096) throw invalid("Invalid 'input': string too long. Expected a string with maximum length 4096.", 'input', 'string_above_max_length');
  if (!SPEECH_VOICES.includes(fields.voice as string))
    throw invalid(`Invalid value: '${String(fields.voice)}'. Supported values are: ${SPEECH_VOICES.map((v) => `'${v}'`).join(', ')}.`, 'voice');
  if (fields.instructions !== undefined) {
    if (typeof fields.instructions !== 'string') throw invalid("Invalid type for 'instructions': expected a string.", 'instructions', 'invalid_type');
    if (fields.model !== 'gpt-4o-mini-tts') throw invalid(`Instructions are not supported for ${String(fields.model)}.`, 'instructions', 'unsupported_parameter');
  }
  if (fields.response_format !== undefined && !SPEECH_FORMATS.includes(fields.response_format as string))
    throw invalid(`Invalid value: '${String(fields.response_format)}'. Supported values are: ${SPEECH_FORMATS.map((v) => `'${v}'`).join(', ')}.`, 'response_format');
  if (fields.speed !== undefined && (typeof fields.speed !== 'number' || fields.speed < 0.25 || fields.speed > 4))
    throw invalid(`Invalid 'speed': ${JSON.stringify(fields.speed)}. Expected a number between 0.25 and 4.0.`, 'speed', 'decimal_out_of_range');
  return fields;
}

function checkAuth(header: string | undefined, apiKey: string): void {
  const match = /^Bearer (.+)$/.exec(header ?? '');
  if (!match)
    throw new ApiError(401, "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).", 'invalid_request_error', null, null);
  const given = match[1]!;
  if (given !== apiKey) {
    // Like OpenAI, show a masked version of the key that was sent.
    const masked = given.length > 12 ? `${given.slice(0, 8)}${'*'.repeat(given.length - 12)}${given.slice(-4)}` : '*'.repeat(given.length);
    throw new ApiError(401, `Incorrect API key provided: ${masked}. You can find your API key at https://platform.openai.com/account/api-keys.`, 'invalid_request_error', null, 'invalid_api_key');
  }
}

function jsonObject(rec: RecordedRequest): Record<string, unknown> {
  if (!rec.headers['content-type']?.toLowerCase().startsWith('application/json'))
    throw invalid("Invalid Content-Type header, expected 'application/json'.", null, null);
  const body = rec.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw invalid('We could not parse the JSON body of your request. The OpenAI API expects a JSON payload.', null, null);
  return body as Record<string, unknown>;
}

function parseBody(rec: RecordedRequest): Record<string, unknown> {
  const fields = jsonObject(rec);
  const spec = typeof fields.model === 'string' ? MODELS[fields.model] : undefined;
  if (!spec) throw invalid(`Invalid value for 'model' = ${JSON.stringify(fields.model)}.`, 'model');
  for (const name of Object.keys(fields))
    if (!['model', 'prompt', 'n', 'size'].includes(name) && !(name in spec.enums) && !(name in spec.ints))
      throw invalid(`Unknown parameter: '${name}'.`, name, 'unknown_parameter');
  if (typeof fields.prompt !== 'string' || !fields.prompt.trim()) throw invalid("Missing required parameter: 'prompt'.", 'prompt', 'missing_required_parameter');
  if (fields.prompt.length > spec.maxPrompt) throw invalid(`Invalid 'prompt': string too long. Expected a string with maximum length ${spec.maxPrompt}.`, 'prompt', 'string_above_max_length');
  if (fields.n !== undefined && (!Number.isInteger(fields.n) || (fields.n as number) < 1 || (fields.n as number) > spec.maxN))
    throw invalid(`Invalid 'n': ${JSON.stringify(fields.n)}. Expected an integer between 1 and ${spec.maxN}.`, 'n');
  if (fields.size !== undefined && !spec.sizes.includes(fields.size as string))
    throw invalid(`Invalid value: '${String(fields.size)}'. Supported values are: ${spec.sizes.map((s) => `'${s}'`).join(', ')}.`, 'size');
  for (const [name, allowed] of Object.entries(spec.enums))
    if (fields[name] !== undefined && !allowed.includes(fields[name] as string))
      throw invalid(`Invalid value: '${String(fields[name])}'. Supported values are: ${allowed.map((s) => `'${s}'`).join(', ')}.`, name);
  for (const [name, [min, max]] of Object.entries(spec.ints))
    if (fields[name] !== undefined && (!Number.isInteger(fields[name]) || (fields[name] as number) < min || (fields[name] as number) > max))
      throw invalid(`Invalid '${name}': expected an integer between ${min} and ${max}.`, name);
  return fields;
}
