// A fake fal queue following /work/shared/spec/upstreams.md: `Authorization: Key` auth, JSON
// input queued at POST /{model-id}; the request goes IN_QUEUE -> IN_PROGRESS -> COMPLETED over a
// few polls of status_url; the output, or a failed request's error body, is at response_url;
// PUT cancel_url answers 202 while the request can still be cancelled. As on fal, the queue
// URLs name the app (owner/name) without the model's sub-path, and the input is checked when the
// request runs, so bad input shows up as a 422 at response_url.
import type http from 'node:http';
import { randomUUID } from 'node:crypto';
import { type ErrorBody, type FakeOptions, type FakeUpstream, type RecordedRequest, randomSeed, sendError, sendJson, startFake } from './http-helpers.js';

export type { RecordedRequest };

const PRESETS: Record<string, [number, number]> = {
  square_hd: [1024, 1024],
  square: [512, 512],
  portrait_4_3: [768, 1024],
  portrait_16_9: [576, 1024],
  landscape_4_3: [1024, 768],
  landscape_16_9: [1024, 576],
};
const MAX_SIDE = 14142;

export interface FakeFal extends FakeUpstream {
  /** How `unsafe` shows: `nsfw` = COMPLETED with `has_nsfw_concepts: [true]`; `error` = a 422 content_policy_violation at response_url. */
  unsafeKind: 'nsfw' | 'error';
  /** Status polls a request answers before COMPLETED (the first half IN_QUEUE, the rest IN_PROGRESS). */
  pollsToComplete: number;
  /** When set, status polls answer this status value instead of the real one. */
  statusOverride?: string;
  /** The next `n` status polls answer `status` (and `body`) instead. */
  failNextPolls(n: number, status: number, body?: ErrorBody): void;
  /** The next request to complete fails: its response_url answers `status` with `body`. */
  failResult(status: number, body?: ErrorBody): void;
  /** Status polls seen so far. */
  polls(): RecordedRequest[];
  /** PUT cancel_url calls seen so far. */
  cancels(): RecordedRequest[];
}

interface QueuedRequest {
  id: string;
  app: string;
  input: unknown;
  polls: number;
  cancelled: boolean;
  outcome?: { status: number; body: unknown };
}

type FalItem = { loc: string[]; msg: string; type: string };
class InvalidInput extends Error {
  constructor(readonly items: FalItem[]) {
    super(items.map((i) => i.msg).join('; '));
  }
}

export async function startFakeFal(opts: FakeOptions = {}): Promise<FakeFal> {
  const queue = new Map<string, QueuedRequest>();
  const resultFailures: Array<{ status: number; body: ErrorBody }> = [];
  const pollFailures: Array<{ status: number; body: ErrorBody }> = [];
  const core = await startFake(
    {
      keyPrefix: 'fal-key-',
      errorBody: (status) => ({ detail: status >= 500 ? 'Internal Server Error' : status === 429 ? 'Too many requests' : `Request failed (${status})` }),
      rateLimited: (res) => sendJson(res, 429, { detail: 'Too many concurrent requests' }),
      handle,
    },
    opts,
  );
  const defaults = { unsafeKind: 'nsfw' as const, pollsToComplete: 2, statusOverride: undefined };
  const fake = Object.assign(core.fake, defaults, {
    failNextPolls(n: number, status: number, body?: ErrorBody) {
      for (let i = 0; i < n; i++) pollFailures.push({ status, body: body ?? { detail: status >= 500 ? 'Service Unavailable' : `Request failed (${status})` } });
    },
    failResult(status: number, body?: ErrorBody) {
      resultFailures.push({ status, body: body ?? { detail: status >= 500 ? 'Internal Server Error' : `Request failed (${status})` } });
    },
    polls: () => core.fake.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/status')),
    cancels: () => core.fake.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/cancel')),
  }) as FakeFal;
  const reset = fake.reset;
  fake.reset = () => {
    reset();
    resultFailures.length = 0;
    pollFailures.length = 0;
    Object.assign(fake, defaults);
  };
  return fake;

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, rec: RecordedRequest): Promise<void> {
    const auth = req.headers.authorization ?? '';
    if (auth !== `Key ${fake.apiKey}`) return sendJson(res, 401, { detail: auth.startsWith('Key ') ? 'Invalid API key' : 'Missing or malformed Authorization header' });

    const queued = /^\/([^/]+\/[^/]+)\/requests\/([^/]+)(\/status|\/cancel)?$/.exec(rec.path);
    if (queued) {
      const [, app, id, action] = queued;
      const request = queue.get(id!);
      if (!request || request.app !== app) return sendJson(res, 404, action === '/cancel' ? { status: 'NOT_FOUND' } : { detail: 'Request not found' });
      const urls = queueUrls(request);
      if (action === '/status' && rec.method === 'GET') {
        const failure = pollFailures.shift();
        if (failure) return sendError(res, failure.status, failure.body);
        request.polls++;
        const status = await advance(request);
        if (fake.statusOverride) return sendJson(res, 200, { status: fake.statusOverride, response_url: urls.response_url });
        return sendJson(res, 200, {
          status,
          ...(status === 'IN_QUEUE' ? { queue_position: Math.max(0, Math.ceil(fake.pollsToComplete / 2) - request.polls) } : {}),
          response_url: urls.response_url,
          logs: null,
          ...(status === 'COMPLETED' ? { metrics: { inference_time: 0.42 } } : {}),
        });
      }
      if (action === '/cancel' && rec.method === 'PUT') {
        if (request.outcome) return sendJson(res, 400, { status: 'ALREADY_COMPLETED' });
        request.cancelled = true;
        request.outcome = { status: 400, body: { detail: 'Request was cancelled' } };
        return sendJson(res, 202, { status: 'CANCELLATION_REQUESTED' });
      }
      if (!action && rec.method === 'GET') {
        if (!request.outcome) return sendJson(res, 400, { detail: 'Request is still in progress' });
        return sendJson(res, request.outcome.status, request.outcome.body);
      }
      return sendJson(res, 405, { detail: 'Method Not Allowed' });
    }

    const model = /^\/([^/]+\/[^/]+)(\/[^/]+)*$/.exec(rec.path);
    if (!model || rec.method !== 'POST') return sendJson(res, 404, { detail: 'Not Found' });
    if (!rec.headers['content-type']?.toLowerCase().startsWith('application/json') || rec.body === undefined)
      return sendJson(res, 422, { detail: [{ loc: ['body'], msg: 'Input should be a valid JSON object', type: 'json_invalid' }] });
    const request: QueuedRequest = { id: randomUUID(), app: model[1]!, input: rec.body, polls: 0, cancelled: false };
    queue.set(request.id, request);
    sendJson(res, 200, { request_id: request.id, ...queueUrls(request), queue_position: 0 });
  }

  function queueUrls(request: QueuedRequest) {
    const base = `${fake.url}/${request.app}/requests/${request.id}`;
    return { response_url: base, status_url: `${base}/status`, cancel_url: `${base}/cancel` };
  }

  /** Moves a request along on each poll; runs "the model" when it completes. */
  async function advance(request: QueuedRequest): Promise<string> {
    if (request.outcome) return 'COMPLETED';
    if (request.polls <= Math.ceil(fake.pollsToComplete / 2)) return 'IN_QUEUE';
    if (request.polls <= fake.pollsToComplete) return 'IN_PROGRESS';
    request.outcome = await run(request.input);
    return 'COMPLETED';
  }

  async function run(input: unknown): Promise<{ status: number; body: unknown }> {
    const failure = resultFailures.shift();
    if (failure) return { status: failure.status, body: failure.body };
    let job: ReturnType<typeof checkInput>;
    try {
      job = checkInput(input);
    } catch (err) {
      if (err instanceof InvalidInput) return { status: 422, body: { detail: err.items } };
      throw err;
    }
    if (fake.unsafe && fake.unsafeKind === 'error') {
      const item = {
        loc: ['body', 'prompt'],
        msg: 'The content could not be processed because it contained material flagged by a content checker.',
        type: 'content_policy_violation',
        url: 'https://docs.fal.ai/errors#content_policy_violation',
      };
      return { status: 422, body: { detail: [item] } };
    }
    const seed = job.seed ?? randomSeed();
    const contentType = `image/${job.format}`;
    const images = [];
    for (let i = 0; i < job.count; i++) {
      // The safety checker blacks out what it flags.
      const data = await core.makeImage(job.width, job.height, job.format, fake.unsafe ? 0 : seed + i);
      images.push({ url: core.host(data, contentType), width: job.width, height: job.height, content_type: contentType });
    }
    return {
      status: 200,
      body: { images, timings: { inference: 0.42 }, seed, has_nsfw_concepts: images.map(() => fake.unsafe), prompt: job.prompt },
    };
  }
}

