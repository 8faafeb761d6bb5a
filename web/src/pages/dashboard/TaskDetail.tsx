import { useEffect } from 'react';
import { TypeBadge } from '../../components/model-badges';
import { TaskOutputView, taskSummary } from '../../components/task-output';
import { Badge, Loaded } from '../../components/ui/basic';
import { Card, PageHeader, TaskStatusBadge } from '../../components/ui/page';
import { dashboardApi } from '../../dashboard-api';
import { durationSeconds, fmtDate, fmtDuration, shortDataUrl } from '../../format';
import { fmtCredits } from '../../money';
import { useAsync, useTitle } from '../../hooks';
import { useI18n } from '../../i18n';
import { useModels } from '../../models';
import { Link } from '../../router';
import type { Task } from '../../types';

const TEXT_KEYS = ['prompt', 'input', 'text', 'lyrics'];

/** A parameter value for a chip: long texts and data: URLs cut short. */
function chipValue(v: unknown): string {
  const s = typeof v === 'string' ? shortDataUrl(v) : JSON.stringify(v);
  return s.length > 120 ? `${s.slice(0, 117)}…` : s;
}

/** A task's result and facts; `showNode` (admins) adds the worker node that ran it. */
export function TaskView({ task, showNode }: { task: Task; showNode?: boolean }) {
  const { t, lang } = useI18n();
  const models = useModels();
  const model = models.data?.find((m) => m.id === task.model);
  const text = taskSummary(task);
  const textKey = TEXT_KEYS.find((k) => typeof task.input[k] === 'string');
  const params = Object.entries(task.input).filter(([k]) => k !== textKey);
  const done = task.status === 'succeeded' && task.output;
  return (
    <div className="task-detail">
      <div className="task-image">
        {done ? (
          <TaskOutputView task={task} model={model} />
        ) : (
          <div className="image-placeholder">
            {task.error ? (
              task.error.message
            ) : (
              <span className="placeholder-status">
                <TaskStatusBadge status={task.status} />
                {task.progress !== null && (task.status === 'running' || task.status === 'queued') && (
                  <>
                    <progress max={100} value={task.progress} aria-label={t('pg_progress')} />
                    <span className="muted small">{Math.round(task.progress)}%</span>
                  </>
                )}
              </span>
            )}
          </div>
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
          </Link>{' '}
          <TypeBadge type={task.type} />
        </dd>
        {textKey && (
          <>
            <dt>{t(textKey === 'prompt' ? 'task_prompt' : 'task_text')}</dt>
            <dd className="prompt">{text}</dd>
          </>
        )}
        <dt>{t('task_params')}</dt>
        <dd>
          <span className="chips">
            {params.map(([k, v]) => (
              <code key={k} className="chip">
                {k}: {chipValue(v)}
              </code>
            ))}
          </span>
        </dd>
        <dt>{t('task_cost')}</dt>
        <dd data-testid="task-cost">
          {t('credits_n', { n: fmtCredits(task.cost.credits, lang) })} <span className="muted">({task.cost.charged ? t('task_charged') : t('task_not_charged')})</span>
        </dd>
        <dt>{t('task_duration')}</dt>
        <dd>{fmtDuration(durationSeconds(task.started_at ?? task.created_at, task.finished_at))}</dd>
        <dt>{t('task_created')}</dt>
        <dd>{fmtDate(task.created_at, lang)}</dd>
        <dt>{t('task_finished')}</dt>
        <dd>{fmtDate(task.finished_at, lang)}</dd>
        {showNode ? (
          <>
            <dt>{t('task_node')}</dt>
            <dd>
              {task.node ?? '—'} · {t('task_attempts_n', { n: task.attempts })}
            </dd>
          </>
        ) : (
          <>
            <dt>{t('task_attempts')}</dt>
            <dd>{task.attempts}</dd>
          </>
        )}
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

export function TaskDetail({ id, back = '/dashboard/usage', load, showNode }: { id: string; back?: string; load?: (id: string) => Promise<Task>; showNode?: boolean }) {
  const { t } = useI18n();
  useTitle(t('task_detail_title', { id }));
  const task = useAsync(() => (load ? load(id) : dashboardApi.task(id)), [id]);
  // A task still queued or running is looked at again every few seconds, until it finishes.
  const pending = task.data?.status === 'queued' || task.data?.status === 'running';
  useEffect(() => {
    if (!pending) return;
    const timer = setTimeout(task.reload, 3000);
    return () => clearTimeout(timer);
  }, [pending, task.data, task.reload]);
  return (
    <>
      <Link to={back} className="back-link">
        ← {t('task_back')}
      </Link>
      <PageHeader title={<span className="task-title">{t('task_detail_title', { id })}</span>} />
      <Card>
        <Loaded state={task} height={400}>
          {(data) => <TaskView task={data} showNode={showNode} />}
        </Loaded>
      </Card>
    </>
  );
}
