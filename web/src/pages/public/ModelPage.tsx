// One model's API page: every fact comes from GET /api/v1/models/:id (the catalog). What is below
// the example (output, steps, price, use cases, FAQ, related models) comes in a second chunk, so
// the first load stays small.
import '../../i18n/model-page';
import { lazy, Suspense } from 'react';
import { StateBadge, typeLabel } from '../../components/model-badges';
import { Alert, Badge, ButtonLink, EmptyState, ErrorMessage, Loading } from '../../components/ui/basic';
import { CodeBlock } from '../../components/ui/code';
import { DataTable } from '../../components/ui/table';
import { ApiError, publicApi } from '../../api';
import { curlFor } from '../../curl';
import { useAsync, useTitle } from '../../hooks';
import { type Translate, useI18n, paramDescription } from '../../i18n';
import { localize } from '../../i18n/model-texts';
import { isTaskModel, modelState, useModels } from '../../models';
import { Link } from '../../router';
import { useSession } from '../../session';
import type { Model, ParameterView } from '../../types';

const ModelPageMore = lazy(() => import('./ModelPageMore'));

export function ModelPage({ id }: { id: string }) {
  const { t } = useI18n();
  const model = useAsync(() => publicApi.model(id), [id]);
  useTitle(model.data ? t('model_h1', { id: model.data.id }) : id);
  if (model.error) {
    const missing = model.error instanceof ApiError && model.error.status === 404;
    return (
      <div className="container page">
        {missing ? (
          <EmptyState title={t('not_found_title')} action={<ButtonLink to="/models">{t('all_models')}</ButtonLink>}>
            {t('model_not_found', { id })}
          </EmptyState>
        ) : (
          <ErrorMessage error={model.error} onRetry={model.reload} />
        )}
      </div>
    );
  }
  if (!model.data || model.data.id !== id) return <div className="container page"><Loading height={600} /></div>;
  return <ModelDoc model={model.data} />;
}

const SECTIONS = [
  ['capabilities', 'caps_title'],
  ['parameters', 'params_title'],
  ['example', 'example_title'],
  ['answer', 'answer_title'],
  ['output', 'output_title'],
  ['steps', 'steps_title'],
  ['task-status', 'status_title'],
  ['price', 'price_title'],
  ['use-cases', 'use_cases_title'],
  ['faq', 'faq_title'],
] as const;

/** The allowed values of a parameter in the table: its choices, its range, or its length. */
function Allowed({ p, model, t }: { p: ParameterView; model: Model; t: Translate }) {
  if (p.values)
    return (
      <span className="chips">
        {p.values.map((v) => {
          const dims = p.name === 'size' ? model.sizes?.[String(v)] : undefined;
          return (
            <code key={String(v)} className="chip" title={dims ? `${dims.width}×${dims.height}` : undefined}>
              {String(v)}
            </code>
          );
        })}
      </span>
    );
  if (p.type === 'boolean') return <span className="chips"><code className="chip">true</code><code className="chip">false</code></span>;
  if (p.minimum !== undefined || p.maximum !== undefined)
    return <span className="nowrap">{t('param_range', { min: p.minimum ?? '−∞', max: p.maximum ?? '∞' })}</span>;
  if (p.maxLength !== undefined) return <span className="nowrap">{t('param_max_length', { n: p.maxLength })}</span>;
  if (p.widget === 'image') return <span>{t('param_image_values')}</span>;
  return <span className="muted">—</span>;
}

