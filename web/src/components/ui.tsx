// Small building blocks shared by every page.
import { Icon } from './icons';
import { type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { ApiError } from '../api';
import { useI18n } from '../i18n';
import { Link } from '../router';
import type { TaskStatus } from '../types';

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

async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    /* fall back below */
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  area.remove();
  return ok;
}

export function CopyButton({ text, label, className = 'btn btn-small' }: { text: string; label?: string; className?: string }) {
  const { t } = useI18n();
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const id = setTimeout(() => setState('idle'), 2000);
    return () => clearTimeout(id);
  }, [state]);
  return (
    <button type="button" className={className} onClick={async () => setState((await copyText(text)) ? 'copied' : 'failed')}>
      <span aria-live="polite">{state === 'copied' ? t('copied') : state === 'failed' ? t('copy_failed') : (label ?? t('copy'))}</span>
    </button>
  );
}

export function CodeBlock({ code, label, testId }: { code: string; label?: string; testId?: string }) {
  return (
    <div className="code-block">
      <div className="code-bar">
        <span>{label ?? ''}</span>
        <CopyButton text={code} className="btn btn-small btn-on-dark" />
      </div>
      <pre tabIndex={0} data-testid={testId}>
        <code>{code}</code>
      </pre>
    </div>
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

export interface Column {
  label: ReactNode;
  /** A number column: right-aligned. */
  num?: boolean;
  /** Heard by screen readers only (an actions column). */
  srOnly?: boolean;
}

/** A scrollable table with a header row; the rows are the children. */
export function DataTable({ columns, className, wrapClassName, testId, children }: { columns: (Column | false)[]; className?: string; wrapClassName?: string; testId?: string; children: ReactNode }) {
  return (
    <div className={wrapClassName ? `table-wrap ${wrapClassName}` : 'table-wrap'}>
      <table className={className ? `table ${className}` : 'table'} data-testid={testId}>
        <thead>
          <tr>
            {columns.map(
              (c, i) =>
                c && (
                  <th key={i} scope="col" className={c.num ? 'num' : undefined}>
                    {c.srOnly ? <span className="sr-only">{c.label}</span> : c.label}
                  </th>
                ),
            )}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
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

/** A modal confirmation on the native <dialog> (focus trap and Escape for free). */
export function ConfirmDialog({
  open,
  title,
  body,
  confirmLabel,
  danger,
  busy,
  error,
  onConfirm,
  onCancel,
  children,
}: {
  open: boolean;
  title: ReactNode;
  body?: ReactNode;
  confirmLabel: ReactNode;
  danger?: boolean;
  busy?: boolean;
  error?: unknown;
  onConfirm(): void;
  onCancel(): void;
  children?: ReactNode;
}) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
    >
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          onConfirm();
        }}
      >
        <h2 id={titleId}>{title}</h2>
        {body && <p className="muted">{body}</p>}
        {children}
        <ErrorMessage error={error} />
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onCancel}>
            {t('cancel')}
          </button>
          <button type="submit" className={`btn ${danger ? 'btn-danger' : 'btn-primary'}`} disabled={busy}>
            {confirmLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}

/** Cursor pagination: a stack of `starting_after` ids. */
export function usePager() {
  const [stack, setStack] = useState<string[]>([]);
  return {
    cursor: stack[stack.length - 1],
    page: stack.length + 1,
    next: (lastId: string) => setStack((s) => [...s, lastId]),
    prev: () => setStack((s) => s.slice(0, -1)),
    reset: () => setStack([]),
  };
}

/** The pager under a cursor-paged list: the next page starts after its last row. */
export function ListPager({ pager, list }: { pager: ReturnType<typeof usePager>; list: { data: { id: string }[]; has_more?: boolean } | undefined }) {
  const rows = list?.data ?? [];
  return <Pager page={pager.page} hasMore={!!list?.has_more} onPrev={pager.prev} onNext={() => rows.length && pager.next(rows[rows.length - 1]!.id)} />;
}

export function Pager({ page, hasMore, onPrev, onNext }: { page: number; hasMore: boolean; onPrev(): void; onNext(): void }) {
  const { t } = useI18n();
  if (page === 1 && !hasMore) return null;
  return (
    <nav className="pager" aria-label="Pagination">
      <button type="button" className="btn btn-small" onClick={onPrev} disabled={page === 1}>
        ← {t('previous')}
      </button>
      <span className="muted">{t('page_n', { n: page })}</span>
      <button type="button" className="btn btn-small" onClick={onNext} disabled={!hasMore}>
        {t('next')} →
      </button>
    </nav>
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
