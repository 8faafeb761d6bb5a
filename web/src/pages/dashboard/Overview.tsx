import { ErrorMessage, Loaded, Loading, ButtonLink, EmptyState } from '../../components/ui/basic';
import { Card, PageHeader, Stat, TaskStatusBadge } from '../../components/ui/page';
import { dashboardApi } from '../../dashboard-api';
import { fmtDate } from '../../format';
import { fmtCredits } from '../../money';
import { TaskThumb, taskSummary } from '../../components/task-output';
import { useAsync, useTitle } from '../../hooks';
import { useI18n } from '../../i18n';
import { Link } from '../../router';
import { useSession } from '../../session';

export function Overview() {
  const { t, lang } = useI18n();
  const { user } = useSession();
  useTitle(t('dash_overview'));
  const account = useAsync(() => dashboardApi.account(), []);
  const keys = useAsync(() => dashboardApi.keys(), []);
  const tasks = useAsync(() => dashboardApi.tasks({ limit: 5 }), []);
  const hasKey = (keys.data?.data.length ?? 0) > 0;
  const hasTask = (tasks.data?.data.length ?? 0) > 0;
  const hasCredits = (account.data?.balance ?? 0) > 0;
  const steps = [
    { done: hasTask, title: t('check1_title'), body: t('check1_body'), to: '/dashboard/playground', action: t('check1_action') },
    { done: hasKey, title: t('check2_title'), body: t('check2_body'), to: '/dashboard/keys', action: t('check2_action') },
    { done: hasCredits, title: t('check3_title'), body: t('check3_body'), to: '/dashboard/billing', action: t('check3_action') },
  ];
  const nextStep = steps.findIndex((s) => !s.done);
  return (
    <>
      <PageHeader title={t('overview_title')} lead={t('overview_signed_in_as', { email: user?.email ?? '' })} />
      <ErrorMessage error={account.error} onRetry={account.reload} />
      <div className="stats">
        <Stat label={t('balance')} value={account.data ? t('credits_n', { n: fmtCredits(account.data.balance + account.data.reserved, lang) }) : '…'} testId="balance" />
        <Stat label={t('reserved')} value={account.data ? t('credits_n', { n: fmtCredits(account.data.reserved, lang) }) : '…'} note={t('reserved_note')} />
        <Stat label={t('dash_keys')} value={keys.data ? keys.data.data.filter((k) => !k.revoked_at).length : '…'} />
      </div>
      <Card title={t('checklist_title')}>
        {keys.loading && !keys.data ? (
          <Loading height={180} />
        ) : (
          <ol className="checklist-steps">
            {steps.map((s, i) => (
              <li key={s.title} className={s.done ? 'done' : i === nextStep ? 'current' : ''}>
                <span className="check-mark" aria-hidden="true">
                  {s.done ? '✓' : i + 1}
                </span>
                <div className="check-body">
                  <strong>{s.title}</strong>
                  <span className="muted">{s.body}</span>
                </div>
                {s.done ? (
                  <span className="muted small">{t('done')}</span>
                ) : (
                  <ButtonLink to={s.to} kind={i === nextStep ? 'primary' : 'secondary'} className="btn-small">
                    {s.action}
                  </ButtonLink>
                )}
              </li>
            ))}
          </ol>
        )}
      </Card>
      <Card title={t('recent_tasks')} actions={<Link to="/dashboard/usage">{t('see_all')} →</Link>}>
        <Loaded
          state={tasks}
          empty={
            tasks.data?.data.length === 0 && (
              <EmptyState title={t('tasks_empty_title')} action={<ButtonLink to="/dashboard/playground">{t('check1_action')}</ButtonLink>}>
                {t('tasks_empty_body')}
              </EmptyState>
            )
          }
        >
          {(data) => (
            <ul className="recent">
              {data.data.map((task) => (
                <li key={task.id}>
                  <Link to={`/dashboard/usage/${task.id}`} className="recent-row">
                    <TaskThumb task={task} link={false} />
                    <span className="recent-main">
                      <strong>{task.model}</strong>
                      <span className="muted small truncate">{taskSummary(task)}</span>
                    </span>
                    <TaskStatusBadge status={task.status} />
                    <span className="muted small nowrap">{fmtDate(task.created_at, lang)}</span>
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </Loaded>
      </Card>
    </>
  );
}
