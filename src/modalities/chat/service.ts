// The chat use case: a direct request (no task), billed by the token, exactly once.
//   prepare: parse the client's shape, resolve the model, refuse what the target cannot honour,
//            count the prompt, decide the output cap, and hold prompt + cap (402 otherwise).
//   run:     route to a node (priority, weight, breaker, concurrency), fail over while nothing has
//            reached the client, pipe the answer event by event to the client's sink, keep
//            reading to a deadline when the client leaves (for the upstream's final usage), then
//            settle from that usage (or the tokenizer's count of what was generated) and record
//            how the request ended.
import type { Settings } from '../../config/settings.js';
import type { ModelConfig } from '../../config/catalog-schema.js';
import type { Db } from '../../db/database.js';
import type { ChatEndReason } from '../../db/schema.js';
import { AppError, invalidParam } from '../../lib/app-error.js';
import { toCredits } from '../../lib/credits.js';
import { newId } from '../../lib/ids.js';
import type { Logger } from '../../lib/logger.js';
import { nowIso } from '../../lib/time.js';
import { UpstreamError } from '../../providers/errors.js';
import { getProvider } from '../../providers/registry.js';
import type { ChatDialect, ChatEvent, ChatOperation, ChatRequest, ChatStream, ChatUsage } from '../../providers/chat-types.js';
import type { ApiKey } from '../../services/api-keys.js';
import type { Catalog, ResolvedNode } from '../../services/catalog.js';
import type { LedgerService } from '../../services/ledger.js';
import type { User } from '../../services/users.js';
import type { NodeRouter } from '../../worker/router.js';
import { LOCAL_NODE } from '../../worker/shared.js';
import { ChatAnswer, isContent } from './answer.js';
import { parseAnthropicMessages } from './anthropic/parse.js';
import { affordableOutputTokens, costMicro, holdMicro } from './cost.js';
import { parseOpenAiChat } from './openai/parse.js';
import { FREE_PRICE, chatParams, chatPrice, type ChatPrice } from './params.js';
import type { Json } from './read.js';
import { ChatStore, HoldRefused, type ChatRequestRow } from './store.js';
import { checkTarget } from './target.js';
import type { TokenBucketStore } from '../../services/limit-stores.js';
import { TokenLimiter } from './token-limiter.js';
import { countPrompt, countText, loadTokenizer, promptTokensToHold } from './tokens.js';
import type { ChatShape, ParsedChat } from './types.js';

/** Below this many affordable output tokens a request without max_tokens is refused (402). */
export const MIN_USEFUL_OUTPUT = 32;

export interface ChatDeps {
  db: Db;
  ledger: LedgerService;
  catalog: Catalog;
  router: NodeRouter;
  settings: Settings;
  log: Logger;
  /** Where tokens-per-minute buckets are kept (with the request limits). */
  buckets: TokenBucketStore;
}

/** Where the answer goes: the route's writer for the client's shape. */
export interface ChatSink {
  /** Aborted when the client went away. */
  readonly gone: AbortSignal;
  /** The first content is here: commit (a stream sends its headers). `usage` so far: the prompt's. */
  begin(usage: ChatUsage): void;
  /** One event of the answer; resolves when the client can take more (back-pressure). */
  write(e: ChatEvent): Promise<void>;
  /** The answer is complete and settled. */
  finish(answer: ChatAnswer, usage: ChatUsage): Promise<void>;
  /** The answer broke off after `begin` (settled for what was generated). */
  fail(err: AppError): Promise<void>;
}

export interface PreparedChat {
  row: ChatRequestRow;
  parsed: ParsedChat;
  model: ModelConfig;
  request: ChatRequest;
  price: ChatPrice;
  livemode: boolean;
  keyId: string;
  started: number;
}

export interface ChatOutcome {
  endReason: ChatEndReason;
  usage: ChatUsage;
  chargedMicro: number;
}

