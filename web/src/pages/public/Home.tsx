import { TypeBadge } from '../../components/model-badges';
import { ModelCard } from '../../components/model-card';
import '../../i18n/en-home';
import { ButtonLink, Loaded } from '../../components/ui/basic';
import { curlFor } from '../../curl';
import { useTitle } from '../../hooks';
import { useI18n } from '../../i18n';
import { byType, liveFirst, typesOf, useModels } from '../../models';
import { Link } from '../../router';
import { useSession } from '../../session';

export function Home() {
  const { t } = useI18n();
  const { user } = useSession();
  const models = useModels();
  useTitle('');
  // The example is a model that runs live here, when there is one.
  const first = liveFirst(models.data ?? [])[0];
  const sample = first
    ? curlFor(window.location.origin, first.endpoint, first.example)
    : curlFor(window.location.origin, '/api/v1/images/generations', { model: 'ideogram-v4', prompt: 'A poster reading "HELLO"' });
  // A few models of every type, so each modality shows on the home page; what runs live first.
  const groups = byType(models.data ?? []);
  const featured = liveFirst(groups.flatMap(([, list]) => list.slice(0, Math.max(2, Math.ceil(6 / groups.length)))));
  const types = typesOf(models.data ?? []);
  return (
    <>
      <section className="hero">
        <div className="container hero-inner">
          <div className="hero-copy">
            <div className="eyebrow">{t('home_eyebrow')}</div>
            <h1 tabIndex={-1}>{t('home_title')}</h1>
            <p className="lead">{t('home_lead')}</p>
            <div className="hero-actions">
              {user ? <ButtonLink to="/dashboard">{t('home_cta_dashboard')}</ButtonLink> : <ButtonLink to="/signup">{t('home_cta_start')}</ButtonLink>}
              <ButtonLink to="/models" kind="secondary">
                {t('home_cta_models')}
              </ButtonLink>
            </div>
          </div>
          <div className="hero-code" aria-hidden="true">
            <div className="window-dots">
              <span />
              <span />
              <span />
            </div>
            <pre>
              <code>{sample}</code>
            </pre>
          </div>
        </div>
      </section>
      <section className="container section">
        <h2 className="section-title">{t('home_steps_title')}</h2>
        <ol className="steps steps-3">
          {(
            [
              ['home_step1_title', 'home_step1_body'],
              ['home_step2_title', 'home_step2_body'],
              ['home_step3_title', 'home_step3_body'],
            ] as const
          ).map(([title, body], i) => (
            <li key={title} className="step">
              <span className="step-n">{String(i + 1).padStart(2, '0')}</span>
              <h3>{t(title)}</h3>
              <p className="muted">{t(body)}</p>
            </li>
          ))}
        </ol>
      </section>
      <section className="container section">
        <div className="section-head">
          <h2 className="section-title">{t('home_models_title')}</h2>
          <ButtonLink to="/models" kind="ghost">
            {t('home_all_models')} →
          </ButtonLink>
        </div>
        {types.length > 1 && (
          <p className="type-links">
            {types.map((type) => (
              <Link key={type} to={`/models?type=${type}`} className="type-link">
                <TypeBadge type={type} />
              </Link>
            ))}
          </p>
        )}
        <p className="muted small state-legend">{t('state_legend')}</p>
        <Loaded state={models} height={600}>
          {() => (
            <div className="grid-cards">
              {featured.map((m) => (
                <ModelCard key={m.id} model={m} />
              ))}
            </div>
          )}
        </Loaded>
      </section>
    </>
  );
}
