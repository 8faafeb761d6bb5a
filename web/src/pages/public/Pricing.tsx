import { TypeBadge } from '../../components/model-card';
import { Alert, Card, DataTable, Loaded, PageHeader } from '../../components/ui';
import { dashboardApi } from '../../api';
import { fmtCredits, fmtCreditsUsd, fmtUsd } from '../../format';
import { useAsync, useTitle } from '../../hooks';
import { localize, useI18n } from '../../i18n';
import { byType, useModels } from '../../models';
import { priceWords, rateLines } from '../../pricing';
import { Link } from '../../router';

export function Pricing() {
  const { t, lang } = useI18n();
  const models = useModels();
  const billing = useAsync(() => dashboardApi.billing().catch(() => null), []);
  useTitle(t('pricing_title'));
  return (
    <div className="container page">
      <PageHeader title={t('pricing_title')} lead={t('pricing_lead')} />
      <Card>
        <Loaded state={models}>
          {(data) => (
            <DataTable
              testId="pricing-table"
              columns={[
                { label: t('pricing_model') },
                { label: t('pricing_provider') },
                { label: t('pricing_type') },
                { label: t('pricing_price') },
                { label: t('pricing_usd'), num: true },
                { label: t('pricing_billing') },
              ]}
            >
              {byType(data).flatMap(([, list]) => list).map((m) => (
                <tr key={m.id} data-model={m.id} data-type={m.type}>
                  <td>
                    <Link to={`/models/${m.id}`}>{localize(m, lang).name}</Link>
                    <div>
                      <code className="small">{m.id}</code>
                    </div>
                  </td>
                  <td>{m.provider}</td>
                  <td>
                    <TypeBadge type={m.type} />
                  </td>
                  <td>
                    <strong>{priceWords(m.price, t, lang)}</strong>
                    {rateLines(m.price, t, lang).map((r) => (
                      <div key={r.name} className="muted small">
                        {r.text}
                      </div>
                    ))}
                  </td>
                  <td className="num">{fmtCreditsUsd(m.price.credits)}</td>
                  <td>{t('price_billing_value')}</td>
                </tr>
              ))}
            </DataTable>
          )}
        </Loaded>
      </Card>
      {billing.data !== undefined && (
        <Card title={t('pricing_packs')}>
          {billing.data?.stripe_enabled && billing.data.packs.length > 0 ? (
            <>
              <p className="muted">{t('pricing_packs_lead')}</p>
              <div className="packs">
                {billing.data.packs.map((p) => (
                  <div key={p.id} className="pack">
                    <div className="pack-name">{p.name}</div>
                    <div className="pack-credits">{t('credits_n', { n: fmtCredits(p.credits, lang) })}</div>
                    <div className="muted">{fmtUsd(p.amount_usd)}</div>
                  </div>
                ))}
              </div>
            </>
          ) : (
            <Alert>{t('pricing_codes_only')}</Alert>
          )}
        </Card>
      )}
    </div>
  );
}