const ZERO: ChatUsage = { inputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0 };

/** What a client sees of an upstream failure: our status and words (the upstream's stay in our log). */
const UPSTREAM_ERRORS: Record<string, { status: number; message: string }> = {
  content_policy_violation: { status: 400, message: 'The provider refused this request on safety grounds.' },
  upstream_invalid_request: { status: 400, message: 'The provider refused this request as invalid.' },
  upstream_auth_failed: { status: 502, message: 'The provider refused the platform’s credentials. The operator has been told; try again later.' },
  upstream_rate_limited: { status: 429, message: 'The provider is rate limiting requests. Try again later.' },
  upstream_unavailable: { status: 503, message: 'The provider is unavailable. Try again later.' },
  upstream_timeout: { status: 504, message: 'The provider did not answer in time.' },
  upstream_bad_response: { status: 502, message: 'The provider answered with something that is not a chat answer.' },
  upstream_failed: { status: 502, message: 'The provider could not complete the request.' },
};

export function clientError(err: unknown, generated: boolean): AppError {
  if (err instanceof AppError) return err;
  const code = err instanceof UpstreamError ? err.code : 'internal_error';
  const known = UPSTREAM_ERRORS[code] ?? { status: 500, message: 'The request failed inside the platform.' };
  const money = generated ? ' What was generated until then was charged.' : ' Nothing was charged.';
  return new AppError(known.status, code, `${known.message}${money}`, known.status === 429 ? { headers: { 'retry-after': '5' } } : {});
}

export class ChatService {
  readonly store: ChatStore;
  private readonly tokens: TokenLimiter;

  constructor(private readonly deps: ChatDeps) {
    this.store = new ChatStore(deps.db, deps.ledger);
    this.tokens = new TokenLimiter(deps.settings.chat.tokensPerMinute, deps.buckets);
  }

  private dialectsOf(model: ModelConfig): ChatDialect[] {
    return this.deps.catalog.nodesFor(model.id).map((n) => getProvider(n.provider).operations.chat?.dialect ?? 'any');
  }

