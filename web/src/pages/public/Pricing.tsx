import { typeLabel, unitLabel } from '../../components/model-card';
import { Alert, Card, ErrorMessage, Loading, PageHeader } from '../../components/ui';
import { dashboardApi } from '../../api';
import { fmtUsd } from '../../format';
import { useAsync, useTitle } from '../../hooks';
import { localize, useI18n } from '../../i18n';
import { useModels } from '../../models';
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
        {models.error ? (
          <ErrorMessage error={models.error} onRetry={models.reload} />
        ) : !models.data ? (
          <Loading />
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="pricing-table">
              <thead>
                <tr>
                  <th scope="col">{t('pricing_model')}</th>
                  <th scope="col">{t('pricing_provider')}</th>
                  <th scope="col">{t('pricing_type')}</th>
                  <th scope="col" className="num">
                    {t('pricing_credits')}
                  </th>
                  <th scope="col" className="num">
                    {t('pricing_usd')}
                  </th>
                  <th scope="col">{t('pricing_billing')}</th>
                </tr>
              </thead>
              <tbody>
                {models.data.map((m) => (
                  <tr key={m.id}>
                    <td>
                      <Link to={`/models/${m.id}`}>{localize(m, lang).name}</Link>
                      <div>
                        <code className="small">{m.id}</code>
                      </div>
                    </td>
                    <td>{m.provider}</td>
                    <td>{typeLabel(m.output_type, t)}</td>
                    <td className="num">
                      <strong>{m.price.credits}</strong> <span className="muted small">/ {unitLabel(m.price.unit, t)}</span>
                    </td>
                    <td className="num">{fmtUsd(m.price.usd)}</td>
                    <td>{t('price_billing_value')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
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
                    <div className="pack-credits">{t('credits_n', { n: p.credits.toLocaleString(lang) })}</div>
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