/** FLUX's input, checked as fal's runner does (unknown fields are ignored, as pydantic does). */
function checkInput(input: unknown): { prompt: string; width: number; height: number; seed?: number; count: number; format: 'png' | 'jpeg' } {
  const body = (typeof input === 'object' && input !== null && !Array.isArray(input) ? input : {}) as Record<string, unknown>;
  const items: FalItem[] = [];
  const bad = (field: string, msg: string, type: string) => items.push({ loc: ['body', field], msg, type });
  const isInt = (v: unknown) => Number.isInteger(v);

  if (typeof body.prompt !== 'string' || !body.prompt) bad('prompt', 'Field required', 'missing');
  let [width, height] = PRESETS.landscape_4_3!;
  const size = body.image_size;
  if (typeof size === 'string') {
    if (PRESETS[size]) [width, height] = PRESETS[size]!;
    else bad('image_size', `Input should be one of ${Object.keys(PRESETS).join(', ')}`, 'enum');
  } else if (typeof size === 'object' && size !== null) {
    const { width: w, height: h } = size as { width?: unknown; height?: unknown };
    if (!isInt(w) || (w as number) < 1 || (w as number) > MAX_SIDE) bad('image_size', `width must be an integer in 1..${MAX_SIDE}`, 'value_error');
    else if (!isInt(h) || (h as number) < 1 || (h as number) > MAX_SIDE) bad('image_size', `height must be an integer in 1..${MAX_SIDE}`, 'value_error');
    else [width, height] = [w as number, h as number];
  } else if (size !== undefined) bad('image_size', 'Input should be a valid size', 'value_error');
  if (body.seed !== undefined && (!isInt(body.seed) || (body.seed as number) < 0)) bad('seed', 'Input should be a valid integer', 'int_type');
  if (body.num_images !== undefined && (!isInt(body.num_images) || (body.num_images as number) < 1 || (body.num_images as number) > 4))
    bad('num_images', 'Input should be an integer in 1..4', 'value_error');
  if (body.output_format !== undefined && body.output_format !== 'jpeg' && body.output_format !== 'png') bad('output_format', "Input should be 'jpeg' or 'png'", 'enum');
  if (body.enable_safety_checker !== undefined && typeof body.enable_safety_checker !== 'boolean')
    bad('enable_safety_checker', 'Input should be a valid boolean', 'bool_type');
  if (items.length) throw new InvalidInput(items);
  return {
    prompt: body.prompt as string,
    width,
    height,
    seed: body.seed as number | undefined,
    count: (body.num_images as number | undefined) ?? 1,
    format: (body.output_format as 'png' | 'jpeg' | undefined) ?? 'jpeg',
  };
}
