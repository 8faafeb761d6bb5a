import { ModelCard, typeLabel } from '../../components/model-card';
import { EmptyState, ErrorMessage, Loading, PageHeader } from '../../components/ui';
import { useTitle } from '../../hooks';
import { useI18n } from '../../i18n';
import { useModels } from '../../models';
import { setQuery, useLocation } from '../../router';

export function Catalog() {
  const { t } = useI18n();
  const { search } = useLocation();
  const models = useModels();
  useTitle(t('catalog_title'));
  const type = search.get('type') ?? '';
  const provider = search.get('provider') ?? '';
  const all = models.data ?? [];
  const types = [...new Set(all.map((m) => m.output_type))].sort();
  const providers = [...new Set(all.map((m) => m.provider))].sort();
  const shown = all.filter((m) => (!type || m.output_type === type) && (!provider || m.provider === provider));
  return (
    <div className="container page">
      <PageHeader title={t('catalog_title')} lead={t('catalog_lead')} />
      <div className="filters" role="group" aria-label="Filters">
        <div className="field inline">
          <label htmlFor="f-type">{t('filter_type')}</label>
          <select id="f-type" value={type} onChange={(e) => setQuery({ type: e.target.value })}>
            <option value="">{t('all')}</option>
            {types.map((x) => (
              <option key={x} value={x}>
                {typeLabel(x, t)}
              </option>
            ))}
          </select>
        </div>
        <div className="field inline">
          <label htmlFor="f-provider">{t('filter_provider')}</label>
          <select id="f-provider" value={provider} onChange={(e) => setQuery({ provider: e.target.value })}>
            <option value="">{t('all')}</option>
            {providers.map((x) => (
              <option key={x} value={x}>
                {x}
              </option>
            ))}
          </select>
        </div>
      </div>
      {models.error ? (
        <ErrorMessage error={models.error} onRetry={models.reload} />
      ) : !models.data ? (
        <Loading />
      ) : shown.length === 0 ? (
        <EmptyState
          title={t('catalog_empty')}
          action={
            <button type="button" className="btn" onClick={() => setQuery({ type: null, provider: null })}>
              {t('catalog_clear')}
            </button>
          }
        />
      ) : (
        <div className="grid-cards">
          {shown.map((m) => (
            <ModelCard key={m.id} model={m} />
          ))}
        </div>
      )}
    </div>
  );
}
