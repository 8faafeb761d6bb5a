// Chat with any chat model on the signed-in session, with one of the person's keys chosen by id
// (the browser never holds a secret): a model picker with its per-million-token prices, a system
// prompt, a message box, and the answer streaming in as it is written, with the tokens and the
// cost as it goes (counted chunks and the server's prompt count, then the upstream's exact usage).
import './chat-playground.css';
import { type FormEvent, type KeyboardEvent, useEffect, useRef, useState } from 'react';
import { StateBadge } from '../../components/model-badges';
import { Alert, ErrorMessage, Loading } from '../../components/ui/basic';
import { CodeBlock } from '../../components/ui/code';
import { Field } from '../../components/ui/form';
import { Card, PageHeader } from '../../components/ui/page';
import { curlFor } from '../../curl';
import { dashboardApi } from '../../dashboard-api';
import { useAction, useAsync, useStoredState, useTitle } from '../../hooks';
import { useI18n } from '../../i18n';
import { localize } from '../../i18n/model-texts';
import { usePageMessages } from '../../i18n/page-messages';
import { liveFirst, useModels } from '../../models';
import { fmtCredits, fmtNumber } from '../../money';
import { setQuery, useLocation } from '../../router';
import { useSession } from '../../session';
import type { ApiKey, Model } from '../../types';
import { chatCostCredits, chatRates } from './chat-cost';
import { chatMessages } from './chat-messages';
import { type ChatBody, type ChatTurn, type ChatUsage, streamChat, streamedBody } from './chat-stream';
import { keyState } from './key-state';

/** A chat model as GET /api/v1/models describes it. */
type ChatModel = Model & { context_length?: number; max_output_tokens?: number };

const isChatModel = (m: Model): m is ChatModel => (m.type as string) === 'chat';

/** One answer as it streams: what the server counted up front, the pieces so far, the exact usage at the end. */
interface Answer {
  model: ChatModel;
  livemode: boolean;
  text: string;
  pieces: number;
  promptTokens: number | null;
  usage?: ChatUsage;
  finish?: string;
  started: number;
  firstTokenMs?: number;
  stopped?: boolean;
}

const usableKeys = (keys: ApiKey[]) => keys.filter((k) => keyState(k) !== 'revoked' && keyState(k) !== 'expired');

