import { Badge, Card, Loaded, PageHeader, TaskStatusBadge } from '../../components/ui';
import { dashboardApi } from '../../api';
import { durationSeconds, fmtDate, fmtDuration } from '../../format';
import { useAsync, useTitle } from '../../hooks';
import { useI18n } from '../../i18n';
import { Link } from '../../router';
import type { Task } from '../../types';

export function TaskView({ task }: { task: Task }) {
  const { t, lang } = useI18n();
  const img = task.output?.images[0];
  const { prompt, ...params } = task.input;
  return (
    <div className="task-detail">
      <div className="task-image">
        {img ? (
          <figure>
            <a href={img.url} target="_blank" rel="noreferrer">
              <img src={img.url} alt={String(prompt ?? '')} width={img.width} height={img.height} data-testid="task-image" />
            </a>
            <figcaption className="row-actions">
              <span className="muted small">
                {img.width}×{img.height} · {img.format.toUpperCase()} · {(img.bytes / 1024).toFixed(0)} KB
              </span>
              <a className="btn btn-small" href={img.url} download>
                {t('download')}
              </a>
            </figcaption>
          </figure>
        ) : (
          <div className="image-placeholder">{task.error ? task.error.message : <TaskStatusBadge status={task.status} />}</div>
        )}
      </div>
      <dl className="kv">
        <dt>{t('task_status')}</dt>
        <dd>
          <TaskStatusBadge status={task.status} /> {task.livemode ? <Badge tone="violet">{t('task_live')}</Badge> : <Badge>{t('task_test')}</Badge>}
        </dd>
        <dt>{t('task_model')}</dt>
        <dd>
          <Link to={`/models/${task.model}`}>
            <code>{task.model}</code>
          </Link>
        </dd>
        <dt>{t('task_prompt')}</dt>
        <dd className="prompt">{String(prompt ?? '')}</dd>
        <dt>{t('task_params')}</dt>
        <dd>
          <span className="chips">
            {Object.entries(params).map(([k, v]) => (
              <code key={k} className="chip">
                {k}: {String(v)}
              </code>
            ))}
          </span>
        </dd>
        <dt>{t('task_cost')}</dt>
        <dd>
          {t('credits_n', { n: task.cost.credits })} <span className="muted">({task.cost.charged ? t('task_charged') : t('task_not_charged')})</span>
        </dd>
        <dt>{t('task_duration')}</dt>
        <dd>{fmtDuration(durationSeconds(task.started_at ?? task.created_at, task.finished_at))}</dd>
        <dt>{t('task_created')}</dt>
        <dd>{fmtDate(task.created_at, lang)}</dd>
        <dt>{t('task_finished')}</dt>
        <dd>{fmtDate(task.finished_at, lang)}</dd>
        <dt>{t('task_node')}</dt>
        <dd>
          {task.node ?? '—'} · {t('task_attempts')}: {task.attempts}
        </dd>
        {task.error && (
          <>
            <dt>{t('task_error')}</dt>
            <dd className="neg">
              {task.error.message} <code className="small">{task.error.code}</code>
            </dd>
          </>
        )}
      </dl>
    </div>
  );
}

export function TaskDetail({ id, back = '/dashboard/usage', load }: { id: string; back?: string; load?: (id: string) => Promise<Task> }) {
  const { t } = useI18n();
  useTitle(t('task_detail_title', { id }));
  const task = useAsync(() => (load ?? dashboardApi.task)(id), [id]);
  return (
    <>
      <Link to={back} className="back-link">
        ← {t('task_back')}
      </Link>
      <PageHeader title={<span className="task-title">{t('task_detail_title', { id })}</span>} />
      <Card>
        <Loaded state={task} height={400}>
          {(data) => <TaskView task={data} />}
        </Loaded>
      </Card>
    </>
  );
}
