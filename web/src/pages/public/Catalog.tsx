import { typeLabel } from '../../components/model-badges';
import { ModelCard } from '../../components/model-card';
import { EmptyState, Loaded } from '../../components/ui/basic';
import { FilterSelect } from '../../components/ui/form';
import { PageHeader } from '../../components/ui/page';
import { useTitle } from '../../hooks';
import { useI18n } from '../../i18n';
import { byType, liveFirst, type ModelState, modelState, typesOf, useModels } from '../../models';
import { setQuery, useLocation } from '../../router';

const STATES: ModelState[] = ['live', 'test_only'];

export function Catalog() {
  const { t } = useI18n();
  const { search } = useLocation();
  const models = useModels();
  useTitle(t('catalog_title'));
  const type = search.get('type') ?? '';
  const provider = search.get('provider') ?? '';
  const state = search.get('state') ?? '';
  const all = models.data ?? [];
  const types = typesOf(all);
  const providers = [...new Set(all.map((m) => m.provider))].sort();
  // What runs live first, each part in the catalog's type order.
  const ordered = liveFirst(byType(all).flatMap(([, list]) => list));
  const shown = ordered.filter((m) => (!type || m.type === type) && (!provider || m.provider === provider) && (!state || modelState(m) === state));
  return (
    <div className="container page">
      <PageHeader title={t('catalog_title')} lead={t('catalog_lead')} />
      <div className="filters" role="group" aria-label={t('filters')}>
        <FilterSelect id="f-type" label={t('filter_type')} value={type} options={types} optionLabel={(x) => typeLabel(x, t)} onChange={(v) => setQuery({ type: v })} />
        <FilterSelect id="f-provider" label={t('filter_provider')} value={provider} options={providers} onChange={(v) => setQuery({ provider: v })} />
        <FilterSelect
          id="f-state"
          label={t('filter_state')}
          value={state}
          options={STATES}
          optionLabel={(x) => t(x === 'live' ? 'state_live' : 'state_test_only')}
          onChange={(v) => setQuery({ state: v })}
        />
      </div>
      <p className="muted small state-legend">{t('state_legend')}</p>
      <Loaded
        state={models}
        height={600}
        empty={
          shown.length === 0 && (
            <EmptyState
              title={t('catalog_empty')}
              action={
                <button type="button" className="btn" onClick={() => setQuery({ type: null, provider: null, state: null })}>
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
