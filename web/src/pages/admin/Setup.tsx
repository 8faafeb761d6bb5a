// The first-run checklist of the admin pages: connect a provider, set a price, make a key. Shown
// above every admin page until each step is done.
import { ButtonLink, Card } from '../../components/ui';
import type { SetupChecklist } from '../../../../src/services/connections/view-types.js';
import { type AdminTextKey, useAdminText } from './messages';

const STEPS: Record<SetupChecklist['steps'][number]['id'], { title: AdminTextKey; body: AdminTextKey; action: AdminTextKey; to: string }> = {
  connect_provider: { title: 'setup_provider_title', body: 'setup_provider_body', action: 'setup_provider_action', to: '/admin/providers' },
  set_price: { title: 'setup_price_title', body: 'setup_price_body', action: 'setup_price_action', to: '/admin/models' },
  create_key: { title: 'setup_key_title', body: 'setup_key_body', action: 'setup_key_action', to: '/dashboard/keys' },
};

/** The checklist, until every step is done (the page loads it before it shows anything, so nothing jumps). */
export function SetupChecklistCard({ setup }: { setup: SetupChecklist }) {
  const a = useAdminText();
  if (setup.done) return null;
  const next = setup.steps.findIndex((s) => !s.done);
  return (
    <Card title={a('setup_title')} className="admin-setup">
      <p className="muted">{a('setup_lead')}</p>
      <ol className="checklist-steps" data-testid="admin-setup">
        {setup.steps.map((s, i) => {
          const step = STEPS[s.id];
          return (
            <li key={s.id} data-step={s.id} data-done={s.done} className={s.done ? 'done' : i === next ? 'current' : ''}>
              <span className="check-mark" aria-hidden="true">
                {s.done ? '✓' : i + 1}
              </span>
              <div className="check-body">
                <strong>{a(step.title)}</strong>
                <span className="muted">{a(step.body)}</span>
              </div>
              {s.done ? (
                <span className="muted small">{a('setup_done')}</span>
              ) : (
                <ButtonLink to={step.to} kind={i === next ? 'primary' : 'secondary'} className="btn-small">
                  {a(step.action)}
                </ButtonLink>
              )}
            </li>
          );
        })}
      </ol>
    </Card>
  );
}
