// Small building blocks shared by every page: headings, alerts, badges, states, cards, fields.
import { type ReactNode, useId } from 'react';
import { ApiError } from '../../api';
import { useI18n } from '../../i18n';
import { Link } from '../../router';
import type { TaskStatus } from '../../types';
import { Icon } from '../icons';

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

export function Alert({ kind = 'info', children, title }: { kind?: 'info' | 'error' | 'success' | 'warning'; children: ReactNode; title?: ReactNode }) {
  return (
    <div className={`alert alert-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      <span className="alert-icon" aria-hidden="true">
        {kind === 'error' ? '!' : kind === 'success' ? '✓' : kind === 'warning' ? '!' : 'i'}
      </span>
      <div>
        {title && <strong className="alert-title">{title}</strong>}
        <div>{children}</div>
      </div>
    </div>
  );
}

/** An API error in words: the server's own message (they are written for people). */
export function ErrorMessage({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  if (!error) return null;
  const message =
    error instanceof ApiError
      ? error.code === 'not_signed_in'
        ? t('err_signed_out')
        : error.code === 'network_error'
          ? t('err_network')
          : error.code === 'too_many_attempts' && error.retryAfter
            ? t('err_too_many', { time: t('minutes_n', { n: Math.max(1, Math.ceil(error.retryAfter / 60)) }) })
            : error.message
      : error instanceof Error && error.message
        ? error.message
        : t('err_generic');
  return (
    <Alert kind="error">
      {message}
      {onRetry && (
        <>
          {' '}
          <button type="button" className="link-button" onClick={onRetry}>
            {t('retry')}
          </button>
        </>
      )}
    </Alert>
  );
}

export function Badge({ children, tone = 'neutral' }: { children: ReactNode; tone?: 'neutral' | 'green' | 'red' | 'amber' | 'blue' | 'violet' }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
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

export function EmptyState({ title, children, action, icon = <Icon name="playground" size={24} /> }: { title: ReactNode; children?: ReactNode; action?: ReactNode; icon?: ReactNode }) {
  return (
    <div className="empty">
      <div className="empty-icon" aria-hidden="true">
        {icon}
      </div>
      <h3>{title}</h3>
      {children && <p>{children}</p>}
      {action && <div className="empty-action">{action}</div>}
    </div>
  );
}

/** The three states of `useAsync` data: its error (with a retry), a spinner, then `children(data)` (or `empty` when given and truthy). */
export function Loaded<T>({
  state,
  height,
  empty,
  children,
}: {
  state: { data: T | undefined; error: unknown; reload(): void };
  height?: number;
  empty?: ReactNode;
  children(data: T): ReactNode;
}) {
  if (state.error) return <ErrorMessage error={state.error} onRetry={state.reload} />;
  if (!state.data) return <Loading height={height} />;
  return <>{empty || children(state.data)}</>;
}

export function Loading({ height = 160 }: { height?: number }) {
  const { t } = useI18n();
  return (
    <div className="loading" style={{ minHeight: height }} role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{t('loading')}</span>
    </div>
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

/** A labelled form control; the control gets the id. */
export function Field({ label, hint, children, id, optional }: { label: ReactNode; hint?: ReactNode; children: (id: string, describedBy?: string) => ReactNode; id?: string; optional?: boolean }) {
  const { t } = useI18n();
  const auto = useId();
  const fieldId = id ?? auto;
  const hintId = hint ? `${fieldId}-hint` : undefined;
  return (
    <div className="field">
      <label htmlFor={fieldId}>
        {label}
        {optional && <span className="muted"> ({t('optional')})</span>}
      </label>
      {children(fieldId, hintId)}
      {hint && (
        <div className="hint" id={hintId}>
          {hint}
        </div>
      )}
    </div>
  );
}

/** A list filter: a labelled <select> whose first option, "All", is the empty value. */
export function FilterSelect({
  id,
  label,
  value,
  options,
  optionLabel = (v) => v,
  onChange,
}: {
  id: string;
  label: ReactNode;
  value: string;
  options: readonly string[];
  optionLabel?: (value: string) => ReactNode;
  onChange(value: string): void;
}) {
  const { t } = useI18n();
  return (
    <div className="field inline">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{t('all')}</option>
        {options.map((v) => (
          <option key={v} value={v}>
            {optionLabel(v)}
          </option>
        ))}
      </select>
    </div>
  );
}

export function ButtonLink({ to, children, kind = 'primary', className = '' }: { to: string; children: ReactNode; kind?: 'primary' | 'secondary' | 'ghost'; className?: string }) {
  return (
    <Link to={to} className={`btn ${kind === 'primary' ? 'btn-primary' : kind === 'ghost' ? 'btn-ghost' : ''} ${className}`}>
      {children}
    </Link>
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
