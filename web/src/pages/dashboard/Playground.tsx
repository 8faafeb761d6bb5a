// Runs any model on the signed-in session with one of the person's keys, chosen by id: the
// browser never holds a secret. The form comes from the model's parameters; the request is the
// public API's body, sent to the dashboard's playground route with `wait`, and a task that is not
// finished by then is polled with its progress shown. Afterwards: what it cost, and the balance.
import { type CSSProperties, type FormEvent, useEffect, useRef, useState } from 'react';
import { StateBadge, TypeBadge, typeLabel } from '../../components/model-badges';
import { buildBody, fits, type FormValue, type FormValues, formParams, initialValues, missingRequired, ParamFields } from '../../components/param-form';
import { MediaFacts, TaskOutputView } from '../../components/task-output';
import { Alert, Badge, ErrorMessage, Loading } from '../../components/ui/basic';
import { CodeBlock } from '../../components/ui/code';
import { Field } from '../../components/ui/form';
import { Card, PageHeader, TaskStatusBadge } from '../../components/ui/page';
import { dashboardApi } from '../../dashboard-api';
import { curlFor } from '../../curl';
import { shortDataUrl } from '../../format';
import { fmtCredits } from '../../money';
import { useAction, useAsync, useStoredState, useTitle } from '../../hooks';
import { type Lang, type Translate, useI18n } from '../../i18n';
import { localize } from '../../i18n/model-texts';
import { byType, isTaskModel, useModels } from '../../models';
import { priceWords, rateLines } from '../../pricing';
import { Link, setQuery, useLocation } from '../../router';
import { useSession } from '../../session';
import type { ApiKey, Model, Task } from '../../types';
import { keyState } from './key-state';

const TERMINAL = ['succeeded', 'failed', 'canceled'];

/** How long the server may hold the answer: long jobs come back sooner, so their progress shows. */
const waitSeconds = (model: Model) => (model.type === 'video' ? 5 : 30);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The result frame's shape: the output's own, else the chosen size or aspect ratio. */
function frameRatio(model: Model, values: FormValues, task: Task | null): string {
  const out = task?.output?.images?.[0] ?? task?.output?.videos?.[0];
  if (out && task?.type !== 'tool') return `${out.width} / ${out.height}`;
  const size = values.size;
  const dims = typeof size === 'string' ? model.sizes?.[size] : undefined;
  if (dims) return `${dims.width} / ${dims.height}`;
  const ratio = [values.aspect_ratio, values.size].find((v): v is string => typeof v === 'string' && /^\d+:\d+$/.test(v));
  if (ratio) return ratio.replace(':', ' / ');
  if (model.type === 'video') return '16 / 9';
  if (model.type === 'audio') return '4 / 1';
  return '1 / 1';
}

/** The body as the curl example shows it: long data: URLs cut short. */
function displayBody(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, typeof v === 'string' ? shortDataUrl(v) : v]));
}

/** The curl of this request; with the upload first when a local picture went up as an `aio-file://` URI. */
function curlCode(model: Model, body: Record<string, unknown>): string {
  const origin = window.location.origin;
  const run = curlFor(origin, model.endpoint, displayBody(body), { headers: ['Prefer: wait'] });
  if (!Object.values(body).some((v) => typeof v === 'string' && v.startsWith('aio-file://'))) return run;
  return [
    '# 1. Upload the picture; the answer\'s "uri" (aio-file://...) is what the request takes',
    `curl -X POST ${origin}/api/v1/files \\`,
    '  -H "Authorization: Bearer aio_your_api_key" \\',
    '  -F file=@your-picture.png',
    '',
    '# 2. Run the model',
    run,
  ].join('\n');
}

/** Keys the playground may run with: not revoked, not expired. */
const usableKeys = (keys: ApiKey[]) => keys.filter((k) => keyState(k) !== 'revoked' && keyState(k) !== 'expired');

/** The models a key may use (its allow-list, or every model). */
const allowedFor = (key: ApiKey | undefined, models: Model[]) => (key?.allowed_models?.length ? models.filter((m) => key.allowed_models!.includes(m.id)) : models);

