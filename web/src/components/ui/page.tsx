// Page parts: headings, cards, figures, a task's status.
import { type ReactNode, useId } from 'react';
import { useI18n } from '../../i18n';
import type { TaskStatus } from '../../types';
import { Badge } from './basic';

export function PageHeader({ title, lead, actions, eyebrow }: { title: ReactNode; lead?: ReactNode; actions?: ReactNode; eyebrow?: ReactNode }) {
  return (
    <header className="page-header">
      <div>
        {eyebrow && <div className="eyebrow">{eyebrow}</div>}
        <h1 tabIndex={-1}>{title}</h1>
        {lead && <p className="lead">{lead}</p>}
      </div>
      {actions && <div className="page-actions">{actions}</div>}
    </header>
  );
}

export function Card({ title, children, actions, className = '', id }: { title?: ReactNode; children: ReactNode; actions?: ReactNode; className?: string; id?: string }) {
  const headingId = useId();
  return (
    <section className={`card ${className}`} aria-labelledby={title ? headingId : undefined} id={id}>
      {(title || actions) && (
        <div className="card-head">
          {title && <h2 id={headingId}>{title}</h2>}
          {actions && <div className="card-actions">{actions}</div>}
        </div>
      )}
      {children}
    </section>
  );
}

export function Stat({ label, value, note, testId }: { label: ReactNode; value: ReactNode; note?: ReactNode; testId?: string }) {
  return (
    <div className="stat">
      <div className="stat-label">{label}</div>
      <div className="stat-value" data-testid={testId}>
        {value}
      </div>
      {note && <div className="stat-note">{note}</div>}
    </div>
  );
}

const STATUS_TONE: Record<TaskStatus, 'neutral' | 'green' | 'red' | 'amber' | 'blue'> = {
  queued: 'neutral',
  running: 'blue',
  succeeded: 'green',
  failed: 'red',
  canceled: 'amber',
};

export function TaskStatusBadge({ status }: { status: TaskStatus }) {
  const { t } = useI18n();
  return (
    <Badge tone={STATUS_TONE[status] ?? 'neutral'}>
      {(status === 'queued' || status === 'running') && <span className="pulse" aria-hidden="true" />}
      {t(`task_status_${status}` as 'task_status_queued')}
    </Badge>
  );
}
