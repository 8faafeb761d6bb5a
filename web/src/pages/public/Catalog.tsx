import { ModelCard, typeLabel } from '../../components/model-card';
import { EmptyState, FilterSelect, Loaded, PageHeader } from '../../components/ui';
import { useTitle } from '../../hooks';
import { useI18n } from '../../i18n';
import { typesOf, useModels } from '../../models';
import { setQuery, useLocation } from '../../router';

export function Catalog() {
  const { t } = useI18n();
  const { search } = useLocation();
  const models = useModels();
  useTitle(t('catalog_title'));
  const type = search.get('type') ?? '';
  const provider = search.get('provider') ?? '';
  const all = models.data ?? [];
  const types = typesOf(all);
  const providers = [...new Set(all.map((m) => m.provider))].sort();
  const shown = all.filter((m) => (!type || m.type === type) && (!provider || m.provider === provider));
  return (
    <div className="container page">
      <PageHeader title={t('catalog_title')} lead={t('catalog_lead')} />
      <div className="filters" role="group" aria-label="Filters">
        <FilterSelect id="f-type" label={t('filter_type')} value={type} options={types} optionLabel={(x) => typeLabel(x, t)} onChange={(v) => setQuery({ type: v })} />
        <FilterSelect id="f-provider" label={t('filter_provider')} value={provider} options={providers} onChange={(v) => setQuery({ provider: v })} />
      </div>
      <Loaded
        state={models}
        empty={
          shown.length === 0 && (
            <EmptyState
              title={t('catalog_empty')}
              action={
                <button type="button" className="btn" onClick={() => setQuery({ type: null, provider: null })}>
                  {t('catalog_clear')}
                </button>
              }
            />
          )
        }
      >
        {() => (
          <div className="grid-cards">
            {shown.map((m) => (
              <ModelCard key={m.id} model={m} />
            ))}
          </div>
        )}
      </Loaded>
    </div>
  );
}