  async prepare(shape: ChatShape, body: unknown, auth: { user: User; key: ApiKey }, requestId?: string): Promise<PreparedChat> {
    const { catalog, ledger, settings } = this.deps;
    const { user, key } = auth;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new AppError(400, 'invalid_request_body', 'The body must be a JSON object.');
    const parsed = shape === 'openai' ? parseOpenAiChat(body as Json) : parseAnthropicMessages(body as Json);
    const model = catalog.model(parsed.model);
    if (!model || model.type !== 'chat') {
      const other = model ? ` '${model.id}' is a ${model.type} model, not a chat model.` : '';
      throw invalidParam('model', `There is no chat model '${parsed.model}'.${other} See GET /v1/models for the catalog.`, 'model_not_found');
    }
    if (!model.enabled) throw invalidParam('model', `The model '${model.id}' is currently disabled.`, 'model_disabled');
    if (key.allowed_models) {
      const allowed = JSON.parse(key.allowed_models) as string[];
      if (!allowed.includes(model.id)) throw new AppError(403, 'model_not_allowed', `This API key may not use '${model.id}'. It may use: ${allowed.join(', ')}.`, { param: 'model' });
    }
    checkTarget(parsed, model, this.dialectsOf(model));
    const livemode = key.livemode === 1;
    if (livemode && catalog.usableNodesFor(model.id).length === 0)
      throw new AppError(503, 'model_unavailable', `'${model.id}' is not available right now. Test keys (aio_test_...) still work.`, { param: 'model' });

    const params = chatParams(model);
    await loadTokenizer();
    const counted = countPrompt(parsed.request);
    if (counted >= params.context_length)
      throw new AppError(400, 'context_length_exceeded', `The prompt is about ${counted} tokens; ${model.id} takes at most ${params.context_length} in all.`, { param: 'messages' });
    const room = params.context_length - counted;
    const asked = parsed.maxTokens;
    if (asked && asked.value > params.max_output_tokens)
      throw invalidParam(asked.param, `'${asked.param}' is ${asked.value}; ${model.id} writes at most ${params.max_output_tokens} tokens.`);
    if (asked && asked.value > room)
      throw new AppError(400, 'context_length_exceeded', `The prompt (about ${counted} tokens) and '${asked.param}' (${asked.value}) exceed ${model.id}'s context of ${params.context_length} tokens.`, { param: asked.param });
    let cap = asked ? asked.value : Math.min(params.max_output_tokens, room);

    const price = livemode ? chatPrice(model) : FREE_PRICE;
    const promptHold = promptTokensToHold(counted);
    if (livemode) {
      const { balance } = await ledger.balances(user.id);
      const keyLeft = key.credit_limit === null ? Number.POSITIVE_INFINITY : Math.max(0, key.credit_limit - key.spent);
      const byKey = keyLeft < balance;
      const affordable = affordableOutputTokens(Math.min(balance, keyLeft), promptHold, price);
      if (asked ? affordable < cap : affordable < MIN_USEFUL_OUTPUT) throw this.refusal(byKey ? 'key_credit_limit_reached' : 'insufficient_credits', affordable, asked?.param, key);
      cap = Math.min(cap, affordable);
    }
    await this.tokens.take(key.id, counted);
    const hold = livemode ? holdMicro(promptHold, cap, price) : 0;
    const row: ChatRequestRow = {
      id: newId('chat'),
      user_id: user.id,
      api_key_id: key.id,
      model: model.id,
      livemode: livemode ? 1 : 0,
      shape,
      stream: parsed.stream ? 1 : 0,
      status: 'running',
      node: null,
      attempts: 0,
      price: JSON.stringify(price),
      max_output_tokens: cap,
      prompt_tokens_counted: counted,
      hold_micro: hold,
      cost_micro: 0,
      charged_micro: 0,
      input_tokens: 0,
      cached_input_tokens: 0,
      cache_write_tokens: 0,
      output_tokens: 0,
      usage_source: null,
      end_reason: null,
      finish_reason: null,
      error_code: null,
      request_id: requestId ?? null,
      created_at: nowIso(),
      first_token_at: null,
      finished_at: null,
      ttft_ms: null,
      latency_ms: null,
      prompt: settings.chat.storeContent ? JSON.stringify({ system: parsed.request.system, messages: parsed.request.messages }) : null,
      completion: null,
    };
    try {
      await this.store.begin(row);
    } catch (err) {
      if (!(err instanceof HoldRefused)) throw err;
      // Another request took the credits between the balance read and the hold.
      throw this.refusal(err.reason, 0, asked?.param, key);
    }
    return { row, parsed, model, request: { ...parsed.request, maxTokens: cap }, price, livemode, keyId: key.id, started: Date.now() };
  }

  private refusal(reason: 'insufficient_credits' | 'key_credit_limit_reached', affordable: number, param: string | undefined, key: ApiKey): AppError {
    const tokens = Math.max(0, Math.floor(affordable));
    const what = reason === 'key_credit_limit_reached' ? `This API key's credit limit (${toCredits(key.credit_limit ?? 0)} credits) leaves` : 'The balance leaves';
    const ask = param ? ` Lower '${param}' to at most ${tokens}, or top up.` : ' Top up to continue.';
    return new AppError(402, reason, `${what} room for about ${tokens} output tokens after the prompt.${ask}`, param ? { param } : {});
  }

  /** Picks the next node; undefined (and why) when none is left. */
  private nextNode(p: PreparedChat, tried: Set<string>): { node?: ResolvedNode; busy: boolean } {
    const { router, catalog } = this.deps;
    const node = router.pick(p.model.id, undefined, { exclude: tried, withinConcurrency: true });
    if (node) return { node, busy: false };
    const untried = catalog.usableNodesFor(p.model.id).filter((n) => !tried.has(n.id) && router.state(n.id) !== 'open');
    return { busy: untried.length > 0 };
  }

