// A fake fal queue following /work/shared/spec/upstreams.md and upstreams-media-chat.md section 1:
// `Authorization: Key` auth, JSON input queued at POST /{model-id}[/{subpath}]; the request goes
// IN_QUEUE -> IN_PROGRESS -> COMPLETED over a few polls of status_url; the output, or a failed
// request's error body, is at response_url; PUT cancel_url answers 202 only while the request has
// not started. As on fal, the queue URLs name the app (owner/name) without the sub-path, and the
// input is checked when the request runs, so bad input shows up as a 422 at response_url. The
// models (FLUX, Kling, ElevenLabs music, birefnet, clarity) are in fal-models.ts.
import type http from 'node:http';
import { randomUUID } from 'node:crypto';
import { type ErrorBody, type FakeOptions, type FakeUpstream, type RecordedRequest, sendError, sendJson, startFake } from './http-helpers.js';
import { InvalidInput, modelFor } from './fal-models.js';
import { NOT_MEDIA } from './media.js';

export type { RecordedRequest };

/** fal's infrastructure failures: status and `detail` per `error_type`. */
export const FAL_INFRA_ERRORS = {
  request_timeout: [504, 'Request timed out'],
  startup_timeout: [504, 'Startup timed out'],
  runner_scheduling_failure: [503, 'Runner scheduling failure'],
  runner_connection_timeout: [503, 'Runner connection timeout'],
  runner_disconnected: [503, 'Runner disconnected'],
} as const;
export type FalInfraError = keyof typeof FAL_INFRA_ERRORS;

export interface FakeFal extends FakeUpstream {
  /** How `unsafe` shows on FLUX: `nsfw` = COMPLETED with `has_nsfw_concepts: [true]`; `error` = a 422 content_policy_violation at response_url. Other models always refuse with the 422. */
  unsafeKind: 'nsfw' | 'error';
  /** Status polls a request answers before COMPLETED (the first half IN_QUEUE, the rest IN_PROGRESS). */
  pollsToComplete: number;
  /** Requests stay IN_QUEUE (cancellable) for as long as this is on. */
  holdInQueue: boolean;
  /** Result media links point at files that do not exist (404). */
  brokenMediaUrl: boolean;
  /** Videos and music come out 2 s shorter than asked (music: half as long). */
  wrongDuration: boolean;
  /** When set, status polls answer this status value instead of the real one. */
  statusOverride?: string;
  /** The next `n` status polls answer `status` (and `body`) instead. */
  failNextPolls(n: number, status: number, body?: ErrorBody): void;
  /** The next `n` API requests (submit, poll, result, cancel) fail with fal's infrastructure error of that type (503/504, `X-Fal-Error-Type`). */
  failNextInfra(n: number, type: FalInfraError): void;
  /** The next request to complete fails: its response_url answers `status` with `body`. */
  failResult(status: number, body?: ErrorBody): void;
  /** Submits seen so far. */
  submits(): RecordedRequest[];
  /** Status polls seen so far. */
  polls(): RecordedRequest[];
  /** PUT cancel_url calls seen so far. */
  cancels(): RecordedRequest[];
  /** Result (response_url) reads seen so far. */
  results(): RecordedRequest[];
}

interface QueuedRequest {
  id: string;
  app: string;
  endpoint: string;
  input: unknown;
  polls: number;
  started: boolean;
  outcome?: { status: number; body: unknown };
}

