// Veo on the Gemini API, a long-running operation: `POST /v1beta/models/{model}:predictLongRunning`
// answers `{name}`; `GET /v1beta/{name}` is polled until `done`, then holds either `error` or
// `response.generateVideoResponse.generatedSamples[].video.uri`, a file downloaded with the same
// key header. Content withheld by Google's filter shows as `raiMediaFilteredCount > 0`.
// The Gemini API has no cancel for these operations: a client's cancel waits for the end.
// No idempotency header either: the operation's name is kept with the task (`ctx.remember`)
// before polling, and the attempt after a crash resumes polling it instead of paying for another
// video; an operation Google no longer knows (404) is started afresh.
import type { Operation, ProducedMedia, ProviderContext, VideoOpInput } from '../types.js';
import { UpstreamError } from '../errors.js';
import { downloadResults, readJson } from '../http.js';
import { pollUntil, withDeadline, type PollOptions } from '../polling.js';
import { GEMINI, geminiCall, geminiKeyHeader } from './client.js';

/** Veo's polling back-off; the operator's AIO_POLL_MS overrides it (tests set it low). */
export const geminiPollOptions: PollOptions = { initialMs: 2000, maxMs: 10_000, factor: 1.5 };

interface VeoGenerated {
  generatedSamples?: Array<{ video?: { uri?: string } }>;
  raiMediaFilteredCount?: number;
  raiMediaFilteredReasons?: string[];
}
interface VeoOperation {
  name?: string;
  done?: boolean;
  error?: { code?: number; message?: string };
  response?: VeoGenerated & { generateVideoResponse?: VeoGenerated };
}

export function buildVeoBody(input: VideoOpInput): Record<string, unknown> {
  return {
    instances: [
      {
        prompt: input.prompt,
        // predictLongRunning takes Vertex's image shape (`inlineData` is refused): third-party
        // material says so, the contract does not cover image-to-video on Veo.
        ...(input.image ? { image: { bytesBase64Encoded: input.image.data.toString('base64'), mimeType: input.image.contentType } } : {}),
      },
    ],
    parameters: {
      aspectRatio: input.aspectRatio,
      durationSeconds: input.durationS,
      ...(input.negativePrompt ? { negativePrompt: input.negativePrompt } : {}),
      ...(input.resolution ? { resolution: input.resolution } : {}),
    },
  };
}

/** The key under which a task keeps its Veo operation (ctx.remember). */
export const VEO_OPERATION = 'veo_operation';
const OPERATION_NAME = /^[\w.-]+(\/[\w.-]+)*$/;

/** The operation an earlier attempt of this task started for the same model, if Google still knows it. */
async function keptOperation(input: VideoOpInput, ctx: ProviderContext, base: string, deadline: number): Promise<VeoOperation | undefined> {
  const kept = ctx.recall?.(VEO_OPERATION) as { model?: unknown; name?: unknown } | undefined;
  if (!kept || kept.model !== input.upstreamModel || typeof kept.name !== 'string' || !OPERATION_NAME.test(kept.name)) return undefined;
  try {
    const op = await readJson<VeoOperation>(GEMINI, await geminiCall(`${base}/v1beta/${kept.name}`, { method: 'GET' }, withDeadline(ctx, deadline)), ctx);
    ctx.log.info({ provider: GEMINI, operation: kept.name, taskId: input.taskId }, 'Veo operation resumed: not started again');
    return { ...op, name: kept.name };
  } catch (err) {
    if (err instanceof UpstreamError && err.status === 404) return undefined;
    throw err;
  }
}