  async run(p: PreparedChat, sink: ChatSink): Promise<ChatOutcome> {
    const { settings, router, log: rootLog } = this.deps;
    const log = rootLog.child({ chat_id: p.row.id, model: p.model.id, request_id: p.row.request_id });
    const tried = new Set<string>();
    const maxAttempts = p.livemode ? Math.max(1, settings.maxAttempts) : 1;
    let answer = new ChatAnswer();
    let committed = false;
    let firstTokenAt: number | undefined;
    let nodeId: string | null = null;
    let lastError: unknown;
    let endReason: ChatEndReason | undefined;
    let deadlineHit = false;
    let current: ChatStream | undefined;
    let deadline: NodeJS.Timeout | undefined;

    const onGone = () => {
      // Keep reading (the upstream bills what it generates) until the deadline, then let go.
      deadline = setTimeout(() => {
        deadlineHit = true;
        current?.close();
      }, settings.chat.usageDeadlineMs);
    };
    if (sink.gone.aborted) onGone();
    else sink.gone.addEventListener('abort', onGone, { once: true });

    try {
      for (let attempt = 1; attempt <= maxAttempts && !endReason; attempt++) {
        let node: ResolvedNode | undefined;
        let operation: ChatOperation | undefined;
        if (p.livemode) {
          const next = this.nextNode(p, tried);
          if (!next.node) {
            if (!lastError)
              lastError = next.busy
                ? new AppError(503, 'model_busy', `Every node serving '${p.model.id}' is at its concurrency limit. Retry in a moment.`, { headers: { 'retry-after': '1' } })
                : new AppError(503, 'model_unavailable', `'${p.model.id}' is not available right now.`, { param: 'model' });
            break;
          }
          node = next.node;
          operation = getProvider(node.provider).operations.chat;
        } else operation = getProvider('local').operations.chat;
        nodeId = node?.id ?? LOCAL_NODE;
        if (node) tried.add(node.id);
        if (!operation) throw new Error(`node ${nodeId} has no chat operation`);
        router.started(nodeId);
        const ctx = { signal: new AbortController().signal, credentials: node?.credentials ?? {}, timeoutMs: settings.chat.idleTimeoutMs, log };
        const attemptAnswer = new ChatAnswer();
        const pending: ChatEvent[] = [];
        try {
          current = await operation({ taskId: p.row.id, model: p.model.id, upstreamModel: p.model.upstream_model, request: p.request }, ctx);
          if (deadlineHit) current.close();
          for await (const e of current) {
            attemptAnswer.add(e);
            if (!committed) {
              pending.push(e);
              if (!isContent(e)) continue;
              committed = true;
              answer = attemptAnswer;
              firstTokenAt = Date.now();
              if (!sink.gone.aborted) sink.begin(answer.usage ?? { ...ZERO, inputTokens: p.row.prompt_tokens_counted });
              for (const queued of pending.splice(0)) if (!sink.gone.aborted) await sink.write(queued);
              continue;
            }
            if (!sink.gone.aborted) await sink.write(e);
          }
          answer = attemptAnswer;
          if (sink.gone.aborted) endReason = 'client_gone';
          else endReason = answer.finish === 'length' ? 'length' : 'stop';
          router.succeeded(nodeId);
        } catch (err) {
          current?.close();
          const upstream = err instanceof UpstreamError ? err : undefined;
          router.failed(nodeId, upstream?.message ?? String(err), sink.gone.aborted ? false : (upstream?.retryable ?? false));
          lastError = err;
          if (committed || sink.gone.aborted) {
            answer = committed ? answer : attemptAnswer;
            endReason = sink.gone.aborted || deadlineHit ? 'client_gone' : upstream?.code === 'upstream_timeout' ? 'timeout' : 'upstream_error';
            log.warn({ node: nodeId, code: upstream?.code, upstream_message: upstream?.message, err: upstream ? undefined : err }, 'chat answer broke off');
          } else {
            log.warn({ node: nodeId, code: upstream?.code, upstream_message: upstream?.message, retryable: upstream?.retryable, err: upstream ? undefined : err }, 'chat upstream failed before answering');
            if (!upstream?.retryable) break;
          }
        } finally {
          current = undefined;
        }
      }
    } finally {
      clearTimeout(deadline);
      sink.gone.removeEventListener('abort', onGone);
    }

    // Nothing reached the client and no node answered: the request failed.
    if (!endReason) {
      const err = clientError(lastError, false);
      await this.end(p, { answer: new ChatAnswer(), nodeId, attempts: tried.size || 1, endReason: err.code === 'upstream_timeout' ? 'timeout' : 'upstream_error', errorCode: err.code, firstTokenAt });
      throw err;
    }
    const outcome = await this.end(p, { answer, nodeId, attempts: tried.size || 1, endReason, errorCode: endReason === 'upstream_error' || endReason === 'timeout' ? clientError(lastError, true).code : null, firstTokenAt });
    if (endReason === 'stop' || endReason === 'length') {
      if (!committed) sink.begin(outcome.usage);
      await sink.finish(answer, outcome.usage);
    } else if (endReason !== 'client_gone') {
      if (!committed) {
        // The upstream ended without a word: report it as a failure, settled at nothing.
        throw clientError(lastError, false);
      }
      await sink.fail(clientError(lastError, answer.generated));
    }
    return outcome;
  }

