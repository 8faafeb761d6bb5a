// Generates with the PUBLIC API and the person's own key, exactly as their code would, then
// polls the task until it is finished.
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Alert, Badge, Card, CodeBlock, ErrorMessage, Field, Loading, PageHeader, TaskStatusBadge } from '../../components/ui';
import { ApiError, dashboardApi, publicApi } from '../../api';
import { curlFor } from '../../format';
import { useAction, useTitle } from '../../hooks';
import { localize, useI18n } from '../../i18n';
import { useModels } from '../../models';
import { forgetPlaygroundKey, loadPlaygroundKey, savePlaygroundKey } from '../../playground-key';
import { Link, setQuery, useLocation } from '../../router';
import { useSession } from '../../session';
import type { Model, Task } from '../../types';

const TERMINAL = ['succeeded', 'failed', 'canceled'];

function paramValues(model: Model | undefined, name: string): { values: string[]; def: string } {
  const p = model?.parameters.find((x) => x.name === name);
  return { values: p?.values ?? [], def: p?.default ?? '' };
}

/** A labelled <select> of a model parameter's allowed values. */
function ValuesField({ label, id, hint, value, values, onChange }: { label: string; id: string; hint?: string; value: string; values: string[]; onChange(value: string): void }) {
  return (
    <Field label={label} id={id} hint={hint}>
      {(fieldId, hintId) => (
        <select id={fieldId} value={value} onChange={(e) => onChange(e.target.value)} aria-describedby={hintId}>
          {values.map((v) => (
            <option key={v}>{v}</option>
          ))}
        </select>
      )}
    </Field>
  );
}

