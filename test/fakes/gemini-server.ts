// A fake Gemini API serving Veo following /work/shared/spec/upstreams-media-chat.md section 2:
// `x-goog-api-key` auth; `POST /v1beta/models/{model}:predictLongRunning` answers an operation
// `{name}`; `GET /v1beta/{name}` answers `{name, done:false}` for a few polls, then `done:true`
// with `response.generateVideoResponse.generatedSamples[].video.uri` (a file served only with the
// key), or `error`, or a filtered answer (`raiMediaFilteredCount`). Errors use Google's envelope
// `{"error":{code,message,status,details?}}`; unknown fields are refused as Google's JSON parser
// does; a key Google does not know is a 400 `API_KEY_INVALID`, a missing one a 403.
// Image input takes Vertex's `{bytesBase64Encoded, mimeType}` shape (third-party material; the
// contract does not cover it) and refuses `inlineData`.
import type http from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { type ErrorBody, type FakeOptions, type FakeUpstream, type RecordedRequest, sendJson, startFake } from './http-helpers.js';
import { NOT_MEDIA, makeVideo } from './media.js';

export type { RecordedRequest };

export const VEO_MODELS = ['veo-3.1-generate-preview', 'veo-3.1-fast-generate-preview'];

const STATUS_NAMES: Record<number, string> = { 400: 'INVALID_ARGUMENT', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND', 429: 'RESOURCE_EXHAUSTED', 500: 'INTERNAL', 503: 'UNAVAILABLE' };

export function googleError(code: number, message: string, status = STATUS_NAMES[code] ?? 'UNKNOWN', details?: unknown[]) {
  return { error: { code, message, status, ...(details ? { details } : {}) } };
}

export interface FakeGemini extends FakeUpstream {
  /** Polls an operation answers `done:false` before it is done. */
  pollsToComplete: number;
  /** The next operation to finish ends with this `error` (a google.rpc.Status). */
  failOperation(code: number, message: string): void;
  /** Sample video URIs point at files that do not exist (404). */
  brokenVideoUri: boolean;
  /** Videos come out 2 s shorter than asked. */
  wrongDuration: boolean;
  /** Operation polls seen so far. */
  polls(): RecordedRequest[];
  /** Video file downloads seen so far. */
  downloads(): RecordedRequest[];
}

class ApiError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly details?: unknown[],
  ) {
    super(message);
  }
}

interface Operation {
  name: string;
  model: string;
  polls: number;
  body: VeoJob;
  result?: Record<string, unknown>;
}

interface VeoJob {
  aspectRatio: '16:9' | '9:16';
  durationS: number;
  resolution: '720p' | '1080p';
}

const SIZES = { '720p': { '16:9': [1280, 720], '9:16': [720, 1280] }, '1080p': { '16:9': [1920, 1080], '9:16': [1080, 1920] } } as const;

