// Runs any model with the PUBLIC API and the person's own key, exactly as their code would: the
// form comes from the model's parameters, the request goes to the model's endpoint with
// `Prefer: wait`, and a task that is not finished by then is polled, with its progress shown.
import { type CSSProperties, type FormEvent, useEffect, useRef, useState } from 'react';
import { TypeBadge, typeLabel } from '../../components/model-card';
import { buildBody, fits, type FormValue, type FormValues, formParams, initialValues, missingRequired, ParamFields } from '../../components/param-form';
import { TaskOutputView } from '../../components/task-output';
import { Alert, Badge, Card, CodeBlock, ErrorMessage, Field, Loading, PageHeader, TaskStatusBadge } from '../../components/ui';
import { ApiError, dashboardApi, publicApi } from '../../api';
import { curlFor, fmtCredits, shortDataUrl } from '../../format';
import { useAction, useTitle } from '../../hooks';
import { localize, useI18n } from '../../i18n';
import { byType, isTaskModel, useModels } from '../../models';
import { forgetPlaygroundKey, loadPlaygroundKey, savePlaygroundKey } from '../../playground-key';
import { priceWords, rateLines } from '../../pricing';
import { Link, setQuery, useLocation } from '../../router';
import { useSession } from '../../session';
import type { Model, Task } from '../../types';

const TERMINAL = ['succeeded', 'failed', 'canceled'];