export async function startFakeFal(opts: FakeOptions = {}): Promise<FakeFal> {
  const queue = new Map<string, QueuedRequest>();
  const resultFailures: Array<{ status: number; body: ErrorBody }> = [];
  const pollFailures: Array<{ status: number; body: ErrorBody }> = [];
  const infraFailures: FalInfraError[] = [];
  const core = await startFake(
    {
      keyPrefix: 'fal-key-',
      errorBody: (status) => ({ detail: status >= 500 ? 'Internal Server Error' : status === 429 ? 'Too many requests' : `Request failed (${status})` }),
      rateLimited: (res) => sendJson(res, 429, { detail: 'Too many concurrent requests' }),
      handle,
    },
    opts,
  );
  const defaults = { unsafeKind: 'nsfw' as const, pollsToComplete: 2, statusOverride: undefined, holdInQueue: false, brokenMediaUrl: false, wrongDuration: false };
  const isResult = (r: RecordedRequest) => r.method === 'GET' && /\/requests\/[^/]+$/.test(r.path);
  const fake = Object.assign(core.fake, defaults, {
    failNextPolls(n: number, status: number, body?: ErrorBody) {
      for (let i = 0; i < n; i++) pollFailures.push({ status, body: body ?? { detail: status >= 500 ? 'Service Unavailable' : `Request failed (${status})` } });
    },
    failNextInfra(n: number, type: FalInfraError) {
      for (let i = 0; i < n; i++) infraFailures.push(type);
    },
    failResult(status: number, body?: ErrorBody) {
      resultFailures.push({ status, body: body ?? { detail: status >= 500 ? 'Internal Server Error' : `Request failed (${status})` } });
    },
    submits: () => core.fake.requests.filter((r) => r.method === 'POST' && !r.file),
    polls: () => core.fake.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/status')),
    cancels: () => core.fake.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/cancel')),
    results: () => core.fake.requests.filter((r) => !r.file && isResult(r)),
  }) as FakeFal;
  const reset = fake.reset;
  fake.reset = () => {
    reset();
    resultFailures.length = 0;
    pollFailures.length = 0;
    infraFailures.length = 0;
    Object.assign(fake, defaults);
  };
  return fake;

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, rec: RecordedRequest): Promise<void> {
    const infra = infraFailures.shift();
    if (infra) {
      const [status, detail] = FAL_INFRA_ERRORS[infra];
      const text = JSON.stringify({ detail, error_type: infra });
      res.writeHead(status, { 'Content-Type': 'application/json', 'X-Fal-Error-Type': infra, 'Content-Length': Buffer.byteLength(text) });
      return void res.end(text);
    }
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
          ...(status === 'IN_QUEUE' ? { queue_position: fake.holdInQueue ? 3 : Math.max(0, Math.ceil(fake.pollsToComplete / 2) - request.polls) } : {}),
          response_url: urls.response_url,
          logs: null,
          ...(status === 'COMPLETED' ? { metrics: { inference_time: 0.42 } } : {}),
        });
      }
      if (action === '/cancel' && rec.method === 'PUT') {
        if (request.outcome) return sendJson(res, 400, { status: 'ALREADY_COMPLETED' });
        // Only a request that has not started can be cancelled.
        if (request.started) return sendJson(res, 400, { status: 'ALREADY_STARTED' });
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
    const request: QueuedRequest = { id: randomUUID(), app: model[1]!, endpoint: rec.path.slice(1), input: rec.body, polls: 0, started: false };
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
    if (fake.holdInQueue || request.polls <= Math.ceil(fake.pollsToComplete / 2)) return 'IN_QUEUE';
    request.started = true;
    if (request.polls <= fake.pollsToComplete) return 'IN_PROGRESS';
    request.outcome = await run(request);
    return 'COMPLETED';
  }

  async function run(request: QueuedRequest): Promise<{ status: number; body: unknown }> {
    const failure = resultFailures.shift();
    if (failure) return { status: failure.status, body: failure.body };
    const input = request.input;
    const body = (typeof input === 'object' && input !== null && !Array.isArray(input) ? input : {}) as Record<string, unknown>;
    try {
      const output = await modelFor(request.endpoint).run(body, request.endpoint, {
        hostMedia,
        makeImage: (w, h, format, seed) => core.makeImage(w, h, format, seed),
        modes: fake,
      });
      return { status: 200, body: output };
    } catch (err) {
      if (err instanceof InvalidInput) return { status: 422, body: { detail: err.items } };
      throw err;
    }
  }

  function hostMedia(data: Buffer, contentType: string): string {
    if (fake.brokenMediaUrl) return `${fake.url}/_files/${randomUUID()}.bin?sig=gone`;
    // Junk with a 200, as a CDN error page would be.
    if (fake.garbage) return core.host(NOT_MEDIA, 'text/html');
    return core.host(data, contentType);
  }
}