export async function startFakeGemini(opts: FakeOptions = {}): Promise<FakeGemini> {
  const operations = new Map<string, Operation>();
  const files = new Map<string, Buffer>();
  const operationFailures: Array<{ code: number; message: string }> = [];
  const core = await startFake(
    {
      keyPrefix: 'AIza',
      errorBody: (status): ErrorBody =>
        status === 429
          ? googleError(429, 'Resource has been exhausted (e.g. check quota).')
          : status >= 500
            ? googleError(status, status === 503 ? 'The model is overloaded. Please try again later.' : 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting')
            : googleError(status, `Request failed with status ${status}.`),
      rateLimited: (res) => sendJson(res, 429, googleError(429, 'Resource has been exhausted (e.g. check quota).')),
      handle,
    },
    opts,
  );
  const defaults = { pollsToComplete: 2, brokenVideoUri: false, wrongDuration: false };
  const fake = Object.assign(core.fake, defaults, {
    failOperation(code: number, message: string) {
      operationFailures.push({ code, message });
    },
    polls: () => core.fake.requests.filter((r) => r.method === 'GET' && /\/operations\/[^/]+$/.test(r.path)),
    downloads: () => core.fake.requests.filter((r) => r.path.startsWith('/v1beta/files/')),
  }) as FakeGemini;
  const reset = fake.reset;
  fake.reset = () => {
    reset();
    operationFailures.length = 0;
    Object.assign(fake, defaults);
  };
  return fake;

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, rec: RecordedRequest): Promise<void> {
    try {
      checkKey(req.headers['x-goog-api-key']);
      // GET /v1beta/models: the models the key may use (the admin pages' connection test).
      if (rec.method === 'GET' && rec.path === '/v1beta/models')
        return sendJson(res, 200, { models: VEO_MODELS.map((id) => ({ name: `models/${id}`, supportedGenerationMethods: ['predictLongRunning'] })) });
      const submit = /^\/v1beta\/models\/([^/:]+):predictLongRunning$/.exec(rec.path);
      if (submit && rec.method === 'POST') return await start(res, rec, decodeURIComponent(submit[1]!));
      const poll = /^\/v1beta\/(models\/([^/]+)\/operations\/([^/]+))$/.exec(rec.path);
      if (poll && rec.method === 'GET') return await answerPoll(res, poll[1]!);
      const file = /^\/v1beta\/files\/([^/:]+):download$/.exec(rec.path);
      if (file && rec.method === 'GET') {
        const data = files.get(file[1]!);
        if (!data) throw new ApiError(404, 'Requested entity was not found.');
        const type = data === NOT_MEDIA ? 'text/html' : 'video/mp4';
        res.writeHead(200, { 'Content-Type': type, 'Content-Length': data.length });
        return void res.end(data);
      }
      throw new ApiError(404, `Invalid URL (${rec.method} ${rec.path})`);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      sendJson(res, err.code, googleError(err.code, err.message, undefined, err.details));
    }
  }

  function checkKey(key: string | string[] | undefined): void {
    if (!key)
      throw new ApiError(403, "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.");
    if (key !== fake.apiKey)
      throw new ApiError(400, 'API key not valid. Please pass a valid API key.', [
        { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com', metadata: { service: 'generativelanguage.googleapis.com' } },
      ]);
  }

  async function start(res: http.ServerResponse, rec: RecordedRequest, model: string): Promise<void> {
    if (!VEO_MODELS.includes(model))
      throw new ApiError(404, `models/${model} is not found for API version v1beta, or is not supported for predictLongRunning. Call ListModels to see the list of available models and their supported methods.`);
    if (!rec.headers['content-type']?.toLowerCase().startsWith('application/json') || rec.body === undefined)
      throw new ApiError(400, 'Invalid JSON payload received. Expected a JSON object.');
    const job = await checkBody(rec.body);
    const name = `models/${model}/operations/${randomBytes(6).toString('hex')}`;
    operations.set(name, { name, model, polls: 0, body: job });
    sendJson(res, 200, { name });
  }

  async function answerPoll(res: http.ServerResponse, name: string): Promise<void> {
    const op = operations.get(name);
    if (!op) throw new ApiError(404, 'Requested entity was not found.');
    op.polls++;
    if (op.polls <= fake.pollsToComplete && !op.result) return sendJson(res, 200, { name });
    op.result ??= await finish(op);
    sendJson(res, 200, { name, done: true, ...op.result });
  }

  async function finish(op: Operation): Promise<Record<string, unknown>> {
    const failure = operationFailures.shift();
    if (failure) return { error: failure };
    const type = 'type.googleapis.com/google.ai.generativelanguage.v1beta.PredictLongRunningResponse';
    if (fake.unsafe)
      return {
        response: {
          '@type': type,
          generateVideoResponse: {
            raiMediaFilteredCount: 1,
            raiMediaFilteredReasons: ["We can't create videos from this prompt because it may go against our policies. You weren't charged for this request."],
          },
        },
      };
    const [width, height] = SIZES[op.body.resolution][op.body.aspectRatio];
    const durationS = fake.wrongDuration ? op.body.durationS - 2 : op.body.durationS;
    // Veo 3 always makes sound.
    const video = fake.garbage ? NOT_MEDIA : await makeVideo({ width, height, durationS, audio: true, seed: op.body.durationS });
    const id = randomUUID().replace(/-/g, '').slice(0, 12);
    if (!fake.brokenVideoUri) files.set(id, video);
    return { response: { '@type': type, generateVideoResponse: { generatedSamples: [{ video: { uri: `${fake.url}/v1beta/files/${id}:download?alt=media` } }] } } };
  }
}

/** The request body, checked as Google's JSON parser and Veo's validation do. */
async function checkBody(body: unknown): Promise<VeoJob> {
  const object = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const unknown = (fields: Record<string, unknown>, known: string[], at: string) => {
    for (const name of Object.keys(fields))
      if (!known.includes(name)) throw new ApiError(400, `Invalid JSON payload received. Unknown name "${name}" at '${at}': Cannot find field.`);
  };
  if (!object(body)) throw new ApiError(400, 'Invalid JSON payload received. Expected a JSON object.');
  unknown(body, ['instances', 'parameters'], '');
  const instances = body.instances;
  if (!Array.isArray(instances) || instances.length !== 1 || !object(instances[0])) throw new ApiError(400, 'instances must hold exactly one instance.');
  const instance = instances[0];
  unknown(instance, ['prompt', 'image'], 'instances[0]');
  if (typeof instance.prompt !== 'string' || !instance.prompt.trim()) throw new ApiError(400, 'A prompt is required.');
  if (instance.image !== undefined) {
    if (!object(instance.image)) throw new ApiError(400, 'Invalid value at \'instances[0].image\'.');
    if ('inlineData' in instance.image) throw new ApiError(400, '`inlineData` isn\'t supported by this model.');
    unknown(instance.image, ['bytesBase64Encoded', 'mimeType', 'gcsUri'], 'instances[0].image');
    const { bytesBase64Encoded: bytes, mimeType } = instance.image;
    if (typeof bytes !== 'string' || typeof mimeType !== 'string' || !/^image\/(png|jpeg|webp)$/.test(mimeType))
      throw new ApiError(400, 'The image needs bytesBase64Encoded and an image mimeType (image/png, image/jpeg or image/webp).');
    try {
      await sharp(Buffer.from(bytes, 'base64')).metadata();
    } catch {
      throw new ApiError(400, 'Unable to process input image. Please retry or report in https://developers.generativeai.google/guide/troubleshooting');
    }
  }
  const params = body.parameters ?? {};
  if (!object(params)) throw new ApiError(400, "Invalid value at 'parameters'.");
  unknown(params, ['aspectRatio', 'durationSeconds', 'negativePrompt', 'resolution', 'personGeneration', 'seed'], 'parameters');
  const aspectRatio = params.aspectRatio ?? '16:9';
  if (aspectRatio !== '16:9' && aspectRatio !== '9:16') throw new ApiError(400, `Aspect ratio ${JSON.stringify(aspectRatio)} is not supported. Supported values are 16:9 and 9:16.`);
  const durationS = params.durationSeconds ?? 8;
  if (durationS !== 4 && durationS !== 6 && durationS !== 8) throw new ApiError(400, `The duration ${JSON.stringify(durationS)} is out of bounds: durationSeconds must be 4, 6 or 8.`);
  const resolution = params.resolution ?? '720p';
  if (resolution !== '720p' && resolution !== '1080p') throw new ApiError(400, `Resolution ${JSON.stringify(resolution)} is not supported. Supported values are 720p and 1080p.`);
  if (params.negativePrompt !== undefined && typeof params.negativePrompt !== 'string') throw new ApiError(400, "Invalid value at 'parameters.negativePrompt' (TYPE_STRING).");
  if (params.personGeneration !== undefined && !['allow_all', 'allow_adult', 'dont_allow'].includes(params.personGeneration as string))
    throw new ApiError(400, `personGeneration ${JSON.stringify(params.personGeneration)} is not supported.`);
  return { aspectRatio, durationS, resolution };
}