function ModelDoc({ model }: { model: Model }) {
  const { t, lang } = useI18n();
  const { user } = useSession();
  const all = useModels();
  const texts = localize(model, lang);
  const origin = window.location.origin;
  const endpoint = model.endpoint;
  const curl = curlFor(origin, endpoint, model.example);
  const sameEndpoint = (all.data ?? []).filter((m) => m.id !== model.id && m.endpoint === model.endpoint);
  const task = isTaskModel(model);
  const live = modelState(model) === 'live';

  return (
    <div className="container page model-page">
      <nav className="breadcrumb" aria-label={t('breadcrumb')}>
        <Link to="/models">{t('nav_models')}</Link>
        <span aria-hidden="true">/</span>
        <span aria-current="page">{texts.name}</span>
      </nav>
      <header className="model-hero">
        <StateBadge model={model} label={t(live ? 'model_badge_live' : 'model_badge_test_only', { type: typeLabel(model.type, t) })} />
        <h1 tabIndex={-1}>{t('model_h1', { id: model.id })}</h1>
        <p className="lead">{texts.description}</p>
        <div className="hero-actions">
          <ButtonLink to={`/dashboard/playground?model=${encodeURIComponent(model.id)}`}>{t('model_try')}</ButtonLink>
          <ButtonLink to={user ? '/dashboard/keys' : '/signup'} kind="secondary">
            {t('model_get_key')}
          </ButtonLink>
        </div>
        {!live && (
          <div className="model-hero-alert">
            <Alert kind="warning">{t('model_unavailable')}</Alert>
          </div>
        )}
      </header>

      <dl className="facts" data-testid="facts">
        <div className="fact">
          <dt>{t('fact_model_id')}</dt>
          <dd>
            <code data-testid="model-id">{model.id}</code>
          </dd>
          <dd className="fact-note">{t('fact_model_id_note')}</dd>
        </div>
        <div className="fact fact-wide">
          <dt>{t('fact_endpoint')}</dt>
          <dd>
            <code data-testid="endpoint">{endpoint}</code>
          </dd>
          <dd className="fact-note">{t('fact_endpoint_note')}</dd>
        </div>
        <div className="fact">
          <dt>{t('fact_output')}</dt>
          <dd>
            <code>{model.output_type}</code>
          </dd>
          <dd className="fact-note">{t('fact_input_types', { types: model.input_types.join(', ') })}</dd>
        </div>
        <div className="fact">
          <dt>{t('fact_auth')}</dt>
          <dd>{t('fact_auth_value')}</dd>
          <dd className="fact-note">{t('fact_auth_note')}</dd>
        </div>
        <div className="fact">
          <dt>{t('fact_webhook')}</dt>
          <dd>{t('fact_webhook_value')}</dd>
          <dd className="fact-note">{t('fact_webhook_note')}</dd>
        </div>
      </dl>

      <div className="doc-layout">
        <aside className="toc" aria-label={t('on_this_page')}>
          <ul>
            {SECTIONS.filter(([anchor]) => task || (anchor !== 'task-status' && anchor !== 'answer')).map(([anchor, key]) => (
              <li key={anchor}>
                <a href={`#${anchor}`}>{t(key)}</a>
              </li>
            ))}
          </ul>
        </aside>
        <div className="doc">
          <section id="capabilities" className="doc-section">
            <h2>{t('caps_title')}</h2>
            <p className="muted">{t('caps_lead')}</p>
            <ul className="checklist">
              {texts.capabilities.map((c) => (
                <li key={c}>{c}</li>
              ))}
            </ul>
            <h3>{t('request_title')}</h3>
            <p className="muted">{t('request_body')}</p>
          </section>

          <section id="parameters" className="doc-section">
            <h2>{t('params_title')}</h2>
            <DataTable
              className="params"
              testId="params"
              columns={[{ label: t('param_name') }, { label: t('param_type') }, { label: t('param_values') }, { label: t('param_default') }, { label: t('param_required') }]}
            >
              {model.parameters.map((p) => (
                <tr key={p.name} data-param={p.name}>
                  <td>
                    <code className="param-name">{p.name}</code>
                    <div className="muted small">{paramDescription(p, lang, model.type)}</div>
                  </td>
                  <td>
                    <code className="muted">{p.type}</code>
                  </td>
                  <td>
                    <Allowed p={p} model={model} t={t} />
                  </td>
                  <td data-testid={`default-${p.name}`} className="nowrap">
                    {p.default !== undefined ? <code>{String(p.default)}</code> : <span className="muted">—</span>}
                  </td>
                  <td>{p.required ? <Badge tone="red">{t('required')}</Badge> : <Badge>{t('optional_cap')}</Badge>}</td>
                </tr>
              ))}
            </DataTable>
          </section>

          <section id="example" className="doc-section">
            <h2>{t('example_title')}</h2>
            <p className="muted">{t('example_lead')}</p>
            <CodeBlock code={curl} label="curl" testId="curl" />
            <h3>{t('switch_title')}</h3>
            <p className="muted">{t('switch_lead')}</p>
            {sameEndpoint.length ? (
              <span className="chips">
                {sameEndpoint.map((m) => (
                  <Link key={m.id} to={`/models/${m.id}`} className="chip chip-link">
                    <code>{m.id}</code>
                  </Link>
                ))}
              </span>
            ) : (
              <p className="muted small">{all.data ? t('switch_none') : t('loading')}</p>
            )}
          </section>

          <Suspense fallback={<div className="more-fallback" />}>
            <ModelPageMore model={model} sameEndpoint={sameEndpoint} listed={!!all.data} />
          </Suspense>
        </div>
      </div>
    </div>
  );
}