export const generateVideo: Operation<VideoOpInput, ProducedMedia> = async (input, ctx) => {
  const base = ctx.credentials.baseUrl ?? '';
  // The whole operation gets the per-call timeout, as one synchronous call would.
  const deadline = Date.now() + ctx.timeoutMs;
  const started = (await keptOperation(input, ctx, base, deadline)) ?? (await startOperation(input, ctx, base, deadline));
  const name = started.name!;

  const operation = started.done
    ? started
    : await pollUntil(GEMINI, ctx, deadline, geminiPollOptions, async (pollCtx) => {
        const op = await readJson<VeoOperation>(GEMINI, await geminiCall(`${base}/v1beta/${name}`, { method: 'GET' }, pollCtx), ctx);
        if (typeof op !== 'object' || op === null) throw new UpstreamError('upstream_bad_response', `${GEMINI} answered a poll without an operation`, { retryable: true });
        return op.done === true ? op : undefined;
      });
  return finish(operation, input, ctx, base);
};

async function startOperation(input: VideoOpInput, ctx: ProviderContext, base: string, deadline: number): Promise<VeoOperation> {
  const submit = await geminiCall(
    `${base}/v1beta/models/${encodeURIComponent(input.upstreamModel)}:predictLongRunning`,
    { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(buildVeoBody(input)) },
    withDeadline(ctx, deadline),
  );
  const started = await readJson<VeoOperation>(GEMINI, submit, ctx);
  const name = started?.name;
  if (typeof name !== 'string' || !OPERATION_NAME.test(name))
    throw new UpstreamError('upstream_bad_response', `${GEMINI} started the operation without a usable name`, { retryable: true });
  ctx.log.info({ provider: GEMINI, operation: name, taskId: input.taskId }, 'Veo operation started');
  if (ctx.remember)
    await ctx.remember(VEO_OPERATION, { model: input.upstreamModel, name }).catch((err: Error) => ctx.log.warn({ provider: GEMINI, err: err.message }, 'could not keep the Veo operation with the task'));
  return started;
}

async function finish(operation: VeoOperation, input: VideoOpInput, ctx: ProviderContext, base: string): Promise<ProducedMedia> {
  if (operation.error) throw operationError(operation.error);
  const generated = operation.response?.generateVideoResponse ?? operation.response ?? {};
  const filtered = generated.raiMediaFilteredCount ?? operation.response?.raiMediaFilteredCount ?? 0;
  if (filtered > 0) {
    const reason = generated.raiMediaFilteredReasons?.[0] ?? operation.response?.raiMediaFilteredReasons?.[0];
    throw new UpstreamError('content_policy_violation', `${GEMINI} filtered the generated video${reason ? `: ${reason.slice(0, 300)}` : ''}`, { retryable: false });
  }
  const samples = Array.isArray(generated.generatedSamples) ? generated.generatedSamples : [];
  const [video] = await downloadResults(GEMINI, samples.slice(0, 1).map((s) => s?.video?.uri), ctx, keyFor(samples[0]?.video?.uri, base, ctx));
  return { data: video!.data, contentType: video!.contentType };
}

/** The file link needs our key; it goes only to the API's own origin, never to a host the answer names. */
function keyFor(uri: string | undefined, base: string, ctx: ProviderContext): Record<string, string> {
  try {
    return uri && new URL(uri).origin === new URL(base).origin ? geminiKeyHeader(ctx) : {};
  } catch {
    return {};
  }
}

/** A finished operation's `error` (google.rpc.Status: gRPC codes). */
function operationError(error: { code?: number; message?: string }): UpstreamError {
  const message = typeof error.message === 'string' ? error.message.slice(0, 300) : 'no reason given';
  if (error.code === 8) return new UpstreamError('upstream_rate_limited', `${GEMINI} ran out of quota for the operation: ${message}`, { retryable: true });
  // INTERNAL, UNAVAILABLE, DEADLINE_EXCEEDED: Google's side failed, another try may work.
  if (error.code === 13 || error.code === 14 || error.code === 4) return new UpstreamError('upstream_unavailable', `${GEMINI} failed the operation: ${message}`, { retryable: true });
  if (/safety|responsible ai|blocked|policy/i.test(message)) return new UpstreamError('content_policy_violation', `${GEMINI} refused the video on safety grounds: ${message}`, { retryable: false });
  return new UpstreamError('upstream_failed', `${GEMINI} failed the operation: ${message}`, { retryable: false });
}
