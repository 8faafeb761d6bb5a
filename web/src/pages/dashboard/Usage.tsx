import { Icon } from '../../components/icons';
import type { ReactNode } from 'react';
import { DayChart, fillDays, ModelBars } from '../../components/charts';
import { Badge, ButtonLink, EmptyState, Loaded, Loading } from '../../components/ui/basic';
import { FilterSelect } from '../../components/ui/form';
import { Card, PageHeader, TaskStatusBadge } from '../../components/ui/page';
import { ListPager, usePager } from '../../components/ui/pager';
import { DataTable } from '../../components/ui/table';
import { dashboardApi } from '../../dashboard-api';
import { durationSeconds, fmtDuration, fmtShort } from '../../format';
import { fmtCredits } from '../../money';
import { useAsync, useTitle } from '../../hooks';
import { type MessageKey, useI18n } from '../../i18n';
import { useModels } from '../../models';
import { Link, navigate, setQuery, useLocation } from '../../router';
import type { Task, TaskStatus } from '../../types';
import { TaskThumb, taskSummary } from '../../components/task-output';
import { TypeBadge } from '../../components/model-badges';
import { ChatUsageCard } from './ChatUsage';

export const STATUSES: TaskStatus[] = ['queued', 'running', 'succeeded', 'failed', 'canceled'];

export function TaskTable({ tasks, detailBase, showUser }: { tasks: Task[]; detailBase?: string; showUser?: boolean }) {
  const { t, lang } = useI18n();
  return (
    <DataTable
      className="tasks-table"
      testId="tasks-table"
      columns={[
        { label: t('task_output') },
        { label: t('task_model') },
        !!showUser && { label: t('admin_task_user') },
        { label: t('task_status') },
        { label: t('task_cost'), num: true },
        { label: t('task_duration'), num: true },
        { label: t('task_created') },
      ]}
    >
      {tasks.map((task) => (
        <tr key={task.id} data-task-id={task.id} className={detailBase ? 'clickable' : undefined} onClick={detailBase ? () => navigate(`${detailBase}/${task.id}`) : undefined}>
          <td>
            <TaskThumb task={task} />
          </td>
          <td>
            {detailBase ? (
              <Link to={`${detailBase}/${task.id}`} onClick={(e) => e.stopPropagation()}>
                <code>{task.model}</code>
              </Link>
            ) : (
              <code>{task.model}</code>
            )}
            {' '}
            <TypeBadge type={task.type} />
            {!task.livemode && (
              <>
                {' '}
                <Badge>{t('task_test')}</Badge>
              </>
            )}
            <div className="muted small truncate prompt-cell">{taskSummary(task)}</div>
          </td>
          {showUser && <td className="small break">{task.user_email ?? '—'}</td>}
          <td className="nowrap">
            <TaskStatusBadge status={task.status} />
          </td>
          <td className="num nowrap">
            {t('credits_n', { n: fmtCredits(task.cost.credits, lang) })}
            <div className="muted small">{task.cost.charged ? t('task_charged') : t('task_not_charged')}</div>
          </td>
          <td className="num">{fmtDuration(durationSeconds(task.started_at ?? task.created_at, task.finished_at))}</td>
          <td className="date-cell">{fmtShort(task.created_at, lang)}</td>
        </tr>
      ))}
    </DataTable>
  );
}

export function TaskFilters({ extra }: { extra?: ReactNode }) {
  const { t } = useI18n();
  const { search } = useLocation();
  const models = useModels();
  return (
    <div className="filters compact">
      <FilterSelect
        id="task-status"
        label={t('filter_status')}
        value={search.get('status') ?? ''}
        options={STATUSES}
        optionLabel={(s) => t(`task_status_${s}` as MessageKey)}
        onChange={(status) => setQuery({ status })}
      />
      <FilterSelect id="task-model" label={t('filter_model')} value={search.get('model') ?? ''} options={(models.data ?? []).map((m) => m.id)} onChange={(model) => setQuery({ model })} />
      {extra}
    </div>
  );
}

export function Usage() {
  const { t } = useI18n();
  useTitle(t('usage_title'));
  const { search } = useLocation();
  const status = search.get('status') ?? '';
  const model = search.get('model') ?? '';
  const pager = usePager();
  const usage = useAsync(() => dashboardApi.usage(30), []);
  const tasks = useAsync(() => dashboardApi.tasks({ limit: 20, status: status || undefined, model: model || undefined, starting_after: pager.cursor }), [status, model, pager.cursor]);
  const rows = tasks.data?.data ?? [];
  const days = usage.data ? fillDays(usage.data.by_day, usage.data.days ?? 30) : [];
  const charged = days.some((d) => d.credits > 0);
  return (
    <>
      <PageHeader title={t('usage_title')} lead={t('usage_lead')} />
      <div className="grid-2 usage-charts">
        <Card title={t('chart_by_day')}>
          <Loaded state={usage} height={200}>
            {() => <DayChart points={days} label={t('chart_by_day')} />}
          </Loaded>
          {usage.data && !charged && <p className="muted small center">{t('chart_empty')}</p>}
        </Card>
        <Card title={t('chart_by_model')}>
          {!usage.data ? (
            usage.error ? null : <Loading height={200} />
          ) : usage.data.by_model.length === 0 ? (
            <p className="muted small center chart-empty">{t('chart_empty')}</p>
          ) : (
            <ModelBars rows={usage.data.by_model} />
          )}
        </Card>
      </div>
      <Card title={t('tasks_title')} actions={<TaskFilters />}>
        <Loaded
          state={tasks}
          height={300}
          empty={
            rows.length === 0 &&
            (status || model ? (
              <EmptyState
                title={t('tasks_empty_filtered')}
                icon={<Icon name="usage" size={24} />}
                action={
                  <button type="button" className="btn" onClick={() => setQuery({ status: null, model: null })}>
                    {t('clear_filters')}
                  </button>
                }
              />
            ) : (
              <EmptyState title={t('tasks_empty_title')} action={<ButtonLink to="/dashboard/playground">{t('check1_action')}</ButtonLink>} icon={<Icon name="usage" size={24} />}>
                {t('tasks_empty_body')}
              </EmptyState>
            ))
          }
        >
          {() => (
            <div className={tasks.loading ? 'stale' : ''}>
              <TaskTable tasks={rows} detailBase="/dashboard/usage" />
            </div>
          )}
        </Loaded>
        <ListPager pager={pager} list={tasks.data} />
      </Card>
      <ChatUsageCard usage={usage.data} />
    </>
  );
}