export function Playground() {
  const { t, lang } = useI18n();
  const { user } = useSession();
  const { search } = useLocation();
  useTitle(t('pg_title'));
  const models = useModels();
  const list = models.data ?? [];
  const modelId = search.get('model') ?? list[0]?.id ?? '';
  const model = list.find((m) => m.id === modelId) ?? list[0];

  const [key, setKey] = useState(() => (user ? (loadPlaygroundKey(user.id)?.key ?? '') : ''));
  const [showKey, setShowKey] = useState(false);
  const [keyNotice, setKeyNotice] = useState('');
  const keyAction = useAction();

  const [prompt, setPrompt] = useState('');
  const [size, setSize] = useState('');
  const [speed, setSpeed] = useState('');
  const [format, setFormat] = useState('');
  const [seed, setSeed] = useState('');
  const [negative, setNegative] = useState('');
  const [task, setTask] = useState<Task | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [elapsed, setElapsed] = useState(0);
  const abort = useRef<AbortController | null>(null);

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

  // The model's own defaults whenever the model changes.
  useEffect(() => {
    if (!model) return;
    setSize(paramValues(model, 'size').def);
    setSpeed(paramValues(model, 'rendering_speed').def);
    setFormat(paramValues(model, 'output_format').def);
    setPrompt((p) => p || model.example_prompt);
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

  const body: Record<string, unknown> = model ? { model: model.id, prompt, size, rendering_speed: speed, output_format: format } : {};
  if (seed.trim()) body.seed = Number(seed);
  if (negative.trim()) body.negative_prompt = negative.trim();

  async function generate(e: FormEvent) {
    e.preventDefault();
    if (!model || !key.trim()) return;
    abort.current?.abort();
    const ctl = new AbortController();
    abort.current = ctl;
    setBusy(true);
    setError(undefined);
    setTask(null);
    setElapsed(0);
    try {
      let current = await publicApi.generate(key.trim(), body);
      setTask(current);
      while (!TERMINAL.includes(current.status)) {
        await new Promise((r) => setTimeout(r, 700));
        if (ctl.signal.aborted) return;
        current = await publicApi.task(key.trim(), current.id, ctl.signal);
        setTask(current);
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
  const img = task?.output?.images[0];
  const sizes = paramValues(model, 'size').values;
  const speeds = paramValues(model, 'rendering_speed').values;
  const formats = paramValues(model, 'output_format').values;
  const hasSeed = model.parameters.some((p) => p.name === 'seed');
  const hasNegative = model.parameters.some((p) => p.name === 'negative_prompt');
  const dims = model.sizes[size];
  const authError = error instanceof ApiError && error.status === 401;

  return (
    <>
      <PageHeader title={t('pg_title')} lead={t('pg_lead')} />
      <div className="playground">
        <Card className="pg-form">
          <form onSubmit={generate}>
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
            <Field label={t('pg_model')} id="pg-model">
              {(id) => (
                <select id={id} value={model.id} onChange={(e) => setQuery({ model: e.target.value })}>
                  {list.map((m) => (
                    <option key={m.id} value={m.id}>
                      {localize(m, lang).name} ({m.id}) — {t('credits_n', { n: m.price.credits })}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label={t('pg_prompt')} id="pg-prompt">
              {(id) => <textarea id={id} name="prompt" rows={4} required maxLength={4000} value={prompt} onChange={(e) => setPrompt(e.target.value)} />}
            </Field>
            <div className="form-row-2">
              <ValuesField label={t('pg_size')} id="pg-size" hint={dims ? `${dims.width}×${dims.height}` : undefined} value={size} values={sizes} onChange={setSize} />
              <ValuesField label={t('pg_speed')} id="pg-speed" value={speed} values={speeds} onChange={setSpeed} />
              <ValuesField label={t('pg_format')} id="pg-format" value={format} values={formats} onChange={setFormat} />
              {hasSeed && (
                <Field label={t('pg_seed')} hint={t('pg_seed_hint')} id="pg-seed" optional>
                  {(id, hint) => <input id={id} type="number" min={0} max={2147483647} step={1} value={seed} aria-describedby={hint} onChange={(e) => setSeed(e.target.value)} />}
                </Field>
              )}
            </div>
            {hasNegative && (
              <Field label={t('pg_negative')} id="pg-negative" optional>
                {(id) => <input id={id} value={negative} onChange={(e) => setNegative(e.target.value)} />}
              </Field>
            )}
            <div className="generate-row">
              <button type="submit" className="btn btn-primary btn-large" disabled={busy || !key.trim() || !prompt.trim()}>
                {busy ? t('pg_generating') : t('pg_generate')}
              </button>
              <span className="muted small">{key.trim() ? (isTest ? t('pg_cost_test') : t('pg_cost_live', { credits: model.price.credits })) : ''}</span>
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
          <div className="result-frame" style={dims ? { aspectRatio: `${dims.width} / ${dims.height}` } : undefined} aria-busy={busy}>
            {img ? (
              <img src={img.url} alt={prompt} data-testid="pg-image" width={img.width} height={img.height} />
            ) : task?.status === 'failed' || task?.status === 'canceled' ? (
              <div className="result-empty neg">{task.error?.message ?? t('err_image_failed')}</div>
            ) : busy ? (
              <div className="result-empty">
                <span className="spinner" aria-hidden="true" />
              </div>
            ) : (
              <div className="result-empty muted">{t('pg_empty')}</div>
            )}
          </div>
          {task && (
            <div className="task-status-row" aria-live="polite" data-testid="pg-status">
              <TaskStatusBadge status={task.status} />
              <code className="small">{task.id}</code>
              {busy && <span className="muted small">{t('pg_elapsed', { s: elapsed })}</span>}
              {!task.livemode && <Badge>{t('task_test')}</Badge>}
            </div>
          )}
          {img && (
            <div className="row-actions">
              <a className="btn btn-primary btn-small" href={img.url} download={`${task!.id}.${img.format}`}>
                {t('download')}
              </a>
              <a className="btn btn-small" href={img.url} target="_blank" rel="noreferrer">
                {t('open_full')}
              </a>
              <Link className="btn btn-small btn-ghost" to={`/dashboard/usage/${task!.id}`}>
                {t('pg_view_task')}
              </Link>
            </div>
          )}
        </Card>
      </div>
      <Card title={t('pg_code')}>
        <CodeBlock code={curlFor(window.location.origin, body)} label="curl" />
      </Card>
    </>
  );
}