export function ChatPlayground() {
  const { t, lang } = useI18n();
  const c = usePageMessages(chatMessages);
  const { user } = useSession();
  const { search } = useLocation();
  useTitle(c('chat_title'));
  const models = useModels();
  const keys = useAsync(() => dashboardApi.keys(), []);
  const account = useAsync(() => dashboardApi.account(), []);
  // The same remembered key as the task playground.
  const [keyId, setKeyId] = useStoredState(`aio_playground_key_id:${user?.id ?? ''}`, '');
  const keyAction = useAction();
  const [keyCreated, setKeyCreated] = useState(false);

  const usable = usableKeys(keys.data?.data ?? []);
  const key = usable.find((k) => k.id === keyId) ?? usable.find((k) => !k.livemode) ?? usable[0];
  const all = liveFirst((models.data ?? []).filter(isChatModel));
  const list = key?.allowed_models?.length ? all.filter((m) => key.allowed_models!.includes(m.id)) : all;
  const model = list.find((m) => m.id === search.get('model')) ?? list[0];

  const [system, setSystem] = useState('');
  const [maxTokens, setMaxTokens] = useState('');
  const [input, setInput] = useState('');
  const [turns, setTurns] = useState<ChatTurn[]>([]);
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const abort = useRef<AbortController | null>(null);
  const transcript = useRef<HTMLDivElement>(null);

  useEffect(() => () => abort.current?.abort(), []);
  // Follow the answer as it grows.
  useEffect(() => {
    const box = transcript.current;
    if (box) box.scrollTop = box.scrollHeight;
  }, [turns.length, answer?.text]);

  const createKey = () =>
    keyAction.run(async () => {
      const created = await dashboardApi.createKey({ name: 'Playground', test: true });
      setKeyId(created.id);
      keys.setData({ object: 'list', data: [created, ...(keys.data?.data ?? [])] });
      setKeyCreated(true);
    });

  const bodyFor = (m: ChatModel, history: ChatTurn[]): ChatBody => ({
    model: m.id,
    messages: [...(system.trim() ? [{ role: 'system' as const, content: system }] : []), ...history],
    ...(maxTokens ? { max_tokens: Number(maxTokens) } : {}),
  });

  async function send(e?: FormEvent) {
    e?.preventDefault();
    const text = input.trim();
    if (!model || !key || !text || busy) return;
    const history: ChatTurn[] = [...turns, { role: 'user', content: text }];
    const ctl = new AbortController();
    abort.current = ctl;
    const run: Answer = { model, livemode: key.livemode, text: '', pieces: 0, promptTokens: null, started: performance.now() };
    setTurns(history);
    setInput('');
    setAnswer(run);
    setBusy(true);
    setError(undefined);
    let written = '';
    const update = (patch: Partial<Answer>) => setAnswer((a) => (a && a.started === run.started ? { ...a, ...patch } : a));
    try {
      await streamChat(
        key.id,
        bodyFor(model, history),
        {
          onStart: (head) => update({ promptTokens: head.promptTokens }),
          onText: (piece) => {
            const first = written === '';
            written += piece;
            setAnswer((a) =>
              a && a.started === run.started
                ? { ...a, text: a.text + piece, pieces: a.pieces + 1, firstTokenMs: first ? Math.round(performance.now() - run.started) : a.firstTokenMs }
                : a,
            );
          },
          onFinish: (finish) => update({ finish }),
          onUsage: (usage) => update({ usage }),
        },
        ctl.signal,
      );
    } catch (err) {
      if ((err as Error).name === 'AbortError') update({ stopped: true });
      else {
        setError(err);
        // Nothing was written: the message goes back to the box, to send again.
        if (!written) {
          setTurns(turns);
          setInput(text);
          setAnswer(null);
        }
      }
    } finally {
      if (written) setTurns([...history, { role: 'assistant', content: written }]);
      if (abort.current === ctl) abort.current = null;
      setBusy(false);
      account.reload();
    }
  }

  const stop = () => abort.current?.abort();
  const clear = () => {
    abort.current?.abort();
    setTurns([]);
    setAnswer(null);
    setError(undefined);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void send();
    }
  };

  if (models.error) return <ErrorMessage error={models.error} onRetry={models.reload} />;
  if (keys.error) return <ErrorMessage error={keys.error} onRetry={keys.reload} />;
  if (!models.data || !keys.data) return <Loading height={700} />;

  const balance = account.data ? account.data.balance + account.data.reserved : undefined;
  // The answer being written is its own bubble until it ends; then it is the last turn.
  const writing = busy && answer ? answer : null;
  // The curl: the next request once something is typed, else the last one sent.
  const lastUser = turns.map((turn) => turn.role).lastIndexOf('user');
  const exampleTurns: ChatTurn[] = input.trim() ? [...turns, { role: 'user', content: input.trim() }] : lastUser >= 0 ? turns.slice(0, lastUser + 1) : [{ role: 'user', content: 'Hello!' }];
  const example = model ? bodyFor(model, exampleTurns) : null;

  return (
    <>
      <PageHeader title={c('chat_title')} lead={c('chat_lead')} />
      <div className="playground chat-playground">
        <Card className="pg-form">
          {keyCreated && <Alert kind="success">{c('chat_key_created')}</Alert>}
          {!key ? (
            <div className="callout" data-testid="no-key">
              <strong>{t('pg_no_key_title')}</strong>
              <p className="muted">{t('pg_no_key_body')}</p>
              <ErrorMessage error={keyAction.error} />
              <button type="button" className="btn btn-primary" onClick={createKey} disabled={keyAction.busy}>
                {keyAction.busy ? t('pg_creating_key') : t('pg_create_key')}
              </button>
            </div>
          ) : (
            <Field label={t('pg_key')} id="chat-key" hint={t(key.livemode ? 'pg_key_hint_live' : 'pg_key_hint_test')}>
              {(id, hint) => (
                <select id={id} value={key.id} aria-describedby={hint} onChange={(e) => setKeyId(e.target.value)}>
                  {usable.map((k) => (
                    <option key={k.id} value={k.id}>
                      {t('pg_key_option', { name: k.name ?? '—', prefix: k.prefix, mode: t(k.livemode ? 'key_mode_live' : 'key_mode_test') })}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          )}
          {model ? (
            <>
              <Field
                label={c('chat_model')}
                id="chat-model"
                hint={
                  <>
                    <span data-testid="chat-price">{c('chat_price', { input: fmtCredits(chatRates(model).input, lang), output: fmtCredits(chatRates(model).output, lang) })}</span>
                    {model.context_length && model.max_output_tokens && (
                      <> · {c('chat_context', { context: fmtNumber(model.context_length, lang), max: fmtNumber(model.max_output_tokens, lang) })}</>
                    )}
                  </>
                }
              >
                {(id, hint) => (
                  <div className="model-picker">
                    <select id={id} value={model.id} aria-describedby={hint} onChange={(e) => setQuery({ model: e.target.value })}>
                      {list.map((m) => (
                        <option key={m.id} value={m.id}>
                          {localize(m, lang).name} ({m.id}) · {t(m.available ? 'state_live' : 'state_test_only')}
                        </option>
                      ))}
                    </select>
                    <StateBadge model={model} />
                  </div>
                )}
              </Field>
              {key?.livemode && !model.available && <Alert kind="warning">{t('pg_model_not_live')}</Alert>}
            </>
          ) : (
            key && <Alert kind="warning">{c('chat_no_models')}</Alert>
          )}
          <Field label={c('chat_system')} id="chat-system" optional>
            {(id) => <textarea id={id} rows={3} value={system} placeholder={c('chat_system_placeholder')} onChange={(e) => setSystem(e.target.value)} />}
          </Field>
          <Field label={c('chat_max_tokens')} id="chat-max-tokens" optional hint={c('chat_max_tokens_hint', { max: fmtNumber(model?.max_output_tokens ?? 0, lang) })}>
            {(id, hint) => (
              <input
                id={id}
                type="number"
                inputMode="numeric"
                min={1}
                max={model?.max_output_tokens}
                step={1}
                value={maxTokens}
                aria-describedby={hint}
                onChange={(e) => setMaxTokens(e.target.value.replace(/\D/g, ''))}
              />
            )}
          </Field>
        </Card>

        <Card
          className="pg-result chat-panel"
          title={c('chat_conversation')}
          actions={
            <button type="button" className="btn btn-small btn-ghost" onClick={clear} disabled={turns.length === 0 && !answer}>
              {c('chat_clear')}
            </button>
          }
        >
          <div className="chat-transcript" ref={transcript} data-testid="chat-transcript">
            {turns.length === 0 && <p className="muted center chat-empty">{c('chat_empty')}</p>}
            {turns.map((turn, i) => (
              <ChatBubble
                key={i}
                role={turn.role}
                label={c(turn.role === 'user' ? 'chat_you' : 'chat_assistant')}
                text={turn.content}
                testId={!writing && i === turns.length - 1 && turn.role === 'assistant' ? 'chat-answer' : undefined}
              />
            ))}
            {writing && <ChatBubble role="assistant" label={c('chat_assistant')} text={writing.text} writing testId="chat-answer" />}
          </div>
          <div className="chat-status" aria-live="polite" data-testid="chat-status">
            {busy ? c('chat_sending') : answer?.stopped ? c('chat_stopped') : answer?.finish === 'length' ? c('chat_cut_length') : ''}
          </div>
          <ErrorMessage error={error} />
          <form className="chat-compose" onSubmit={send}>
            <Field label={c('chat_message')} id="chat-message" hint={c('chat_enter_hint')}>
              {(id, hint) => (
                <textarea id={id} rows={3} value={input} placeholder={c('chat_message_placeholder')} aria-describedby={hint} onChange={(e) => setInput(e.target.value)} onKeyDown={onKeyDown} />
              )}
            </Field>
            <div className="generate-row">
              {busy ? (
                <button type="button" className="btn btn-large" onClick={stop}>
                  {c('chat_stop')}
                </button>
              ) : (
                <button type="submit" className="btn btn-primary btn-large" disabled={!key || !model || !input.trim() || (key.livemode && !model.available)}>
                  {c('chat_send')}
                </button>
              )}
            </div>
          </form>
          <AnswerFacts answer={answer} balance={balance} />
        </Card>
      </div>
      {example && (
        <Card title={c('chat_code')}>
          <CodeBlock code={curlFor(window.location.origin, '/v1/chat/completions', streamedBody(example))} label="curl" testId="chat-curl" />
        </Card>
      )}
    </>
  );
}

function ChatBubble({ role, label, text, writing, testId }: { role: 'user' | 'assistant'; label: string; text: string; writing?: boolean; testId?: string }) {
  return (
    <div className={`chat-turn chat-${role}`}>
      <div className="chat-who muted small">{label}</div>
      <div className="chat-text" data-testid={testId} aria-busy={writing || undefined}>
        {text}
        {writing && <span className="chat-caret" aria-hidden="true" />}
      </div>
    </div>
  );
}

/** Tokens in and out and the cost: estimates while the answer is written, the upstream's usage once it ends. */
function AnswerFacts({ answer, balance }: { answer: Answer | null; balance: number | undefined }) {
  const { t, lang } = useI18n();
  const c = usePageMessages(chatMessages);
  const n = (v: number) => fmtNumber(v, lang);
  const credits = (v: number) => t('credits_n', { n: fmtCredits(v, lang) });
  let tokensIn = '—';
  let tokensOut = '—';
  let cost = '—';
  if (answer) {
    const rates = chatRates(answer.model);
    const u = answer.usage;
    tokensIn = u ? n(u.prompt_tokens) : answer.promptTokens === null ? '…' : c('chat_counted', { n: n(answer.promptTokens) });
    tokensOut = u ? n(u.completion_tokens) : c('chat_so_far', { n: n(answer.pieces) });
    if (!answer.livemode) cost = t('pg_cost_free');
    else if (u) cost = credits(chatCostCredits(u, rates));
    else cost = c('chat_cost_so_far', { n: credits(chatCostCredits({ prompt_tokens: answer.promptTokens ?? 0, completion_tokens: answer.pieces }, rates)) });
  }
  return (
    <dl className="kv compact pg-money chat-facts">
      <dt>{c('chat_tokens_in')}</dt>
      <dd data-testid="chat-tokens-in">{tokensIn}</dd>
      <dt>{c('chat_tokens_out')}</dt>
      <dd data-testid="chat-tokens-out">{tokensOut}</dd>
      <dt>{c('chat_cost')}</dt>
      <dd data-testid="chat-cost">{cost}</dd>
      <dt>{c('chat_ttft')}</dt>
      <dd data-testid="chat-ttft">{answer?.firstTokenMs === undefined ? '—' : c('chat_ms', { n: n(answer.firstTokenMs) })}</dd>
      <dt>{t('pg_balance_after')}</dt>
      <dd data-testid="chat-balance">{balance === undefined ? '…' : credits(balance)}</dd>
    </dl>
  );
}
