// One model's API page: every fact comes from GET /api/v1/models/:id (the catalog). The first
// screen (what it is, whether it runs live, its facts and capabilities) is this chunk; the rest
// (parameters, examples, output, steps, price, FAQ, related models) comes in a second one, so the
// first load stays small.
import '../../i18n/model-page';
import { lazy, Suspense } from 'react';
import { StateBadge, typeLabel } from '../../components/model-badges';
import { Alert, ButtonLink, EmptyState, ErrorMessage, Loading } from '../../components/ui/basic';
import { ApiError, publicApi } from '../../api';
import { useAsync, useTitle } from '../../hooks';
import { useI18n } from '../../i18n';
import { localize } from '../../i18n/model-texts';
import { isTaskModel, modelState } from '../../models';
import { Link } from '../../router';
import { useSession } from '../../session';
import type { Model } from '../../types';

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

function ModelDoc({ model }: { model: Model }) {
  const { t, lang } = useI18n();
  const { user } = useSession();
  const texts = localize(model, lang);
  const endpoint = model.endpoint;
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
          </section>

          {/* As tall as a screen while it loads: nothing below moves into view. */}
          <Suspense fallback={<div className="page-fallback" />}>
            <ModelPageMore model={model} />
          </Suspense>
        </div>
      </div>
    </div>
  );
}