  /** What the request used: the upstream's final usage, else the count of what it generated. */
  private usageOf(p: PreparedChat, answer: ChatAnswer): { usage: ChatUsage; source: 'upstream' | 'counted' | null } {
    if (answer.usage && answer.usageFinal) return { usage: answer.usage, source: 'upstream' };
    if (!answer.generated) return { usage: ZERO, source: null };
    const partial = answer.usage;
    return {
      usage: {
        inputTokens: partial ? partial.inputTokens : p.row.prompt_tokens_counted,
        cachedInputTokens: partial?.cachedInputTokens ?? 0,
        cacheWriteTokens: partial?.cacheWriteTokens ?? 0,
        outputTokens: Math.max(partial?.outputTokens ?? 0, countText(answer.generatedText())),
      },
      source: 'counted',
    };
  }

  private async end(
    p: PreparedChat,
    r: { answer: ChatAnswer; nodeId: string | null; attempts: number; endReason: ChatEndReason; errorCode: string | null; firstTokenAt?: number },
  ): Promise<ChatOutcome> {
    const { usage, source } = this.usageOf(p, r.answer);
    const cost = costMicro(usage, p.price);
    const charged = Math.min(cost, p.row.hold_micro);
    if (cost > p.row.hold_micro) this.deps.log.warn({ chat_id: p.row.id, cost, held: p.row.hold_micro }, 'chat usage cost more than was held; captured the hold');
    await this.tokens.spend(p.keyId, usage.outputTokens);
    await this.store.finish(p.row, {
      node: r.nodeId,
      attempts: r.attempts,
      usage,
      usageSource: source,
      costMicro: cost,
      chargedMicro: charged,
      endReason: r.endReason,
      finishReason: r.answer.finish ?? null,
      errorCode: r.errorCode,
      firstTokenAt: r.firstTokenAt ? new Date(r.firstTokenAt).toISOString() : null,
      ttftMs: r.firstTokenAt ? r.firstTokenAt - p.started : null,
      latencyMs: Date.now() - p.started,
      completion: this.deps.settings.chat.storeContent ? r.answer.text || JSON.stringify(r.answer.toolCalls) : null,
    });
    return { endReason: r.endReason, usage, chargedMicro: charged };
  }
}