function KeyPicker({ keys, value, onChange }: { keys: ApiKey[]; value: ApiKey; onChange(id: string): void }) {
  const { t } = useI18n();
  const mode = (k: ApiKey) => t(k.livemode ? 'key_mode_live' : 'key_mode_test');
  return (
    <Field label={t('pg_key')} id="pg-key" hint={t(value.livemode ? 'pg_key_hint_live' : 'pg_key_hint_test')}>
      {(id, hint) => (
        <select id={id} value={value.id} aria-describedby={hint} onChange={(e) => onChange(e.target.value)}>
          {keys.map((k) => (
            <option key={k.id} value={k.id}>
              {t('pg_key_option', { name: k.name ?? '—', prefix: k.prefix, mode: mode(k) })}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** What the task cost, in words; then the balance once it has ended. */
function CostLines({ task, balance }: { task: Task | null; balance: number | undefined }) {
  const { t, lang } = useI18n();
  let text = '—';
  if (task) {
    const n = t('credits_n', { n: fmtCredits(task.cost.credits, lang) });
    text = !task.livemode
      ? t('pg_cost_free')
      : task.status === 'succeeded' && task.cost.charged
        ? t('pg_cost_charged', { n })
        : TERMINAL.includes(task.status)
          ? t('pg_cost_released', { n })
          : t('pg_cost_held', { n });
  }
  return (
    <dl className="kv compact pg-money">
      <dt>{t('task_cost')}</dt>
      <dd data-testid="pg-cost">{text}</dd>
      <dt>{t('pg_balance_after')}</dt>
      <dd data-testid="pg-balance">{balance === undefined ? '…' : t('credits_n', { n: fmtCredits(balance, lang) })}</dd>
    </dl>
  );
}

/** A finished image or video, whole, in the result frame; anything else as its type shows it. */
function ResultMedia({ task, model, localImage }: { task: Task; model: Model; localImage(value: string): string | undefined }) {
  const image = task.type === 'image' ? task.output?.images?.[0] : undefined;
  const video = task.type === 'video' ? task.output?.videos?.[0] : undefined;
  if (image) return <img className="frame-media" src={image.url} alt={String(task.input.prompt ?? '')} width={image.width} height={image.height} data-testid="pg-image" />;
  if (video)
    return <video className="frame-media" src={video.url} poster={video.thumbnail_url} width={video.width} height={video.height} controls playsInline preload="metadata" data-testid="pg-video" />;
  return <TaskOutputView task={task} model={model} prefix="pg" localImage={localImage} />;
}

export function Playground() {
  const { t, lang } = useI18n();
  const { user } = useSession();
  const { search } = useLocation();
  useTitle(t('pg_title'));
  const models = useModels();
  const keys = useAsync(() => dashboardApi.keys(), []);
  const account = useAsync(() => dashboardApi.account(), []);
  const [keyId, setKeyId] = useStoredState(`aio_playground_key_id:${user?.id ?? ''}`, '');
  const keyAction = useAction();
  const [keyNotice, setKeyNotice] = useState('');

  const usable = usableKeys(keys.data?.data ?? []);
  const key = usable.find((k) => k.id === keyId) ?? usable.find((k) => !k.livemode) ?? usable[0];
  // Task models only (a chat model answers at once on its own route), those this key may use.
  const all = (models.data ?? []).filter(isTaskModel);
  const list = allowedFor(key, all);
  const groups = byType(list);
  const model = list.find((m) => m.id === search.get('model')) ?? groups[0]?.[1][0];

  const [values, setValues] = useState<FormValues>({});
  const touched = useRef(new Set<string>());
  const [task, setTask] = useState<Task | null>(null);
  const [taskModel, setTaskModel] = useState<Model | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [elapsed, setElapsed] = useState(0);
  const abort = useRef<AbortController | null>(null);
  const localImages = useRef(new Map<string, string>());

  // A new model starts from its example request; what the person typed carries over where it fits.
  useEffect(() => {
    if (!model) return;
    setValues((old) => {
      const next = initialValues(model);
      for (const p of formParams(model)) {
        const v = old[p.name];
        if (touched.current.has(p.name) && v !== undefined && fits(p, v)) next[p.name] = v;
      }
      return next;
    });
  }, [model?.id]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => () => abort.current?.abort(), []);

  useEffect(() => {
    if (!busy) return;
    const started = Date.now();
    const id = setInterval(() => setElapsed(Math.round((Date.now() - started) / 1000)), 500);
    return () => clearInterval(id);
  }, [busy]);

  const createKey = () =>
    keyAction.run(async () => {
      // The secret is not kept: the playground runs with the key's id on this session.
      const created = await dashboardApi.createKey({ name: 'Playground', test: true });
      setKeyId(created.id);
      keys.setData({ object: 'list', data: [created, ...(keys.data?.data ?? [])] });
      setKeyNotice(t('pg_key_created'));
    });

  const uploadImage = async (file: File) => {
    if (!key) throw new Error(t('pg_image_need_key'));
    return (await dashboardApi.playgroundUpload(key.id, file)).uri;
  };

  const change = (name: string, value: FormValue) => {
    touched.current.add(name);
    setValues((v) => ({ ...v, [name]: value }));
  };

  async function run(e: FormEvent) {
    e.preventDefault();
    if (!model || !key) return;
    abort.current?.abort();
    const ctl = new AbortController();
    abort.current = ctl;
    setBusy(true);
    setError(undefined);
    setTask(null);
    setTaskModel(model);
    setElapsed(0);
    try {
      let current = await dashboardApi.playgroundRun(model.type, key.id, buildBody(model, values), { waitS: waitSeconds(model), signal: ctl.signal });
      setTask(current);
      let delay = 800;
      while (!TERMINAL.includes(current.status)) {
        await sleep(delay);
        if (ctl.signal.aborted) return;
        current = await dashboardApi.task(current.id, ctl.signal);
        setTask(current);
        delay = Math.min(delay * 1.5, 4000);
      }
    } catch (err) {
      if ((err as Error).name === 'AbortError') return;
      setError(err);
    } finally {
      if (!ctl.signal.aborted) {
        setBusy(false);
        account.reload();
        keys.reload();
      }
    }
  }

  if (models.error) return <ErrorMessage error={models.error} onRetry={models.reload} />;
  if (keys.error) return <ErrorMessage error={keys.error} onRetry={keys.reload} />;
  if (!models.data || !keys.data) return <Loading height={900} />;

  const balance = account.data ? account.data.balance + account.data.reserved : undefined;
  const shown = task && taskModel ? task : null;
  const resultModel = taskModel ?? model;

  return (
    <>
      <PageHeader title={t('pg_title')} lead={t('pg_lead')} />
      <div className="playground">
        <Card className="pg-form">
          <form onSubmit={run}>
            {keyNotice && <Alert kind="success">{keyNotice}</Alert>}
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
              <KeyPicker keys={usable} value={key} onChange={setKeyId} />
            )}
            {model && <ModelFields model={model} groups={groups} limited={list.length < all.length ? list.length : 0} liveKey={!!key?.livemode} />}
            {model && (
              <ParamFields
                model={model}
                values={values}
                onChange={change}
                upload={uploadImage}
                onLocalImage={(value, preview) => localImages.current.set(value, preview)}
                localImage={(value) => localImages.current.get(value)}
              />
            )}
            {model && (
              <div className="generate-row">
                <button
                  type="submit"
                  className="btn btn-primary btn-large"
                  disabled={busy || !key || missingRequired(model, values).length > 0 || (key.livemode && !model.available)}
                >
                  {busy ? t(model.type === 'tool' ? 'pg_running' : 'pg_generating') : t(model.type === 'tool' ? 'pg_run' : 'pg_generate')}
                </button>
                <span className="muted small">{key ? (key.livemode ? t('pg_cost_live', { price: priceText(model, t, lang) }) : t('pg_cost_test')) : ''}</span>
              </div>
            )}
          </form>
        </Card>
        <Card className="pg-result" title={t('pg_result')}>
          <ErrorMessage error={error} />
          {resultModel && (shown?.status !== 'succeeded' || shown.type === 'image' || shown.type === 'video') && (
            <div className="result-frame" style={{ aspectRatio: frameRatio(resultModel, values, shown) } as CSSProperties} aria-busy={busy}>
              {shown?.status === 'succeeded' ? (
                <ResultMedia task={shown} model={resultModel} localImage={(v) => localImages.current.get(v)} />
              ) : shown?.status === 'failed' || shown?.status === 'canceled' ? (
                <div className="result-empty neg">{shown.error?.message ?? t('err_task_failed')}</div>
              ) : busy ? (
                <div className="result-empty">
                  <span className="spinner" aria-hidden="true" />
                </div>
              ) : (
                <div className="result-empty muted">{t('pg_empty')}</div>
              )}
            </div>
          )}
          {shown?.status === 'succeeded' && resultModel && shown.type !== 'image' && shown.type !== 'video' && (
            <ResultMedia task={shown} model={resultModel} localImage={(v) => localImages.current.get(v)} />
          )}
          <ResultFacts task={shown} busy={busy} elapsed={elapsed} />
          <CostLines task={shown} balance={balance} />
        </Card>
      </div>
      {model && (
        <Card title={t('pg_code')}>
          <CodeBlock code={curlCode(model, buildBody(model, values))} label="curl" testId="pg-curl" />
        </Card>
      )}
    </>
  );
}

function priceText(model: Model, t: Translate, lang: Lang): string {
  const rates = rateLines(model.price, t, lang);
  return priceWords(model.price, t, lang) + (rates.length ? ` (${rates.map((r) => r.text).join(', ')})` : '');
}

/** The model picker: grouped by type, what runs live first; with the price and whether it runs live. */
function ModelFields({ model, groups, limited, liveKey }: { model: Model; groups: [string, Model[]][]; limited: number; liveKey: boolean }) {
  const { t, lang } = useI18n();
  return (
    <>
      <Field
        label={t('pg_model')}
        id="pg-model"
        hint={
          <>
            <span data-testid="pg-price">{priceText(model, t, lang)}</span>
            {limited > 0 && <> · {t('pg_models_limited', { n: limited })}</>}
          </>
        }
      >
        {(id, hint) => (
          <div className="model-picker">
            <select id={id} value={model.id} aria-describedby={hint} onChange={(e) => setQuery({ model: e.target.value })}>
              {groups.map(([type, ms]) => (
                <optgroup key={type} label={typeLabel(type, t)}>
                  {ms.map((m) => (
                    <option key={m.id} value={m.id} data-state={m.available ? 'live' : 'test_only'}>
                      {localize(m, lang).name} ({m.id}) · {t(m.available ? 'state_live' : 'state_test_only')}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
            <TypeBadge type={model.type} />
            <StateBadge model={model} />
          </div>
        )}
      </Field>
      {liveKey && !model.available && <Alert kind="warning">{t('pg_model_not_live')}</Alert>}
    </>
  );
}

/** Status, task id, progress and size of the result; the row keeps its place while empty. */
function ResultFacts({ task, busy, elapsed }: { task: Task | null; busy: boolean; elapsed: number }) {
  const { t } = useI18n();
  const image = task?.status === 'succeeded' && task.type === 'image' ? task.output?.images?.[0] : undefined;
  const video = task?.status === 'succeeded' && task.type === 'video' ? task.output?.videos?.[0] : undefined;
  const media = image ?? video;
  const pct = task?.progress === null || task?.progress === undefined ? null : Math.max(0, Math.min(100, Math.round(task.progress)));
  return (
    <div className="pg-facts">
      <div className="task-status-row" aria-live="polite" data-testid="pg-status">
        {task ? (
          <>
            <TaskStatusBadge status={task.status} />
            <code className="small">{task.id}</code>
            {busy && <span className="muted small">{t('pg_elapsed', { s: elapsed })}</span>}
            {!task.livemode && <Badge>{t('task_test')}</Badge>}
          </>
        ) : busy ? (
          <span className="muted small">{t('pg_waiting', { s: elapsed })}</span>
        ) : null}
      </div>
      {task && !TERMINAL.includes(task.status) && (
        <div className="progress-row" data-testid="pg-progress">
          <progress max={100} value={pct ?? undefined} aria-label={t('pg_progress')} />
          <span className="muted small">{pct === null ? t(`task_status_${task.status}` as 'task_status_queued') : `${pct}%`}</span>
        </div>
      )}
      {media && (
        <div className="row-actions spread">
          {image ? <MediaFacts image={image} /> : <MediaFacts video={video} />}
          <span className="row-actions">
            <a className="btn btn-small" href={media.url} download={`${task!.id}.${image ? image.format : 'mp4'}`}>
              {t('download')}
            </a>
            <a className="btn btn-small" href={media.url} target="_blank" rel="noreferrer">
              {t('open_full')}
            </a>
          </span>
        </div>
      )}
      {task && (
        <div className="row-actions">
          <Link className="btn btn-small btn-ghost" to={`/dashboard/usage/${task.id}`}>
            {t('pg_view_task')}
          </Link>
        </div>
      )}
    </div>
  );
}