/** How long the server may hold the answer: long jobs come back sooner, so their progress shows. */
const waitSeconds = (model: Model) => (model.type === 'video' ? 5 : 30);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The empty result frame's shape before anything ran: the chosen size or aspect ratio. */
function frameRatio(model: Model, values: FormValues): string | undefined {
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

function Progress({ task }: { task: Task }) {
  const { t } = useI18n();
  const pct = task.progress === null ? null : Math.max(0, Math.min(100, Math.round(task.progress)));
  return (
    <div className="progress-row" data-testid="pg-progress">
      <progress max={100} value={pct ?? undefined} aria-label={t('pg_progress')} />
      <span className="muted small">{pct === null ? t(`task_status_${task.status}` as 'task_status_queued') : `${pct}%`}</span>
    </div>
  );
}

function TaskCost({ task }: { task: Task }) {
  const { t, lang } = useI18n();
  const n = fmtCredits(task.cost.credits, lang);
  const text = !task.livemode
    ? t('pg_cost_free')
    : task.status === 'succeeded' && task.cost.charged
      ? t('pg_cost_charged', { n })
      : TERMINAL.includes(task.status)
        ? t('pg_cost_released', { n })
        : t('pg_cost_held', { n });
  return (
    <p className="small" data-testid="pg-cost">
      <strong>{t('task_cost')}:</strong> {text}
    </p>
  );
}

export function Playground() {
  const { t, lang } = useI18n();
  const { user } = useSession();
  const { search } = useLocation();
  useTitle(t('pg_title'));
  const models = useModels();
  // Task models only: a chat model answers at once on its own route, not with a task.
  const list = (models.data ?? []).filter(isTaskModel);
  const groups = byType(list);
  const first = groups[0]?.[1][0];
  const model = list.find((m) => m.id === search.get('model')) ?? first;

  const [key, setKey] = useState(() => (user ? (loadPlaygroundKey(user.id)?.key ?? '') : ''));
  const [showKey, setShowKey] = useState(false);
  const [keyNotice, setKeyNotice] = useState('');
  const keyAction = useAction();

  const [values, setValues] = useState<FormValues>({});
  const touched = useRef(new Set<string>());
  const [task, setTask] = useState<Task | null>(null);
  const [taskModel, setTaskModel] = useState<Model | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [elapsed, setElapsed] = useState(0);
  const abort = useRef<AbortController | null>(null);
  const localImages = useRef(new Map<string, string>());

  // A stored key that was revoked meanwhile is forgotten (the server would refuse it anyway).
  useEffect(() => {
    if (!user) return;
    const stored = loadPlaygroundKey(user.id);
    if (!stored) return;
    dashboardApi.keys().then(
      (r) => {
        const k = r.data.find((x) => x.id === stored.id);
        if (!k || k.revoked_at) {
          forgetPlaygroundKey(user.id);
          setKey((current) => (current === stored.key ? '' : current));
          setKeyNotice(t('pg_key_revoked'));
        }
      },
      () => undefined,
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [user]);

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
    user &&
    keyAction.run(async () => {
      const k = await dashboardApi.createKey({ name: 'Playground', test: true });
      savePlaygroundKey(user.id, { id: k.id, key: k.key, prefix: k.prefix, livemode: k.livemode, name: k.name });
      setKey(k.key);
      setKeyNotice(t('pg_key_created'));
    });

  const uploadImage = async (file: File) => {
    if (!key.trim()) throw new Error(t('pg_image_need_key'));
    return (await publicApi.upload(key.trim(), file)).uri;
  };

  const change = (name: string, value: FormValue) => {
    touched.current.add(name);
    setValues((v) => ({ ...v, [name]: value }));
  };

  async function run(e: FormEvent) {
    e.preventDefault();
    if (!model || !key.trim()) return;
    abort.current?.abort();
    const ctl = new AbortController();
    abort.current = ctl;
    const secret = key.trim();
    setBusy(true);
    setError(undefined);
    setTask(null);
    setTaskModel(model);
    setElapsed(0);
    try {
      let current = await publicApi.submit(secret, model.endpoint, buildBody(model, values), { waitS: waitSeconds(model), signal: ctl.signal });
      setTask(current);
      let delay = 800;
      while (!TERMINAL.includes(current.status)) {
        await sleep(delay);
        if (ctl.signal.aborted) return;
        current = await publicApi.task(secret, current.id, ctl.signal, model.task_endpoint);
        setTask(current);
        delay = Math.min(delay * 1.5, 4000);
      }
    } catch (err) {
      if ((err as Error).name === 'AbortError') return;
      setError(err);
    } finally {
      if (!ctl.signal.aborted) setBusy(false);
    }
  }

  if (models.error) return <ErrorMessage error={models.error} onRetry={models.reload} />;
  if (!model) return <Loading height={500} />;

  const isTest = key.trim().startsWith('aio_test_');
  const body = buildBody(model, values);
  const missing = missingRequired(model, values);
  const authError = error instanceof ApiError && error.status === 401;
  const rates = rateLines(model.price, t, lang);
  const price = priceWords(model.price, t, lang) + (rates.length ? ` (${rates.map((r) => r.text).join(', ')})` : '');
  const shown = task && taskModel ? task : null;
  const finished = shown?.status === 'succeeded';

  return (
    <>
      <PageHeader title={t('pg_title')} lead={t('pg_lead')} />
      <div className="playground">
        <Card className="pg-form">
          <form onSubmit={run}>
            {keyNotice && <Alert kind={keyNotice === t('pg_key_created') ? 'success' : 'warning'}>{keyNotice}</Alert>}
            {!key.trim() && (
              <div className="callout" data-testid="no-key">
                <strong>{t('pg_no_key_title')}</strong>
                <p className="muted">{t('pg_no_key_body')}</p>
                <ErrorMessage error={keyAction.error} />
                <button type="button" className="btn btn-primary" onClick={createKey} disabled={keyAction.busy}>
                  {keyAction.busy ? t('pg_creating_key') : t('pg_create_key')}
                </button>
              </div>
            )}
            <Field label={t('pg_key')} hint={t('pg_key_hint')} id="pg-key">
              {(id, hint) => (
                <div className="input-group">
                  <input
                    id={id}
                    name="api_key"
                    className="mono"
                    type={showKey ? 'text' : 'password'}
                    autoComplete="off"
                    spellCheck={false}
                    placeholder="aio_test_…"
                    value={key}
                    aria-describedby={hint}
                    onChange={(e) => setKey(e.target.value)}
                  />
                  <button type="button" className="btn" onClick={() => setShowKey(!showKey)} aria-pressed={showKey}>
                    {showKey ? t('pg_key_hide') : t('pg_key_show')}
                  </button>
                </div>
              )}
            </Field>
            <Field label={t('pg_model')} id="pg-model" hint={<span data-testid="pg-price">{price}</span>}>
              {(id, hint) => (
                <div className="model-picker">
                  <select id={id} value={model.id} aria-describedby={hint} onChange={(e) => setQuery({ model: e.target.value })}>
                    {groups.map(([type, ms]) => (
                      <optgroup key={type} label={typeLabel(type, t)}>
                        {ms.map((m) => (
                          <option key={m.id} value={m.id}>
                            {localize(m, lang).name} ({m.id})
                          </option>
                        ))}
                      </optgroup>
                    ))}
                  </select>
                  <TypeBadge type={model.type} />
                </div>
              )}
            </Field>
            <ParamFields model={model} values={values} onChange={change} upload={uploadImage} onLocalImage={(value, preview) => localImages.current.set(value, preview)}
              localImage={(value) => localImages.current.get(value)}
            />
            <div className="generate-row">
              <button type="submit" className="btn btn-primary btn-large" disabled={busy || !key.trim() || missing.length > 0}>
                {busy ? t(model.type === 'tool' ? 'pg_running' : 'pg_generating') : t(model.type === 'tool' ? 'pg_run' : 'pg_generate')}
              </button>
              <span className="muted small">{key.trim() ? (isTest ? t('pg_cost_test') : t('pg_cost_live', { price })) : ''}</span>
            </div>
          </form>
        </Card>
        <Card className="pg-result" title={t('pg_result')}>
          <ErrorMessage error={error} />
          {authError && (
            <p className="small">
              <Link to="/dashboard/keys">{t('dash_keys')} →</Link>
            </p>
          )}
          {finished && shown && taskModel ? (
            <TaskOutputView task={shown} model={taskModel} prefix="pg" localImage={(value) => localImages.current.get(value)} />
          ) : (
            <div className="result-frame" style={{ aspectRatio: frameRatio(taskModel ?? model, values) } as CSSProperties} aria-busy={busy}>
              {shown?.status === 'failed' || shown?.status === 'canceled' ? (
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
          {shown && (
            <div className="task-status-row" aria-live="polite" data-testid="pg-status">
              <TaskStatusBadge status={shown.status} />
              <code className="small">{shown.id}</code>
              {busy && <span className="muted small">{t('pg_elapsed', { s: elapsed })}</span>}
              {!shown.livemode && <Badge>{t('task_test')}</Badge>}
            </div>
          )}
          {shown && !TERMINAL.includes(shown.status) && <Progress task={shown} />}
          {busy && !shown && <p className="muted small">{t('pg_waiting', { s: elapsed })}</p>}
          {shown && <TaskCost task={shown} />}
          {shown && (
            <div className="row-actions">
              <Link className="btn btn-small btn-ghost" to={`/dashboard/usage/${shown.id}`}>
                {t('pg_view_task')}
              </Link>
            </div>
          )}
        </Card>
      </div>
      <Card title={t('pg_code')}>
        <CodeBlock code={curlCode(model, body)} label="curl" testId="pg-curl" />
      </Card>
    </>
  );
}
